//! A real I1 → R1 → I2 exchange between two `Host`s, so the I2 carries a
//! validator the responder itself made and a Locator List proven with
//! shim6-cga (CGA Parameters, and a signature for CGA-method locators).
//!
//! The responder is rebuilt from a fixed seed: a fresh `responder_host` has
//! the same validator secrets as the one that answered the I1, so the I2
//! can be handled again and again without replaying the exchange.

use crate::cga_locator_verifier::{CgaLocatorVerifier, LocalProof};
use shim6_cga::{
    cga_address, generate_cga, generate_hba_set, parse_prefix64, public_key_der, HbaKey,
    RsaPrivateKey, SearchOptions, Sec,
};
use shim6_proto::context::{
    AcceptAllVerifier, Host, HostConfig, LocatorVerifier, ResponderSecrets, Transmit,
};
use shim6_proto::random::{RandomSource, SeededRandom};
use shim6_proto::wire::{Message, VerificationMethod, I2};
use std::net::Ipv6Addr;
use std::time::Duration;

pub const RESPONDER_ULID: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x100, 0, 0, 0, 0, 1);
const RESPONDER_SEED: u64 = 0x5eed_0001;
const INITIATOR_SEED: u64 = 0x5eed_0002;
/// Every step of the exchange and of its replays happens at this time, so
/// the responder's secret never rotates in between.
pub const EXCHANGE_TIME: Duration = Duration::from_secs(1_000);

/// The initiator's three /64s: a multihomed host with three providers.
const INITIATOR_PREFIXES: [&str; 3] = ["2001:db8:1::/64", "2001:db8:2::/64", "2001:db8:3::/64"];

/// A multihomed initiator: its locators (the ULID first) and their proof.
pub struct Identity {
    pub locators: Vec<Ipv6Addr>,
    pub method: VerificationMethod,
    pub proof: LocalProof,
}

/// A CGA ULID with two more CGA-method locators, signed with `key`.
pub fn cga_identity(key: RsaPrivateKey, sec: Sec) -> Identity {
    let der = public_key_der(&key.to_public_key()).expect("DER public key");
    let prefixes = INITIATOR_PREFIXES.map(|text| parse_prefix64(text).expect("prefix"));
    let ulid = generate_cga(prefixes[0], &der, sec, vec![], &SearchOptions::default())
        .expect("CGA generation");
    // The other locators reuse the found modifier under the other prefixes
    // (the RFC 3972 §4 shortcut), as a multihomed CGA host would.
    let locators = prefixes
        .iter()
        .map(|prefix| {
            let mut moved = ulid.params.clone();
            moved.subnet_prefix = *prefix;
            cga_address(&moved, sec)
        })
        .collect();
    Identity {
        locators,
        method: VerificationMethod::Cga,
        proof: LocalProof {
            ulid: ulid.address,
            encoded_params: ulid.params.encode(),
            signing_key: Some(key),
        },
    }
}

/// A pure HBA set (no public key) over the three prefixes; the first
/// address is the ULID.
pub fn hba_identity(sec: Sec) -> Identity {
    let prefixes = INITIATOR_PREFIXES.map(|text| parse_prefix64(text).expect("prefix"));
    let set = generate_hba_set(&prefixes, sec, HbaKey::Pure, &SearchOptions::default())
        .expect("HBA set generation");
    Identity {
        locators: set.addresses.clone(),
        method: VerificationMethod::Hba,
        proof: LocalProof {
            ulid: set.addresses[0],
            encoded_params: set.params[0].encode(),
            signing_key: None,
        },
    }
}

/// The single-homed responder, always with the same validator secrets.
pub fn responder_host<V: LocatorVerifier>(verifier: V) -> Host<V, SeededRandom> {
    Host::new(
        HostConfig::new(vec![RESPONDER_ULID]),
        verifier,
        SeededRandom::new(RESPONDER_SEED),
        EXCHANGE_TIME,
    )
}

/// The responder's validator secrets, drawn exactly as `Host::new` draws
/// them (first thing from its generator), to time the check on its own.
pub fn responder_secrets() -> ResponderSecrets {
    ResponderSecrets::new(EXCHANGE_TIME, &mut SeededRandom::new(RESPONDER_SEED))
}

/// An I2 as the responder receives it.
pub struct ReceivedI2 {
    pub src: Ipv6Addr,
    pub dst: Ipv6Addr,
    pub message: Message,
    /// The Shim6 header on the wire (what `Message::parse` takes).
    pub bytes: Vec<u8>,
}

impl ReceivedI2 {
    pub fn i2(&self) -> &I2 {
        match &self.message {
            Message::I2(i2) => i2,
            other => unreachable!("built as an I2, got {other:?}"),
        }
    }
}

/// Runs I1 → R1 → I2 and returns the I2 the initiator sent.
pub fn i2_from(identity: Identity) -> ReceivedI2 {
    let ulid = identity.proof.ulid;
    let mut config = HostConfig::new(identity.locators);
    config.locator_method = identity.method;
    let mut initiator = Host::new(
        config,
        CgaLocatorVerifier::proving(identity.proof),
        SeededRandom::new(INITIATOR_SEED),
        EXCHANGE_TIME,
    );
    // Answering an I1 involves no locator check.
    let mut responder = responder_host(AcceptAllVerifier);

    initiator
        .start_context(EXCHANGE_TIME, ulid, RESPONDER_ULID)
        .expect("start context");
    let i1 = initiator.poll_transmit().expect("I1 sent");
    deliver(&mut responder, i1);
    let r1 = responder.poll_transmit().expect("R1 sent");
    assert!(matches!(r1.message, Message::R1(_)), "expected R1: {r1:?}");
    deliver(&mut initiator, r1);
    let i2 = initiator.poll_transmit().expect("I2 sent");
    assert!(matches!(i2.message, Message::I2(_)), "expected I2: {i2:?}");
    let bytes = i2.message.to_bytes().expect("emit I2");
    // Hand back what the responder will parse, not what the initiator built.
    let message = Message::parse(&bytes).expect("parse I2");
    ReceivedI2 {
        src: i2.src,
        dst: i2.dst,
        message,
        bytes,
    }
}

/// Passes a message through the codec, as the network would.
fn deliver<V: LocatorVerifier, R: RandomSource>(host: &mut Host<V, R>, transmit: Transmit) {
    let bytes = transmit.message.to_bytes().expect("emit");
    let message = Message::parse(&bytes).expect("parse");
    host.handle_message(EXCHANGE_TIME, transmit.src, transmit.dst, message);
}
