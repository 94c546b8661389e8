//! Property: no sequence of messages, payload, timer and locator events
//! makes the state machines panic.

use proptest::prelude::*;

use shim6_proto::sim::{drive_hosts, locator, Simulation};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_event_sequences_never_panic(data in proptest::collection::vec(any::<u8>(), 0..600)) {
        let established = drive_hosts(&data);
        prop_assert!(established <= 2 * 256);
    }

    /// Random link failures and repairs during a running session.
    #[test]
    fn random_link_flapping_never_panics(
        seed in any::<u64>(),
        flaps in proptest::collection::vec((0usize..3, 0usize..3, any::<bool>(), any::<bool>(), 1u64..20), 0..12),
    ) {
        let mut sim = Simulation::new(seed, core::time::Duration::from_millis(20));
        sim.peers[0].host.start_context(sim.now, locator(0, 0), locator(1, 0)).expect("start");
        sim.flush(0);
        sim.peers[0].payload_interval = Some(core::time::Duration::from_millis(300));
        sim.peers[1].payload_interval = Some(core::time::Duration::from_millis(500));
        for (i, j, forward, up, wait) in flaps {
            let (src, dst) = if forward { (locator(0, i), locator(1, j)) } else { (locator(1, j), locator(0, i)) };
            sim.network.set_up(src, dst, up);
            sim.run_for(core::time::Duration::from_secs(wait));
        }
        prop_assert!(sim.codec_failures.is_empty(), "{:?}", sim.codec_failures);
    }
}

#[test]
fn driver_reaches_established_contexts() {
    // start A→B, deliver, deliver, deliver: I1, R1, I2, R2.
    let script = [0u8, 0, 1, 8, 0, 8, 0, 8, 0, 8, 0];
    assert_eq!(drive_hosts(&script), 2);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The fuzz oracle, on the host: an attacker's messages never give a
    /// context a peer locator its peer could not prove.
    #[test]
    fn attacker_sequences_never_break_the_oracle(data in proptest::collection::vec(any::<u8>(), 0..800)) {
        if let Err(violation) = shim6_proto::sim::drive_hosts_under_attack(&data) {
            prop_assert!(false, "{}", violation);
        }
    }
}
