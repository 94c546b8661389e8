//! REAP as shim6d runs it: the kernel module owns the Send and Keepalive
//! timers of an Operational context and only tells the daemon about a
//! Send timeout, or about payload that arrives while the context explores.
//! The daemon's machines never see payload while Operational, so they must
//! not run failure detection of their own there.

use core::net::Ipv6Addr;
use core::time::Duration;
use std::collections::{BTreeSet, VecDeque};

use shim6_proto::random::SeededRandom;
use shim6_proto::reap::{
    LocatorPair, OperationalDetection, ReapConfig, ReapMachine, ReapOutput, ReapState,
    ReceivedProbe,
};
use shim6_proto::wire::ProbeReport;

const STEP: Duration = Duration::from_millis(10);
const DELAY: Duration = Duration::from_millis(20);
/// The kernel reports payload received while exploring this often.
const PAYLOAD_EVERY: Duration = Duration::from_millis(100);

fn addr(host: u16, provider: u16) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, provider, 0, 0, 0, 0, host)
}

struct InFlight {
    at: Duration,
    to: usize,
    pair: LocatorPair,
    state: ReapState,
    sent: Vec<ProbeReport>,
    received: Vec<ProbeReport>,
}

/// Two daemons' machines for one context, three providers each, joined by
/// a network in which single directed pairs can be broken.
struct Daemons {
    now: Duration,
    machines: [ReapMachine; 2],
    rng: SeededRandom,
    broken: BTreeSet<(Ipv6Addr, Ipv6Addr)>,
    in_flight: VecDeque<InFlight>,
    next_payload: Duration,
    pair_changes: Vec<(Duration, usize, LocatorPair)>,
    probes_sent: usize,
}

impl Daemons {
    fn new(detection: OperationalDetection) -> Self {
        let config = ReapConfig {
            send_timeout: Duration::from_secs(1),
            keepalive_timeout: Duration::from_secs(1),
            detection,
            ..ReapConfig::default()
        };
        let a: Vec<Ipv6Addr> = (1..=3).map(|p| addr(0xa, p)).collect();
        let b: Vec<Ipv6Addr> = (1..=3).map(|p| addr(0xb, p)).collect();
        let machine_a = ReapMachine::new(
            config.clone(),
            LocatorPair::new(a[0], b[0]),
            a.clone(),
            b.clone(),
        );
        let machine_b = ReapMachine::new(config, LocatorPair::new(b[0], a[0]), b, a);
        Daemons {
            now: Duration::ZERO,
            machines: [machine_a, machine_b],
            rng: SeededRandom::new(5),
            broken: BTreeSet::new(),
            in_flight: VecDeque::new(),
            next_payload: Duration::ZERO,
            pair_changes: Vec::new(),
            probes_sent: 0,
        }
    }

    fn up(&self, pair: LocatorPair) -> bool {
        !self.broken.contains(&(pair.local, pair.peer))
    }

    fn break_duplex(&mut self, pair: LocatorPair) {
        self.broken.insert((pair.local, pair.peer));
        self.broken.insert((pair.peer, pair.local));
    }

    /// A kernel's Send timer expired.
    fn kernel_reports_send_timeout(&mut self, side: usize) {
        self.machines[side].start_exploring(self.now, &mut self.rng);
        self.drain();
    }

    fn drain(&mut self) {
        for from in 0..2 {
            while let Some(output) = self.machines[from].poll_output() {
                match output {
                    // The module sends keepalives; the daemon drops the core's.
                    ReapOutput::SendKeepalive(_) => {}
                    ReapOutput::SendProbe(probe) => {
                        self.probes_sent += 1;
                        if self.up(probe.pair) {
                            self.in_flight.push_back(InFlight {
                                at: self.now + DELAY,
                                to: 1 - from,
                                pair: probe.pair,
                                state: probe.state,
                                sent: probe.sent_reports,
                                received: probe.received_reports,
                            });
                        }
                    }
                    ReapOutput::CurrentPairChanged(pair) => {
                        self.pair_changes.push((self.now, from, pair));
                    }
                }
            }
        }
    }

    fn step(&mut self) {
        self.now += STEP;
        while self
            .in_flight
            .front()
            .is_some_and(|probe| probe.at <= self.now)
        {
            let Some(probe) = self.in_flight.pop_front() else {
                break;
            };
            let received = ReceivedProbe {
                state: probe.state,
                sent_reports: &probe.sent,
                received_reports: &probe.received,
            };
            assert!(self.up(probe.pair));
            self.machines[probe.to].on_probe_received(self.now, received, &mut self.rng);
            self.drain();
        }
        // Payload flows on each side's current pair; a kernel that is not
        // Operational reports it (RxExploring), one that is keeps quiet.
        if self.now >= self.next_payload {
            self.next_payload = self.now + PAYLOAD_EVERY;
            for to in 0..2 {
                let carrying = self.machines[1 - to].current_pair();
                if self.up(carrying) && self.machines[to].state() != ReapState::Operational {
                    self.machines[to].on_payload_received(self.now, &mut self.rng);
                }
            }
            self.drain();
        }
        for machine in &mut self.machines {
            if machine.next_deadline().is_some_and(|at| at <= self.now) {
                machine.handle_timeout(self.now, &mut self.rng);
            }
        }
        self.drain();
    }

    fn run_for(&mut self, duration: Duration) {
        let end = self.now + duration;
        while self.now < end {
            self.step();
        }
    }

    fn operational_on_working_pairs(&self) -> bool {
        self.machines
            .iter()
            .all(|m| m.state() == ReapState::Operational && self.up(m.current_pair()))
    }
}

/// The benchmark's failure: the pair in use dies both ways and REAP
/// recovers (B's kernel times out `b_later` after A's, or never); the
/// exchange that ends the exploration settles; then the pair is repaired.
fn recover_then_repair(detection: OperationalDetection, b_later: Option<Duration>) -> Daemons {
    let mut daemons = Daemons::new(detection);
    let failed = daemons.machines[0].current_pair();
    daemons.break_duplex(failed);
    daemons.kernel_reports_send_timeout(0);
    let b_timeout_at = b_later.map(|later| daemons.now + later);
    while b_timeout_at.is_some_and(|at| daemons.now < at) || !daemons.operational_on_working_pairs()
    {
        assert!(daemons.now < Duration::from_secs(30), "no recovery");
        if b_timeout_at == Some(daemons.now) {
            daemons.kernel_reports_send_timeout(1);
        }
        daemons.step();
    }
    daemons.run_for(Duration::from_secs(1) / 2);
    assert!(daemons.operational_on_working_pairs(), "recovered");
    daemons.broken.clear();
    daemons
}

const B_TIMEOUT_OFFSETS: [Option<Duration>; 5] = [
    Some(Duration::ZERO),
    Some(Duration::from_millis(300)),
    Some(Duration::from_millis(1500)),
    Some(Duration::from_secs(4)),
    None,
];

#[test]
fn recovered_context_stays_on_its_pair_after_the_failed_pair_returns() {
    for b_later in B_TIMEOUT_OFFSETS {
        let mut daemons = recover_then_repair(OperationalDetection::DataPath, b_later);
        let (changes, probes) = (daemons.pair_changes.len(), daemons.probes_sent);
        daemons.run_for(Duration::from_secs(30));
        assert_eq!(
            daemons.pair_changes[changes..],
            [],
            "B timed out {b_later:?} after A"
        );
        assert_eq!(
            daemons.probes_sent, probes,
            "B timed out {b_later:?} after A"
        );
        assert!(daemons.operational_on_working_pairs());
    }
}

#[test]
fn machine_timers_alone_would_reexplore_a_healthy_context() {
    // The same run with the machine's own Operational timers, which see no
    // payload here: the Send timer that §6.8 restarts expires and a new
    // exploration moves the pair, often back to the repaired one. This is
    // what the data-path mode exists for.
    let mut daemons = recover_then_repair(OperationalDetection::Timers, None);
    let (changes, probes) = (daemons.pair_changes.len(), daemons.probes_sent);
    daemons.run_for(Duration::from_secs(30));
    assert!(daemons.probes_sent > probes);
    assert!(daemons.pair_changes.len() > changes);
}

#[test]
fn data_path_mode_still_answers_a_peer_that_explores() {
    // Only the peer's kernel saw a Send timeout: our machine, Operational,
    // must still take part in the exploration the peer starts.
    let mut daemons = Daemons::new(OperationalDetection::DataPath);
    let b_to_a = daemons.machines[1].current_pair();
    daemons.broken.insert((b_to_a.local, b_to_a.peer));
    daemons.kernel_reports_send_timeout(1);
    daemons.run_for(Duration::from_secs(20));
    assert!(daemons.operational_on_working_pairs());
    assert_ne!(daemons.machines[1].current_pair(), b_to_a);
}
