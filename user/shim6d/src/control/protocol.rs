//! Control-channel messages. One JSON object per line in each direction.
//!
//! Requests carry `"cmd"`, replies carry `"reply"`:
//!
//! ```text
//! {"cmd":"list"}                         → {"reply":"contexts","contexts":[…]}
//! {"cmd":"show","tag":123}               → {"reply":"context","context":{…}}
//! {"cmd":"delete","tag":123}             → {"reply":"deleted","tag":123}
//! {"cmd":"connect","peer":"2001:db8::1"} → {"reply":"connecting","tag":123}
//!   (optional "local": the ULID to use; default: our first address)
//! {"cmd":"set-timers","idle_gc_secs":60} → {"reply":"timers","timers":{…}}
//!   (every field optional; none = just read them)
//! {"cmd":"set-path","tag":123,"local":"…","peer":"…"}
//!                                        → {"reply":"path-set","tag":123,…}
//!   (payload goes on this pair until it fails and REAP picks another)
//! {"cmd":"stats"}                        → {"reply":"stats","stats":{…}}
//! {"cmd":"identity"}                     → {"reply":"identity","identity":{…}}
//! {"cmd":"monitor"}                      → {"reply":"monitoring"}, then one
//!                                          {"reply":"event","event":{"kind":…}} per event
//! anything wrong                         → {"reply":"error","message":"…"}
//! ```

use std::net::Ipv6Addr;

use serde::{Deserialize, Serialize};

use crate::config::TimerConfig;
use crate::stats::Stats;

/// Longest accepted request line; longer input closes the connection.
pub const MAX_LINE: usize = 64 * 1024;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cmd", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Request {
    List,
    Show {
        tag: u64,
    },
    Delete {
        tag: u64,
    },
    Connect {
        peer: Ipv6Addr,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        local: Option<Ipv6Addr>,
    },
    SetTimers(TimerChanges),
    SetPath {
        tag: u64,
        local: Ipv6Addr,
        peer: Ipv6Addr,
    },
    Stats,
    Identity,
    Monitor,
}

/// Fields of `set-timers`; absent ones keep their value.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimerChanges {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_timeout_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub keepalive_timeout_secs: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub i1_retries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle_gc_secs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "reply", rename_all = "kebab-case")]
pub enum Reply {
    Contexts {
        contexts: Vec<ContextInfo>,
    },
    Context {
        context: ContextInfo,
    },
    Deleted {
        tag: u64,
    },
    Connecting {
        tag: u64,
    },
    Timers {
        timers: TimerConfig,
    },
    PathSet {
        tag: u64,
        local: Ipv6Addr,
        peer: Ipv6Addr,
    },
    Stats {
        stats: Stats,
    },
    Identity {
        identity: IdentityInfo,
    },
    Monitoring,
    Event {
        event: Event,
    },
    Error {
        message: String,
    },
}

/// One context as `list` and `show` report it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContextInfo {
    /// CT(local): the tag peers put in packets to us.
    pub local_tag: u64,
    /// CT(peer), once known.
    pub peer_tag: Option<u64>,
    /// RFC 5533 Appendix B name, e.g. "ESTABLISHED".
    pub state: String,
    pub local_ulid: Ipv6Addr,
    pub peer_ulid: Ipv6Addr,
    /// The locator pair payload uses now.
    pub local_locator: Ipv6Addr,
    pub peer_locator: Ipv6Addr,
    /// Ls(peer), verified.
    pub peer_locators: Vec<Ipv6Addr>,
    pub reap_state: Option<String>,
    pub update_pending: bool,
    /// Seconds since the last activity seen by the daemon.
    pub idle_secs: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityInfo {
    /// False while the key or the addresses are being generated.
    pub ready: bool,
    /// "cga" or "hba".
    pub method: String,
    pub sec: u8,
    pub addresses: Vec<AddressInfo>,
    /// Why the identity could not be made, if it failed.
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddressInfo {
    pub address: Ipv6Addr,
    /// The CGA Parameters (hex), as sent in the CGA Parameter Data Structure.
    pub params: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Event {
    IdentityReady {
        addresses: Vec<Ipv6Addr>,
    },
    Established {
        local_tag: u64,
        peer_tag: Option<u64>,
        local_ulid: Ipv6Addr,
        peer_ulid: Ipv6Addr,
    },
    PairChanged {
        local_tag: u64,
        local_locator: Ipv6Addr,
        peer_locator: Ipv6Addr,
    },
    PeerTagChanged {
        local_tag: u64,
        peer_tag: u64,
    },
    Failed {
        local_tag: u64,
        state: String,
    },
    Removed {
        local_tag: u64,
        reason: String,
    },
    PeerError {
        code: u8,
        pointer: u16,
    },
    /// Our usable locators changed (an address came or went).
    LocatorsChanged {
        locators: Vec<Ipv6Addr>,
    },
    /// The kernel module sends on a new pair (`evt-path-changed`).
    KernelPathChanged {
        local_tag: u64,
        local_locator: Ipv6Addr,
        peer_locator: Ipv6Addr,
    },
}

/// One line of JSON, newline included.
pub fn encode_line<T: Serialize>(value: &T) -> Vec<u8> {
    // Serialising these types cannot fail (no maps with non-string keys,
    // no custom serialisers); fall back to an error reply regardless.
    let mut line = serde_json::to_vec(value).unwrap_or_else(|error| {
        format!("{{\"reply\":\"error\",\"message\":\"cannot encode: {error}\"}}").into_bytes()
    });
    line.push(b'\n');
    line
}

/// Parses one request line (without its newline).
pub fn decode_request(line: &[u8]) -> Result<Request, String> {
    serde_json::from_slice(line).map_err(|error| format!("bad request: {error}"))
}

/// Parses one reply line (without its newline).
pub fn decode_reply(line: &[u8]) -> Result<Reply, String> {
    serde_json::from_slice(line).map_err(|error| format!("bad reply: {error}"))
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
