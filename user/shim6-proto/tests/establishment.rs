//! Context establishment, retransmission, stateless responder, validator
//! rotation, R1bis/I2bis recovery and updates, over the simulator.

use core::time::Duration;

use shim6_proto::context::{AcceptAllVerifier, ContextState, Host, HostConfig, HostEvent, StartError};
use shim6_proto::random::SeededRandom;
use shim6_proto::sim::{locator, Simulation};
use shim6_proto::wire::{msg_type, Message};

const A: usize = 0;
const B: usize = 1;

fn secs(s: u64) -> Duration {
    Duration::from_secs(s)
}

fn established_sim(seed: u64) -> Simulation {
    let mut sim = Simulation::new(seed, Duration::from_millis(20));
    sim.peers[A].host.start_context(sim.now, locator(A, 0), locator(B, 0)).expect("start");
    sim.flush(A);
    sim.run_for(secs(2));
    sim
}

fn only_context(sim: &Simulation, peer: usize) -> shim6_proto::context::Context {
    let contexts: Vec<_> = sim.peers[peer].host.contexts().cloned().collect();
    assert_eq!(contexts.len(), 1, "peer {peer} contexts");
    contexts[0].clone()
}

#[test]
fn handshake_establishes_both_sides_with_crossed_tags() {
    let sim = established_sim(1);
    let a = only_context(&sim, A);
    let b = only_context(&sim, B);
    assert_eq!(a.state(), ContextState::Established);
    assert_eq!(b.state(), ContextState::Established);
    assert_eq!(a.peer_tag(), Some(b.local_tag()));
    assert_eq!(b.peer_tag(), Some(a.local_tag()));
    assert_eq!(b.peer_locators().len(), 3, "A's locator list reached B");
    assert_eq!(sim.sent_of_type(A, msg_type::I1), 1);
    assert!(sim.codec_failures.is_empty(), "{:?}", sim.codec_failures);
}

#[test]
fn lost_first_i1_is_retransmitted() {
    let mut sim = Simulation::new(2, Duration::from_millis(20));
    sim.network.drop_next(locator(A, 0), locator(B, 0), 1);
    sim.peers[A].host.start_context(sim.now, locator(A, 0), locator(B, 0)).expect("start");
    sim.flush(A);
    sim.run_for(secs(1));
    assert_eq!(only_context(&sim, A).state(), ContextState::I1Sent);
    // First retransmission is due 2–6 s after the original.
    sim.run_for(secs(7));
    assert_eq!(sim.sent_of_type(A, msg_type::I1), 2);
    assert_eq!(only_context(&sim, A).state(), ContextState::Established);
    assert_eq!(only_context(&sim, B).state(), ContextState::Established);
}

#[test]
fn unanswered_i1_ends_in_e_failed_after_four_retries() {
    let mut sim = Simulation::new(3, Duration::from_millis(20));
    sim.network.set_up(locator(A, 0), locator(B, 0), false);
    sim.peers[A].host.start_context(sim.now, locator(A, 0), locator(B, 0)).expect("start");
    sim.flush(A);
    let failed = sim.run_until(secs(200), |sim| {
        sim.peers[A].events.iter().any(|(_, event)| {
            matches!(event, HostEvent::Failed { state: ContextState::EFailed, peer_ulid, .. } if *peer_ulid == locator(B, 0))
        })
    });
    assert!(failed);
    assert_eq!(sim.sent_of_type(A, msg_type::I1), 5);
    // The context is gone; its peer costs one entry of the negative cache.
    assert_eq!(sim.peers[A].host.context_count(), 0);
    assert_eq!(sim.peers[A].host.held_down_peers(), 1);
    assert!(matches!(
        sim.peers[A].host.start_context(sim.now, locator(A, 0), locator(B, 0)),
        Err(StartError::NoShim6 { .. })
    ));
    // NO_R1_HOLDDOWN_TIME later the ULID pair may be tried again.
    sim.run_for(secs(61));
    assert!(sim.peers[A].host.start_context(sim.now, locator(A, 0), locator(B, 0)).is_ok());
}

fn host(seed: u64, peer: usize) -> Host<AcceptAllVerifier, SeededRandom> {
    let locators = (0..3).map(|i| locator(peer, i)).collect();
    Host::new(HostConfig::new(locators), AcceptAllVerifier, SeededRandom::new(seed), Duration::ZERO)
}

/// Run I1 → R1 by hand; return the initiator, the responder and the R1.
fn i1_r1(seed: u64) -> (Host<AcceptAllVerifier, SeededRandom>, Host<AcceptAllVerifier, SeededRandom>, Message) {
    let mut initiator = host(seed, A);
    let mut responder = host(seed + 100, B);
    initiator.start_context(Duration::ZERO, locator(A, 0), locator(B, 0)).expect("start");
    let i1 = initiator.poll_transmit().expect("I1");
    responder.handle_message(Duration::ZERO, i1.src, i1.dst, i1.message);
    let r1 = responder.poll_transmit().expect("R1");
    assert!(matches!(r1.message, Message::R1(_)));
    (initiator, responder, r1.message)
}

#[test]
fn stateless_responder_keeps_nothing_after_r1() {
    let (_, responder, _) = i1_r1(10);
    assert_eq!(responder.contexts().count(), 0);
    assert_eq!(responder.next_deadline(), None);
}

fn i2_outcome(rotations: u32) -> (usize, Option<Message>) {
    let (mut initiator, mut responder, r1) = i1_r1(20);
    for i in 0..rotations {
        responder.rotate_validator_secret(Duration::from_millis(u64::from(i)));
    }
    initiator.handle_message(Duration::ZERO, locator(B, 0), locator(A, 0), r1);
    let i2 = initiator.poll_transmit().expect("I2");
    assert!(matches!(i2.message, Message::I2(_)));
    responder.handle_message(Duration::ZERO, i2.src, i2.dst, i2.message);
    (responder.contexts().count(), responder.poll_transmit().map(|t| t.message))
}

#[test]
fn validator_from_previous_secret_is_accepted() {
    let (contexts, answer) = i2_outcome(1);
    assert_eq!(contexts, 1);
    assert!(matches!(answer, Some(Message::R2(_))));
}

#[test]
fn validator_from_rotated_out_secret_is_rejected() {
    let (contexts, answer) = i2_outcome(2);
    assert_eq!(contexts, 0);
    assert_eq!(answer, None);
}

#[test]
fn lost_responder_context_is_recovered_with_r1bis_and_i2bis() {
    let mut sim = established_sim(4);
    let old_b_tag = only_context(&sim, B).local_tag();
    sim.peers[B].host.remove_context(old_b_tag);
    sim.peers[A].payload_interval = Some(secs(1));
    sim.run_for(secs(3));
    assert!(sim.sent_of_type(B, msg_type::R1BIS) >= 1);
    assert!(sim.sent_of_type(A, msg_type::I2BIS) >= 1);
    let a = only_context(&sim, A);
    let b = only_context(&sim, B);
    assert_eq!(a.state(), ContextState::Established);
    assert_eq!(b.state(), ContextState::Established);
    assert_ne!(b.local_tag(), old_b_tag, "responder picks a fresh tag");
    assert_eq!(a.peer_tag(), Some(b.local_tag()));
    assert_eq!(b.peer_tag(), Some(a.local_tag()));
    let before = sim.peers[B].payload_received.len();
    sim.run_for(secs(3));
    assert!(sim.peers[B].payload_received.len() > before, "payload flows again");
}

#[test]
fn restarted_initiator_gets_r1_and_replaces_the_context() {
    let mut sim = established_sim(5);
    let old_a_tag = only_context(&sim, A).local_tag();
    sim.peers[A].host.remove_context(old_a_tag);
    sim.peers[A].host.start_context(sim.now, locator(A, 0), locator(B, 0)).expect("restart");
    sim.flush(A);
    sim.run_for(secs(2));
    let a = only_context(&sim, A);
    let b = only_context(&sim, B);
    assert_eq!(a.state(), ContextState::Established);
    assert_eq!(b.peer_tag(), Some(a.local_tag()));
    assert_eq!(sim.sent_of_type(B, msg_type::R1), 2);
}

#[test]
fn update_request_is_acknowledged_after_locator_change() {
    let mut sim = established_sim(6);
    let new_locator = "2001:db8:a:9::1".parse().expect("address");
    sim.network.drop_next(locator(A, 0), locator(B, 0), 1);
    let mut locators: Vec<_> = (0..3).map(|i| locator(A, i)).collect();
    locators.push(new_locator);
    sim.peers[A].locators.push(new_locator);
    sim.peers[A].host.set_local_locators(sim.now, locators);
    sim.flush(A);
    assert!(only_context(&sim, A).update_pending());
    sim.run_for(secs(15));
    assert!(sim.sent_of_type(A, msg_type::UPDATE_REQUEST) >= 2, "first request was lost");
    assert!(!only_context(&sim, A).update_pending());
    assert!(only_context(&sim, B).peer_locators().contains(&new_locator));
    assert!(sim.sent_of_type(B, msg_type::UPDATE_ACK) >= 1);
}
