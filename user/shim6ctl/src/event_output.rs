//! Rendering events, one line each.
//!
//! Text: the event's name, then `key=value` fields:
//! ```text
//! trigger local=2001:db8::1 peer=2001:db8::2
//! send-timeout tag=0x1234 ulids=2001:db8::1->2001:db8::2 locators=2001:db8:1::1->2001:db8:2::2
//! unknown-tag tag=0x99 local=2001:db8::1 peer=2001:db8::2
//! rx-exploring tag=0x1234 locators=2001:db8:1::1->2001:db8:2::2
//! path-changed tag=0x1234 locators=2001:db8:1::1->2001:db8:2::2
//! ipsec-refused tag=0x1234 ulids=2001:db8::1->2001:db8::2 locators=2001:db8:1::1->2001:db8:2::2
//! unrecognized cmd=30
//! ```
//! JSON: one object per line, `"event"` first, then the attributes by
//! their spec names in snake_case (`tag` for `local-tag`), tags as hex
//! strings.

use serde::Serialize;
use shim6_netlink::Event;

use crate::tag::format_tag;

#[derive(Serialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
enum EventJson {
    Trigger {
        local_address: String,
        peer_address: String,
    },
    SendTimeout {
        tag: String,
        local_ulid: String,
        peer_ulid: String,
        local_locator: String,
        peer_locator: String,
    },
    UnknownTag {
        tag: String,
        local_address: String,
        peer_address: String,
    },
    RxExploring {
        tag: String,
        local_locator: String,
        peer_locator: String,
    },
    PathChanged {
        tag: String,
        local_locator: String,
        peer_locator: String,
    },
    IpsecRefused {
        tag: String,
        local_ulid: String,
        peer_ulid: String,
        local_locator: String,
        peer_locator: String,
    },
    Unrecognized {
        cmd: u8,
    },
}

impl From<&Event> for EventJson {
    fn from(event: &Event) -> Self {
        match *event {
            Event::Trigger {
                local_address,
                peer_address,
            } => EventJson::Trigger {
                local_address: local_address.to_string(),
                peer_address: peer_address.to_string(),
            },
            Event::SendTimeout {
                local_tag,
                local_ulid,
                peer_ulid,
                local_locator,
                peer_locator,
            } => EventJson::SendTimeout {
                tag: format_tag(local_tag),
                local_ulid: local_ulid.to_string(),
                peer_ulid: peer_ulid.to_string(),
                local_locator: local_locator.to_string(),
                peer_locator: peer_locator.to_string(),
            },
            Event::UnknownTag {
                tag,
                local_address,
                peer_address,
            } => EventJson::UnknownTag {
                tag: format_tag(tag),
                local_address: local_address.to_string(),
                peer_address: peer_address.to_string(),
            },
            Event::RxExploring {
                local_tag,
                local_locator,
                peer_locator,
            } => EventJson::RxExploring {
                tag: format_tag(local_tag),
                local_locator: local_locator.to_string(),
                peer_locator: peer_locator.to_string(),
            },
            Event::PathChanged {
                local_tag,
                local_locator,
                peer_locator,
            } => EventJson::PathChanged {
                tag: format_tag(local_tag),
                local_locator: local_locator.to_string(),
                peer_locator: peer_locator.to_string(),
            },
            Event::IpsecRefused {
                local_tag,
                local_ulid,
                peer_ulid,
                local_locator,
                peer_locator,
            } => EventJson::IpsecRefused {
                tag: format_tag(local_tag),
                local_ulid: local_ulid.to_string(),
                peer_ulid: peer_ulid.to_string(),
                local_locator: local_locator.to_string(),
                peer_locator: peer_locator.to_string(),
            },
            Event::Unrecognized { cmd } => EventJson::Unrecognized { cmd },
        }
    }
}

pub fn event_text(event: &Event) -> String {
    let fields = match *event {
        Event::Trigger {
            local_address,
            peer_address,
        } => format!("local={local_address} peer={peer_address}"),
        Event::SendTimeout {
            local_tag,
            local_ulid,
            peer_ulid,
            local_locator,
            peer_locator,
        }
        | Event::IpsecRefused {
            local_tag,
            local_ulid,
            peer_ulid,
            local_locator,
            peer_locator,
        } => format!(
            "tag={} ulids={local_ulid}->{peer_ulid} locators={local_locator}->{peer_locator}",
            format_tag(local_tag)
        ),
        Event::UnknownTag {
            tag,
            local_address,
            peer_address,
        } => format!(
            "tag={} local={local_address} peer={peer_address}",
            format_tag(tag)
        ),
        Event::RxExploring {
            local_tag,
            local_locator,
            peer_locator,
        }
        | Event::PathChanged {
            local_tag,
            local_locator,
            peer_locator,
        } => format!(
            "tag={} locators={local_locator}->{peer_locator}",
            format_tag(local_tag)
        ),
        Event::Unrecognized { cmd } => format!("cmd={cmd}"),
    };
    format!("{} {fields}\n", event.name())
}

pub fn event_json(event: &Event) -> String {
    crate::output::json_line(&EventJson::from(event))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::Ipv6Addr;

    fn a(text: &str) -> Ipv6Addr {
        text.parse().unwrap()
    }

    fn samples() -> Vec<Event> {
        vec![
            Event::Trigger {
                local_address: a("2001:db8::1"),
                peer_address: a("2001:db8::2"),
            },
            Event::SendTimeout {
                local_tag: 0x1234,
                local_ulid: a("2001:db8::1"),
                peer_ulid: a("2001:db8::2"),
                local_locator: a("2001:db8:1::1"),
                peer_locator: a("2001:db8:2::2"),
            },
            Event::UnknownTag {
                tag: 0x99,
                local_address: a("2001:db8::1"),
                peer_address: a("2001:db8::2"),
            },
            Event::RxExploring {
                local_tag: 0x1234,
                local_locator: a("2001:db8:1::1"),
                peer_locator: a("2001:db8:2::2"),
            },
            Event::PathChanged {
                local_tag: 0x1234,
                local_locator: a("2001:db8:1::1"),
                peer_locator: a("2001:db8:2::2"),
            },
            Event::IpsecRefused {
                local_tag: 0x1234,
                local_ulid: a("2001:db8::1"),
                peer_ulid: a("2001:db8::2"),
                local_locator: a("2001:db8:1::1"),
                peer_locator: a("2001:db8:2::2"),
            },
            Event::Unrecognized { cmd: 30 },
        ]
    }

    #[test]
    fn text_lines_are_as_documented() {
        let text: String = samples().iter().map(event_text).collect();
        assert_eq!(
            text,
            concat!(
                "trigger local=2001:db8::1 peer=2001:db8::2\n",
                "send-timeout tag=0x1234 ulids=2001:db8::1->2001:db8::2 locators=2001:db8:1::1->2001:db8:2::2\n",
                "unknown-tag tag=0x99 local=2001:db8::1 peer=2001:db8::2\n",
                "rx-exploring tag=0x1234 locators=2001:db8:1::1->2001:db8:2::2\n",
                "path-changed tag=0x1234 locators=2001:db8:1::1->2001:db8:2::2\n",
                "ipsec-refused tag=0x1234 ulids=2001:db8::1->2001:db8::2 locators=2001:db8:1::1->2001:db8:2::2\n",
                "unrecognized cmd=30\n",
            )
        );
    }

    #[test]
    fn json_lines_start_with_the_event_name() {
        for event in samples() {
            let line = event_json(&event);
            assert!(
                line.starts_with(&format!("{{\"event\":\"{}\"", event.name())),
                "{line}"
            );
            assert_eq!(line.lines().count(), 1);
        }
        assert_eq!(
            event_json(&samples()[1]),
            "{\"event\":\"send-timeout\",\"tag\":\"0x1234\",\"local_ulid\":\"2001:db8::1\",\"peer_ulid\":\"2001:db8::2\",\"local_locator\":\"2001:db8:1::1\",\"peer_locator\":\"2001:db8:2::2\"}\n"
        );
        assert_eq!(
            event_json(&samples()[0]),
            "{\"event\":\"trigger\",\"local_address\":\"2001:db8::1\",\"peer_address\":\"2001:db8::2\"}\n"
        );
    }
}
