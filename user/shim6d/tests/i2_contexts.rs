//! The short form of the `i2_contexts` benchmark (1 000 and 10 000 live
//! contexts, a few I2s each, debug build: the numbers are not the
//! benchmark's), and the verdict cache on real CGA signatures: a replayed
//! I2 costs no second RSA check, a forged variant of it is checked and
//! refused.

#[path = "../benches/support/i2_load.rs"]
mod i2_load;
#[path = "../benches/support/responder_load.rs"]
mod responder_load;

use std::rc::Rc;

use i2_load::{run, Settings};
use responder_load::{
    cga_identity, daemon_verifier, established, host_config, i2_towards, EXCHANGE_TIME,
    PEER_PREFIXES, RESPONDER_PREFIXES,
};
use shim6_cga::generate_rsa_key;
use shim6_proto::context::Host;
use shim6_proto::random::SeededRandom;
use shim6_proto::wire::Message;
use shim6d::config::RateLimitsConfig;
use shim6d::runtime::ManualClock;
use shim6d::throttled_verifier::ThrottledVerifier;

#[test]
fn i2s_at_one_and_ten_thousand_contexts_each_cost_one_signature_check() {
    let settings = Settings {
        sizes: vec![1_000, 10_000],
        samples: 5,
        rsa_bits: 1024,
    };
    let points = run(&settings, |step| eprintln!("{step}"));
    assert_eq!(points.len(), 2);
    for point in &points {
        assert_eq!(point.samples, 5);
        assert!(point.median <= point.p95, "median ≤ p95");
        eprintln!(
            "{} contexts: median {:?}, p95 {:?}, mean {:?}, {:?} B/context",
            point.contexts, point.median, point.p95, point.mean, point.rss_bytes_per_context
        );
    }
    let last = &points[1].verification;
    assert_eq!(last.cga_verified, 10, "every I2 was checked for real");
    assert_eq!(last.cache_hits, 0, "fresh peers: no cache hit");
    assert_eq!(last.rejected_total() + last.rate_limited, 0);
}

#[test]
fn a_replayed_i2_costs_no_second_check_and_a_forged_replay_is_refused() {
    let responder_identity = cga_identity(generate_rsa_key(1024).unwrap(), &RESPONDER_PREFIXES);
    let responder_ulid = responder_identity.addresses[0].address;
    let config = host_config(&responder_identity, 16);
    let (checker, stats) = daemon_verifier(responder_identity);
    let clock = ManualClock::default();
    clock.set(EXCHANGE_TIME);
    let verifier = ThrottledVerifier::new(
        checker,
        RateLimitsConfig::default().verification,
        clock,
        Rc::clone(&stats),
    );
    let mut responder = Host::new(config, verifier, SeededRandom::new(3), EXCHANGE_TIME);

    let peer_identity = cga_identity(generate_rsa_key(1024).unwrap(), &PEER_PREFIXES);
    let peer_ulid = peer_identity.addresses[0].address;
    let peer_config = host_config(&peer_identity, 16);
    let (signer, _) = daemon_verifier(peer_identity);
    let mut peer = Host::new(peer_config, signer, SeededRandom::new(4), EXCHANGE_TIME);
    let (src, dst, bytes) = i2_towards(&mut peer, peer_ulid, &mut responder, responder_ulid);

    for _ in 0..3 {
        responder.handle_message(EXCHANGE_TIME, src, dst, Message::parse(&bytes).unwrap());
        let r2 = responder.poll_transmit().expect("R2");
        assert!(matches!(r2.message, Message::R2(_)), "{r2:?}");
    }
    established(&mut responder);
    assert_eq!(
        stats.borrow().cga_verified,
        1,
        "one RSA check for three I2s"
    );
    assert_eq!(stats.borrow().cache_hits, 2);

    // The same I2 with one octet of its signature changed.
    let Message::I2(mut forged) = Message::parse(&bytes).unwrap() else {
        panic!("not an I2")
    };
    let signature = forged
        .options
        .cga_signature
        .as_mut()
        .expect("a signed list");
    signature[10] ^= 0x01;
    let forged_bytes = Message::I2(forged).to_bytes().unwrap();
    let refused_before: u64 = responder.refusals().values().sum();
    responder.handle_message(
        EXCHANGE_TIME,
        src,
        dst,
        Message::parse(&forged_bytes).unwrap(),
    );
    let answer = responder
        .poll_transmit()
        .expect("an Error for the forged list");
    assert!(matches!(answer.message, Message::Error(_)), "{answer:?}");
    assert_eq!(stats.borrow().cache_hits, 2, "the forgery is no cache hit");
    assert_eq!(stats.borrow().rejected.get("bad_signature"), Some(&1));
    assert_eq!(
        responder.refusals().values().sum::<u64>(),
        refused_before + 1
    );
}
