//! Rendering contexts: a table for all, `key: value` lines for one, and
//! JSON (an array for all, an object for one; the same keys, snake_case).
//!
//! Table (columns as wide as their widest cell, two spaces apart):
//! ```text
//! LOCAL-TAG  PEER-TAG  LOCAL-ULID   PEER-ULID    LOCAL-LOCATOR  PEER-LOCATOR   STATE        TX-PACKETS  RX-PACKETS
//! 0x1234     0x5678    2001:db8::1  2001:db8::2  2001:db8:1::1  2001:db8:2::2  operational  3           2
//! ```
//! Nothing at all when there are no contexts.

use serde::Serialize;
use shim6_netlink::Context;

use crate::tag::format_tag;

/// The JSON (and detail) form of a context; tags as hex strings.
#[derive(Debug, Serialize)]
pub struct ContextJson {
    local_tag: String,
    peer_tag: String,
    local_ulid: String,
    peer_ulid: String,
    local_locator: String,
    peer_locator: String,
    local_locators: Vec<String>,
    peer_locators: Vec<String>,
    send_timeout_ms: u32,
    keepalive_timeout_ms: u32,
    reap_state: String,
    tx_packets: u64,
    rx_packets: u64,
    tx_bytes: u64,
    rx_bytes: u64,
    /// `null` when no packet was sent yet.
    last_tx_ms: Option<u32>,
    last_rx_ms: Option<u32>,
}

impl From<&Context> for ContextJson {
    fn from(c: &Context) -> Self {
        let strings =
            |addrs: &[std::net::Ipv6Addr]| addrs.iter().map(ToString::to_string).collect();
        ContextJson {
            local_tag: format_tag(c.local_tag),
            peer_tag: format_tag(c.peer_tag),
            local_ulid: c.local_ulid.to_string(),
            peer_ulid: c.peer_ulid.to_string(),
            local_locator: c.local_locator.to_string(),
            peer_locator: c.peer_locator.to_string(),
            local_locators: strings(&c.local_locators),
            peer_locators: strings(&c.peer_locators),
            send_timeout_ms: c.send_timeout_ms,
            keepalive_timeout_ms: c.keepalive_timeout_ms,
            reap_state: c.reap_state.to_string(),
            tx_packets: c.traffic.tx_packets,
            rx_packets: c.traffic.rx_packets,
            tx_bytes: c.traffic.tx_bytes,
            rx_bytes: c.traffic.rx_bytes,
            last_tx_ms: c.traffic.last_tx_ms,
            last_rx_ms: c.traffic.last_rx_ms,
        }
    }
}

const TABLE_HEADER: [&str; 9] = [
    "LOCAL-TAG",
    "PEER-TAG",
    "LOCAL-ULID",
    "PEER-ULID",
    "LOCAL-LOCATOR",
    "PEER-LOCATOR",
    "STATE",
    "TX-PACKETS",
    "RX-PACKETS",
];

fn table_row(c: &Context) -> [String; 9] {
    [
        format_tag(c.local_tag),
        format_tag(c.peer_tag),
        c.local_ulid.to_string(),
        c.peer_ulid.to_string(),
        c.local_locator.to_string(),
        c.peer_locator.to_string(),
        c.reap_state.to_string(),
        c.traffic.tx_packets.to_string(),
        c.traffic.rx_packets.to_string(),
    ]
}

/// All contexts as a table; empty when there are none.
pub fn contexts_table(contexts: &[Context]) -> String {
    if contexts.is_empty() {
        return String::new();
    }
    let header = TABLE_HEADER.map(str::to_owned);
    let rows: Vec<[String; 9]> = std::iter::once(header)
        .chain(contexts.iter().map(table_row))
        .collect();
    let widths: Vec<usize> = (0..9)
        .map(|column| rows.iter().map(|row| row[column].len()).max().unwrap_or(0))
        .collect();
    let mut text = String::new();
    for row in &rows {
        let cells: Vec<String> = row
            .iter()
            .zip(&widths)
            .map(|(cell, width)| format!("{cell:<width$}"))
            .collect();
        text.push_str(cells.join("  ").trim_end());
        text.push('\n');
    }
    text
}

fn join(addrs: &[String]) -> String {
    addrs.join(",")
}

fn millis(value: Option<u32>) -> String {
    value.map_or_else(|| "never".to_owned(), |ms| ms.to_string())
}

/// One context, one `key: value` line per field, keys as in the JSON with
/// `-` for `_`; locator sets comma-separated, `last-*-ms: never` when no
/// packet went that way yet.
pub fn context_detail(context: &Context) -> String {
    let c = ContextJson::from(context);
    let lines = [
        ("local-tag", c.local_tag),
        ("peer-tag", c.peer_tag),
        ("local-ulid", c.local_ulid),
        ("peer-ulid", c.peer_ulid),
        ("local-locator", c.local_locator),
        ("peer-locator", c.peer_locator),
        ("local-locators", join(&c.local_locators)),
        ("peer-locators", join(&c.peer_locators)),
        ("send-timeout-ms", c.send_timeout_ms.to_string()),
        ("keepalive-timeout-ms", c.keepalive_timeout_ms.to_string()),
        ("reap-state", c.reap_state),
        ("tx-packets", c.tx_packets.to_string()),
        ("rx-packets", c.rx_packets.to_string()),
        ("tx-bytes", c.tx_bytes.to_string()),
        ("rx-bytes", c.rx_bytes.to_string()),
        ("last-tx-ms", millis(c.last_tx_ms)),
        ("last-rx-ms", millis(c.last_rx_ms)),
    ];
    lines
        .iter()
        .map(|(key, value)| format!("{key}: {value}\n"))
        .collect()
}

pub fn contexts_json(contexts: &[Context]) -> String {
    let all: Vec<ContextJson> = contexts.iter().map(ContextJson::from).collect();
    crate::output::json_line(&all)
}

pub fn context_json(context: &Context) -> String {
    crate::output::json_line(&ContextJson::from(context))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shim6_netlink::{ReapState, Traffic};

    fn sample() -> Context {
        let a = |s: &str| s.parse().unwrap();
        Context {
            local_tag: 0x1234,
            peer_tag: 0x5678,
            local_ulid: a("2001:db8::1"),
            peer_ulid: a("2001:db8::2"),
            local_locator: a("2001:db8:1::1"),
            peer_locator: a("2001:db8:2::2"),
            local_locators: vec![a("2001:db8::1"), a("2001:db8:1::1")],
            peer_locators: vec![a("2001:db8::2"), a("2001:db8:2::2")],
            send_timeout_ms: 15000,
            keepalive_timeout_ms: 15000,
            reap_state: ReapState::Operational,
            traffic: Traffic {
                tx_packets: 3,
                rx_packets: 2,
                tx_bytes: 300,
                rx_bytes: 200,
                last_tx_ms: None,
                last_rx_ms: Some(35),
            },
        }
    }

    #[test]
    fn table_has_a_header_and_aligned_columns() {
        let mut second = sample();
        second.local_tag = 0x7fff_ffff_ffff;
        second.reap_state = ReapState::InboundOk;
        let text = contexts_table(&[sample(), second]);
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(
            lines[0].starts_with("LOCAL-TAG       PEER-TAG  LOCAL-ULID"),
            "{text}"
        );
        assert!(
            lines[1].starts_with("0x1234          0x5678    2001:db8::1"),
            "{text}"
        );
        assert!(lines[2].contains("  inbound-ok   3"), "{text}");
        let column = lines[0].find("STATE").unwrap();
        assert_eq!(&lines[1][column..column + 11], "operational");
    }

    #[test]
    fn no_contexts_no_table() {
        assert_eq!(contexts_table(&[]), "");
        assert_eq!(contexts_json(&[]), "[]\n");
    }

    #[test]
    fn detail_is_one_key_per_line() {
        let text = context_detail(&sample());
        assert!(
            text.starts_with("local-tag: 0x1234\npeer-tag: 0x5678\n"),
            "{text}"
        );
        assert!(
            text.contains("\nlocal-locators: 2001:db8::1,2001:db8:1::1\n"),
            "{text}"
        );
        assert!(text.contains("\nreap-state: operational\n"), "{text}");
        assert!(
            text.ends_with("last-tx-ms: never\nlast-rx-ms: 35\n"),
            "{text}"
        );
        assert_eq!(text.lines().count(), 17);
    }

    #[test]
    fn json_has_hex_tags_and_null_for_no_packet() {
        let line = context_json(&sample());
        assert_eq!(line.lines().count(), 1);
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["local_tag"], "0x1234");
        assert_eq!(value["peer_locators"][1], "2001:db8:2::2");
        assert_eq!(value["reap_state"], "operational");
        assert_eq!(value["tx_bytes"], 300);
        assert!(value["last_tx_ms"].is_null());
        assert_eq!(value["last_rx_ms"], 35);
        let all: serde_json::Value = serde_json::from_str(&contexts_json(&[sample()])).unwrap();
        assert_eq!(all[0], value);
    }
}
