//! The bounds of RFC 5533 §16 on what strangers can make a host keep: a
//! cap on contexts, on unanswered establishments per peer /64, and a
//! negative cache instead of contexts for peers without Shim6.

use core::net::Ipv6Addr;
use core::time::Duration;

use shim6_proto::context::{AcceptAllVerifier, Host, HostConfig, HostLimits, StartError};
use shim6_proto::random::SeededRandom;
use shim6_proto::wire::{ContextTag, Message, Options, I1, I2};

const OURS: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xb1, 0, 0, 0, 0, 1);

fn peer(prefix: u16, host: u16) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, prefix, 0, 0, 0, 0, host)
}

fn host(limits: HostLimits) -> Host<AcceptAllVerifier, SeededRandom> {
    let mut config = HostConfig::new(vec![OURS]);
    config.limits = limits;
    Host::new(config, AcceptAllVerifier, SeededRandom::new(5), Duration::ZERO)
}

/// A full I1/I2 exchange from `from`; true when R answered with an R2.
fn establish_from(r: &mut Host<AcceptAllVerifier, SeededRandom>, from: Ipv6Addr) -> bool {
    let now = Duration::from_secs(1);
    let tag = ContextTag::from_masked(0x77);
    r.handle_message(now, from, OURS, Message::I1(I1 { initiator_tag: tag, initiator_nonce: 1, options: Options::default() }));
    let Some(Message::R1(r1)) = r.poll_transmit().map(|t| t.message) else { return false };
    let options = Options { responder_validator: r1.options.responder_validator, ..Options::default() };
    let i2 = I2 { initiator_tag: tag, initiator_nonce: 1, responder_nonce: r1.responder_nonce, options };
    r.handle_message(now, from, OURS, Message::I2(i2));
    std::iter::from_fn(|| r.poll_transmit()).any(|t| matches!(t.message, Message::R2(_)))
}

#[test]
fn responder_stops_at_the_context_cap_and_counts() {
    let mut r = host(HostLimits { max_contexts: 3, ..HostLimits::default() });
    for n in 1..=3 {
        assert!(establish_from(&mut r, peer(n, 1)), "peer {n}");
    }
    assert!(!establish_from(&mut r, peer(4, 1)), "a fourth context past the cap");
    assert_eq!(r.context_count(), 3);
    assert_eq!(r.refusals().get("context_limit"), Some(&1));
    // A peer that has a context is still answered (its R2 was lost: R2 again).
    let i1 = I1 { initiator_tag: ContextTag::from_masked(0x77), initiator_nonce: 1, options: Options::default() };
    r.handle_message(Duration::from_secs(2), peer(2, 1), OURS, Message::I1(i1));
    assert!(matches!(r.poll_transmit().map(|t| t.message), Some(Message::R2(_))));
}

#[test]
fn initiator_stops_at_the_context_cap() {
    let mut a = host(HostLimits { max_contexts: 2, ..HostLimits::default() });
    let now = Duration::ZERO;
    a.start_context(now, OURS, peer(1, 1)).expect("first");
    a.start_context(now, OURS, peer(2, 1)).expect("second");
    assert_eq!(a.start_context(now, OURS, peer(3, 1)), Err(StartError::ContextLimit));
    assert_eq!(a.refusals().get("context_limit"), Some(&1));
}

#[test]
fn unanswered_establishments_are_capped_per_peer_prefix() {
    let mut a = host(HostLimits { max_half_open_per_prefix: 4, ..HostLimits::default() });
    let now = Duration::ZERO;
    for n in 1..=4 {
        a.start_context(now, OURS, peer(0xa1, n)).expect("under the cap");
    }
    assert_eq!(a.start_context(now, OURS, peer(0xa1, 5)), Err(StartError::HalfOpenLimit));
    assert!(a.start_context(now, OURS, peer(0xa2, 1)).is_ok(), "another /64 is not affected");
    assert_eq!(a.refusals().get("half_open_limit"), Some(&1));
}

#[test]
fn peers_without_shim6_cost_a_bounded_negative_cache_entry_not_a_context() {
    let mut a = host(HostLimits { negative_cache_size: 8, ..HostLimits::default() });
    let mut now = Duration::ZERO;
    for n in 1..=20 {
        a.start_context(now, OURS, peer(n, 1)).expect("start");
    }
    // No answers: every establishment gives up after its I1 retries.
    while a.context_count() > 0 && now < Duration::from_secs(300) {
        now += Duration::from_millis(500);
        a.handle_timeout(now);
        while a.poll_transmit().is_some() {}
    }
    assert_eq!(a.context_count(), 0, "failed establishments keep no context");
    assert_eq!(a.held_down_peers(), 8, "the negative cache is bounded");
    assert!(matches!(a.start_context(now, OURS, peer(20, 1)), Err(StartError::NoShim6 { .. })));
    assert!(a.start_context(now, OURS, peer(1, 1)).is_ok(), "the oldest entries were forgotten first");
}

#[test]
fn deadlines_come_from_the_index_and_follow_every_change() {
    let mut a = host(HostLimits::default());
    assert_eq!(a.next_deadline(), None);
    a.start_context(Duration::ZERO, OURS, peer(1, 1)).expect("start");
    let first = a.next_deadline().expect("I1 retransmission is scheduled");
    assert!(first > Duration::ZERO);
    a.handle_timeout(first);
    let second = a.next_deadline().expect("the next retransmission");
    assert!(second > first, "the due context was re-indexed ({first:?} -> {second:?})");
}
