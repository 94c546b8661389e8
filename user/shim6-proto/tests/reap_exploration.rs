//! REAP over the simulator: unidirectional failure, a single surviving pair
//! per direction, and burst mode preferring the faster pair.

use core::net::Ipv6Addr;
use core::time::Duration;

use shim6_proto::context::{Context, ContextState, HostConfig};
use shim6_proto::reap::{LocatorPair, ReapState};
use shim6_proto::sim::{locator, Simulation};

const A: usize = 0;
const B: usize = 1;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn context(sim: &Simulation, peer: usize) -> Context {
    sim.peers[peer].host.contexts().next().cloned().expect("context")
}

/// Established on (A1, B1) both ways, both sides sending payload.
fn established(sim: &mut Simulation) {
    sim.peers[A].host.start_context(sim.now, locator(A, 0), locator(B, 0)).expect("start");
    sim.flush(A);
    sim.run_for(secs(2));
    assert_eq!(context(sim, A).state(), ContextState::Established);
    sim.peers[A].payload_interval = Some(Duration::from_millis(500));
    sim.peers[B].payload_interval = Some(Duration::from_millis(700));
    sim.run_for(secs(2));
}

fn link_up(sim: &Simulation, pair: LocatorPair) -> bool {
    sim.network.link(pair.local, pair.peer).up
}

fn both_operational_on_working_pairs(sim: &Simulation) -> bool {
    let (a, b) = (context(sim, A), context(sim, B));
    a.reap_state() == Some(ReapState::Operational)
        && b.reap_state() == Some(ReapState::Operational)
        && link_up(sim, a.current_pair())
        && link_up(sim, b.current_pair())
}

fn payload_flows_both_ways(sim: &mut Simulation) -> bool {
    let before = (sim.peers[A].payload_received.len(), sim.peers[B].payload_received.len());
    sim.run_for(secs(3));
    sim.peers[A].payload_received.len() > before.0 && sim.peers[B].payload_received.len() > before.1
}

#[test]
fn unidirectional_failure_converges_in_both_directions() {
    // Thesis Fig. 2.4: the path B1 → A1 dies, A1 → B1 still works.
    let mut sim = Simulation::new(7, Duration::from_millis(20));
    established(&mut sim);
    sim.network.set_up(locator(B, 0), locator(A, 0), false);
    let converged = sim.run_until(secs(60), |sim| {
        sim.now > secs(10) && both_operational_on_working_pairs(sim)
    });
    assert!(converged, "A {:?} B {:?}", context(&sim, A).current_pair(), context(&sim, B).current_pair());
    assert_ne!(context(&sim, B).current_pair(), LocatorPair::new(locator(B, 0), locator(A, 0)));
    assert!(payload_flows_both_ways(&mut sim));
    assert!(both_operational_on_working_pairs(&sim), "stays converged");
    assert!(sim.codec_failures.is_empty(), "{:?}", sim.codec_failures);
}

#[test]
fn single_working_pair_per_direction_is_found() {
    let mut sim = Simulation::new(8, Duration::from_millis(20));
    established(&mut sim);
    let a_to_b = LocatorPair::new(locator(A, 1), locator(B, 2));
    let b_to_a = LocatorPair::new(locator(B, 0), locator(A, 2));
    for i in 0..3 {
        for j in 0..3 {
            let forward = LocatorPair::new(locator(A, i), locator(B, j));
            let backward = LocatorPair::new(locator(B, j), locator(A, i));
            sim.network.set_up(forward.local, forward.peer, forward == a_to_b);
            sim.network.set_up(backward.local, backward.peer, backward == b_to_a);
        }
    }
    let converged = sim.run_until(secs(300), both_operational_on_working_pairs);
    assert!(converged, "A {:?} B {:?}", context(&sim, A).current_pair(), context(&sim, B).current_pair());
    assert_eq!(context(&sim, A).current_pair(), a_to_b);
    assert_eq!(context(&sim, B).current_pair(), b_to_a);
    assert!(payload_flows_both_ways(&mut sim));
}

/// Cut (A1,B1) both ways; A→B pairs are slow except (A3,B3).
fn delayed_paths_outcome(probes_per_round: usize) -> LocatorPair {
    let mut sim = Simulation::with_configs(9, Duration::from_millis(50), |config: &mut HostConfig| {
        config.reap.probes_per_round = probes_per_round;
    });
    established(&mut sim);
    let fast = LocatorPair::new(locator(A, 2), locator(B, 2));
    for i in 0..3 {
        for j in 0..3 {
            let pair = LocatorPair::new(locator(A, i), locator(B, j));
            let delay = if pair == fast { 10 } else { 150 };
            sim.network.set_delay(pair.local, pair.peer, Duration::from_millis(delay));
        }
    }
    sim.network.set_up(locator(A, 0), locator(B, 0), false);
    sim.network.set_up(locator(B, 0), locator(A, 0), false);
    let converged = sim.run_until(secs(60), |sim| {
        sim.now > secs(10) && both_operational_on_working_pairs(sim)
    });
    assert!(converged);
    // Let late probe reports arrive too.
    sim.run_for(secs(5));
    assert!(both_operational_on_working_pairs(&sim));
    context(&sim, A).current_pair()
}

#[test]
fn burst_mode_picks_the_lower_delay_pair() {
    let fast = LocatorPair::new(locator(A, 2), locator(B, 2));
    assert_eq!(delayed_paths_outcome(4), fast);
    // Sequential probing settles on the first pair that works instead.
    assert_ne!(delayed_paths_outcome(1), fast);
}

#[test]
fn probes_use_completely_different_pairs_first() {
    let mut sim = Simulation::new(10, Duration::from_millis(20));
    established(&mut sim);
    let failed: (Ipv6Addr, Ipv6Addr) = (locator(A, 0), locator(B, 0));
    // Cut everything so A's whole probe sequence is visible.
    for i in 0..3 {
        for j in 0..3 {
            sim.network.set_up(locator(A, i), locator(B, j), false);
            sim.network.set_up(locator(B, j), locator(A, i), false);
        }
    }
    sim.run_for(secs(70));
    let probes: Vec<(Ipv6Addr, Ipv6Addr)> = sim
        .log
        .iter()
        .filter(|record| record.from_peer == A && record.msg_type == Some(shim6_proto::wire::msg_type::PROBE))
        .map(|record| (record.src, record.dst))
        .collect();
    assert!(probes.len() >= 9, "{} probes", probes.len());
    for (src, dst) in &probes[..4] {
        assert!(*src != failed.0 && *dst != failed.1, "{src} {dst}");
    }
    for (src, dst) in &probes[4..8] {
        assert!((*src == failed.0) != (*dst == failed.1), "{src} {dst}");
    }
    assert_eq!(probes[8], failed);
}
