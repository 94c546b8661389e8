//! The events of the `events` multicast group, decoded.  The command of
//! an event message says which event it is.

use std::net::Ipv6Addr;

use crate::decode::Fields;
use crate::error::ParseError;
use crate::family::{attr, cmd};
use crate::message::OwnedGenlMessage;

/// One event from the module.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    /// `evt-trigger`: traffic between these addresses reached the trigger
    /// thresholds (or the peer's policy is `immediate`): establish a
    /// context.
    Trigger {
        local_address: Ipv6Addr,
        peer_address: Ipv6Addr,
    },
    /// `evt-send-timeout`: the Send Timer of a context expired on its
    /// current pair: start exploring.
    SendTimeout {
        local_tag: u64,
        local_ulid: Ipv6Addr,
        peer_ulid: Ipv6Addr,
        local_locator: Ipv6Addr,
        peer_locator: Ipv6Addr,
    },
    /// `evt-unknown-tag`: a payload packet carried a context tag we have
    /// no context for (send an R1bis).
    UnknownTag {
        /// The unknown tag the packet carried.
        tag: u64,
        /// The packet's destination.
        local_address: Ipv6Addr,
        /// The packet's source.
        peer_address: Ipv6Addr,
    },
    /// `evt-rx-exploring`: a packet of a context arrived on another pair
    /// than the current one.
    RxExploring {
        local_tag: u64,
        /// The pair the packet arrived on.
        local_locator: Ipv6Addr,
        peer_locator: Ipv6Addr,
    },
    /// `evt-path-changed`: a context's current pair is now this one.
    PathChanged {
        local_tag: u64,
        local_locator: Ipv6Addr,
        peer_locator: Ipv6Addr,
    },
    /// `evt-ipsec-refused`: the module refused to move a context onto
    /// this rewriting pair, an IPsec policy covering its ULID pair (its
    /// packets would have left around IPsec); the context keeps its pair.
    IpsecRefused {
        local_tag: u64,
        local_ulid: Ipv6Addr,
        peer_ulid: Ipv6Addr,
        /// The pair refused.
        local_locator: Ipv6Addr,
        peer_locator: Ipv6Addr,
    },
    /// An event command this client does not know (a newer module).
    Unrecognized { cmd: u8 },
}

impl Event {
    /// Decodes one message received on the `events` group.
    pub fn parse(message: &OwnedGenlMessage) -> Result<Self, ParseError> {
        let context = match message.genl.cmd {
            cmd::EVT_TRIGGER => "evt-trigger",
            cmd::EVT_SEND_TIMEOUT => "evt-send-timeout",
            cmd::EVT_UNKNOWN_TAG => "evt-unknown-tag",
            cmd::EVT_RX_EXPLORING => "evt-rx-exploring",
            cmd::EVT_PATH_CHANGED => "evt-path-changed",
            cmd::EVT_IPSEC_REFUSED => "evt-ipsec-refused",
            other => return Ok(Event::Unrecognized { cmd: other }),
        };
        let fields = Fields::collect(context, message)?;
        Ok(match message.genl.cmd {
            cmd::EVT_TRIGGER => Event::Trigger {
                local_address: fields.ipv6(attr::LOCAL_ADDRESS)?,
                peer_address: fields.ipv6(attr::PEER_ADDRESS)?,
            },
            cmd::EVT_SEND_TIMEOUT => Event::SendTimeout {
                local_tag: fields.u64(attr::LOCAL_TAG)?,
                local_ulid: fields.ipv6(attr::LOCAL_ULID)?,
                peer_ulid: fields.ipv6(attr::PEER_ULID)?,
                local_locator: fields.ipv6(attr::LOCAL_LOCATOR)?,
                peer_locator: fields.ipv6(attr::PEER_LOCATOR)?,
            },
            cmd::EVT_UNKNOWN_TAG => Event::UnknownTag {
                tag: fields.u64(attr::LOCAL_TAG)?,
                local_address: fields.ipv6(attr::LOCAL_ADDRESS)?,
                peer_address: fields.ipv6(attr::PEER_ADDRESS)?,
            },
            cmd::EVT_RX_EXPLORING => Event::RxExploring {
                local_tag: fields.u64(attr::LOCAL_TAG)?,
                local_locator: fields.ipv6(attr::LOCAL_LOCATOR)?,
                peer_locator: fields.ipv6(attr::PEER_LOCATOR)?,
            },
            cmd::EVT_IPSEC_REFUSED => Event::IpsecRefused {
                local_tag: fields.u64(attr::LOCAL_TAG)?,
                local_ulid: fields.ipv6(attr::LOCAL_ULID)?,
                peer_ulid: fields.ipv6(attr::PEER_ULID)?,
                local_locator: fields.ipv6(attr::LOCAL_LOCATOR)?,
                peer_locator: fields.ipv6(attr::PEER_LOCATOR)?,
            },
            _ => Event::PathChanged {
                local_tag: fields.u64(attr::LOCAL_TAG)?,
                local_locator: fields.ipv6(attr::LOCAL_LOCATOR)?,
                peer_locator: fields.ipv6(attr::PEER_LOCATOR)?,
            },
        })
    }

    /// The event's name without the `evt-` prefix: `trigger`,
    /// `send-timeout`, `unknown-tag`, `rx-exploring`, `path-changed`,
    /// `ipsec-refused`, or `unrecognized`.
    pub fn name(&self) -> &'static str {
        match self {
            Event::Trigger { .. } => "trigger",
            Event::SendTimeout { .. } => "send-timeout",
            Event::UnknownTag { .. } => "unknown-tag",
            Event::RxExploring { .. } => "rx-exploring",
            Event::PathChanged { .. } => "path-changed",
            Event::IpsecRefused { .. } => "ipsec-refused",
            Event::Unrecognized { .. } => "unrecognized",
        }
    }
}
