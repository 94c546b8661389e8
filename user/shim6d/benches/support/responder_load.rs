//! A responder (hB) with many live contexts, made the way hB's shim6d
//! makes them: I1 → R1 → I2 → R2 between two `Host`s, every message
//! through the real codec. The peers that fill the table are single-homed
//! (their ULID is their only locator, so their I2 has no Locator List);
//! the I2s the benchmark times come from multihomed CGA peers
//! (`cga_peer`), signed by the daemon's own `CgaVerifier`.
//!
//! Shared through `#[path]` by the `i2_contexts` benchmark and the tests
//! that use a crowded responder.

#![allow(dead_code)] // each user takes what it needs

use std::cell::RefCell;
use std::net::Ipv6Addr;
use std::rc::Rc;
use std::time::Duration;

use shim6_cga::{
    cga_address, generate_cga, parse_prefix64, public_key_der, CgaParams, Prefix64, RsaPrivateKey,
    SearchOptions, Sec,
};
use shim6_proto::context::{AcceptAllVerifier, Host, HostConfig, HostEvent, LocatorVerifier};
use shim6_proto::random::{RandomSource, SeededRandom};
use shim6_proto::wire::{ContextTag, Message, VerificationMethod};
use shim6d::config::AddressMethod;
use shim6d::identity::{Identity, LocalAddress};
use shim6d::stats::VerificationStats;
use shim6d::verifier::CgaVerifier;

/// Every exchange happens at this time: the responder's validator secret
/// never rotates, so an R1 stays good for as long as the run lasts.
pub const EXCHANGE_TIME: Duration = Duration::from_secs(1_000);

/// hB's three providers, as in the test topology.
pub const RESPONDER_PREFIXES: [&str; 3] =
    ["2001:db8:b1::/64", "2001:db8:b2::/64", "2001:db8:b3::/64"];
/// hA's.
pub const PEER_PREFIXES: [&str; 3] = ["2001:db8:a1::/64", "2001:db8:a2::/64", "2001:db8:a3::/64"];

/// A CGA identity as shim6d generates it: one modifier search (Sec 0
/// here) moved to every prefix, all signed with `key`.
pub fn cga_identity(key: RsaPrivateKey, prefixes: &[&str]) -> Identity {
    let der = public_key_der(&key.to_public_key()).expect("DER public key");
    let prefixes: Vec<Prefix64> = prefixes
        .iter()
        .map(|text| parse_prefix64(text).expect("prefix"))
        .collect();
    let sec = Sec::new(0).expect("Sec 0");
    let search = SearchOptions {
        threads: 1,
        ..SearchOptions::default()
    };
    let found = generate_cga(prefixes[0], &der, sec, Vec::new(), &search).expect("CGA");
    let addresses = prefixes
        .iter()
        .map(|prefix| {
            let params = CgaParams {
                subnet_prefix: *prefix,
                ..found.params.clone()
            };
            LocalAddress {
                address: cga_address(&params, sec),
                prefix: *prefix,
                params: params.encode(),
            }
        })
        .collect();
    Identity {
        method: AddressMethod::Cga,
        sec,
        key: Some(key),
        addresses,
    }
}

/// The daemon's verifier for `identity`, with counters of its own.
pub fn daemon_verifier(identity: Identity) -> (CgaVerifier, Rc<RefCell<VerificationStats>>) {
    let stats = Rc::new(RefCell::new(VerificationStats::default()));
    (
        CgaVerifier::new(Rc::new(identity), Rc::clone(&stats)),
        stats,
    )
}

/// The host configuration shim6d builds for `identity` (CGA locators).
pub fn host_config(identity: &Identity, max_contexts: usize) -> HostConfig {
    let mut config = HostConfig::new(identity.locator_addresses());
    config.locator_method = VerificationMethod::Cga;
    config.limits.max_contexts = max_contexts;
    config
}

/// The ULID of filling peer `n`: each in a /64 of its own.
pub fn filler_ulid(n: u32) -> Ipv6Addr {
    Ipv6Addr::new(
        0x2001,
        0x0db8,
        0xc000 | (n >> 16) as u16,
        n as u16,
        0,
        0,
        0,
        1,
    )
}

/// Passes a message through the codec, as the network would.
pub fn deliver<V: LocatorVerifier, R: RandomSource>(
    to: &mut Host<V, R>,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    message: &Message,
) {
    let bytes = message.to_bytes().expect("emit");
    let message = Message::parse(&bytes).expect("parse");
    to.handle_message(EXCHANGE_TIME, src, dst, message);
}

/// Runs I1 → R1 → I2 from `initiator` (which must have no context yet)
/// to `responder` and returns the I2's (src, dst, bytes), not delivered.
pub fn i2_towards<V, W, R, S>(
    initiator: &mut Host<V, R>,
    local_ulid: Ipv6Addr,
    responder: &mut Host<W, S>,
    responder_ulid: Ipv6Addr,
) -> (Ipv6Addr, Ipv6Addr, Vec<u8>)
where
    V: LocatorVerifier,
    W: LocatorVerifier,
    R: RandomSource,
    S: RandomSource,
{
    initiator
        .start_context(EXCHANGE_TIME, local_ulid, responder_ulid)
        .expect("start context");
    let i1 = initiator.poll_transmit().expect("I1 sent");
    deliver(responder, i1.src, i1.dst, &i1.message);
    let r1 = responder.poll_transmit().expect("R1 sent");
    assert!(matches!(r1.message, Message::R1(_)), "expected R1: {r1:?}");
    deliver(initiator, r1.src, r1.dst, &r1.message);
    let i2 = initiator.poll_transmit().expect("I2 sent");
    assert!(matches!(i2.message, Message::I2(_)), "expected I2: {i2:?}");
    (i2.src, i2.dst, i2.message.to_bytes().expect("emit I2"))
}

/// The responder's context that the last messages established, its R2
/// and events drained.
pub fn established<V: LocatorVerifier, R: RandomSource>(responder: &mut Host<V, R>) -> ContextTag {
    while responder.poll_transmit().is_some() {}
    let mut tag = None;
    while let Some(event) = responder.poll_event() {
        if let HostEvent::Established { local_tag } = event {
            tag = Some(local_tag);
        }
    }
    tag.expect("the I2 established a context")
}

/// Adds `count` established contexts (peers `first..first + count`).
pub fn fill<V: LocatorVerifier, R: RandomSource>(
    responder: &mut Host<V, R>,
    responder_ulid: Ipv6Addr,
    first: u32,
    count: u32,
) {
    for n in first..first + count {
        let ulid = filler_ulid(n);
        let mut peer = Host::new(
            HostConfig::new(vec![ulid]),
            AcceptAllVerifier,
            SeededRandom::new(u64::from(n)),
            EXCHANGE_TIME,
        );
        let (src, dst, bytes) = i2_towards(&mut peer, ulid, responder, responder_ulid);
        responder.handle_message(
            EXCHANGE_TIME,
            src,
            dst,
            Message::parse(&bytes).expect("parse I2"),
        );
        established(responder);
    }
}
