//! The `ctx-get` reply: one context as the module holds it.

use std::fmt;
use std::net::Ipv6Addr;

use crate::decode::{expect_command, Fields};
use crate::error::ParseError;
use crate::family::{attr, cmd};
use crate::message::OwnedGenlMessage;

/// Where a context is in failure detection (RFC 5534, section 7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ReapState {
    /// The current pair works.
    Operational,
    /// Looking for a working pair.
    Exploring,
    /// Packets arrive, but the peer may not get ours.
    InboundOk,
    /// A value this client does not know (a newer module).
    Other(u8),
}

impl ReapState {
    pub fn from_u8(value: u8) -> Self {
        match value {
            0 => ReapState::Operational,
            1 => ReapState::Exploring,
            2 => ReapState::InboundOk,
            other => ReapState::Other(other),
        }
    }

    pub fn to_u8(self) -> u8 {
        match self {
            ReapState::Operational => 0,
            ReapState::Exploring => 1,
            ReapState::InboundOk => 2,
            ReapState::Other(value) => value,
        }
    }
}

/// `operational`, `exploring`, `inbound-ok`, or `unknown-N`.
impl fmt::Display for ReapState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReapState::Operational => f.write_str("operational"),
            ReapState::Exploring => f.write_str("exploring"),
            ReapState::InboundOk => f.write_str("inbound-ok"),
            ReapState::Other(value) => write!(f, "unknown-{value}"),
        }
    }
}

/// Payload traffic through a context since it was added.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Traffic {
    pub tx_packets: u64,
    pub rx_packets: u64,
    pub tx_bytes: u64,
    pub rx_bytes: u64,
    /// Milliseconds since the last packet sent; `None` if none yet.
    pub last_tx_ms: Option<u32>,
    /// Milliseconds since the last packet received; `None` if none yet.
    pub last_rx_ms: Option<u32>,
}

/// One context, as `ctx-get` reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    /// The 47-bit tag we allocated; payload packets to us carry it.
    pub local_tag: u64,
    /// The tag the peer allocated; payload packets to it carry it.
    pub peer_tag: u64,
    pub local_ulid: Ipv6Addr,
    pub peer_ulid: Ipv6Addr,
    /// The current locator pair.
    pub local_locator: Ipv6Addr,
    pub peer_locator: Ipv6Addr,
    /// The locators accepted as destination of incoming packets.
    pub local_locators: Vec<Ipv6Addr>,
    /// The locators accepted as source of incoming packets.
    pub peer_locators: Vec<Ipv6Addr>,
    pub send_timeout_ms: u32,
    pub keepalive_timeout_ms: u32,
    pub reap_state: ReapState,
    pub traffic: Traffic,
}

impl Context {
    /// Decodes one `ctx-get` reply (or one message of its dump).
    pub fn parse(reply: &OwnedGenlMessage) -> Result<Self, ParseError> {
        expect_command(reply, cmd::CTX_GET)?;
        let fields = Fields::collect("ctx-get reply", reply)?;
        Ok(Context {
            local_tag: fields.u64(attr::LOCAL_TAG)?,
            peer_tag: fields.u64(attr::PEER_TAG)?,
            local_ulid: fields.ipv6(attr::LOCAL_ULID)?,
            peer_ulid: fields.ipv6(attr::PEER_ULID)?,
            local_locator: fields.ipv6(attr::LOCAL_LOCATOR)?,
            peer_locator: fields.ipv6(attr::PEER_LOCATOR)?,
            local_locators: fields.locators(attr::LOCAL_LOCATORS)?,
            peer_locators: fields.locators(attr::PEER_LOCATORS)?,
            send_timeout_ms: fields.u32(attr::SEND_TIMEOUT_MS)?,
            keepalive_timeout_ms: fields.u32(attr::KEEPALIVE_TIMEOUT_MS)?,
            reap_state: ReapState::from_u8(fields.u8(attr::REAP_STATE)?),
            traffic: Traffic {
                tx_packets: fields.u64(attr::TX_PACKETS)?,
                rx_packets: fields.u64(attr::RX_PACKETS)?,
                tx_bytes: fields.u64(attr::TX_BYTES)?,
                rx_bytes: fields.u64(attr::RX_BYTES)?,
                last_tx_ms: fields.optional_u32(attr::LAST_TX_MS)?,
                last_rx_ms: fields.optional_u32(attr::LAST_RX_MS)?,
            },
        })
    }
}
