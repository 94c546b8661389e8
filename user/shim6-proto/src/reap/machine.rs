//! The REAP state machine of one context (RFC 5534 §6).

use std::collections::VecDeque;

use core::net::Ipv6Addr;
use core::time::Duration;

use super::{
    exploration_order, DetectorEvent, FailureDetector, LocatorPair, OperationalDetection,
    ProbeHistory, ProbeSchedule, ReapState,
};
use crate::constants::{DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_SEND_TIMEOUT};
use crate::random::RandomSource;
use crate::wire::ProbeReport;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReapConfig {
    /// Our Send Timeout (announced to the peer as its Keepalive Timeout).
    pub send_timeout: Duration,
    /// The peer's Send Timeout, or the default if it announced none.
    pub keepalive_timeout: Duration,
    /// Probes sent per exploration round. 1 follows RFC 5534 §4.3 (probes
    /// strictly one at a time). More enables burst mode: each round probes
    /// that many different pairs at once and the new pair is the one whose
    /// probe came back fastest. Burst mode is a local extension, off by
    /// default.
    pub probes_per_round: usize,
    /// Whether this machine's own timers detect failures while Operational,
    /// or the data path does and calls [`ReapMachine::start_exploring`].
    pub detection: OperationalDetection,
}

impl Default for ReapConfig {
    fn default() -> Self {
        ReapConfig {
            send_timeout: DEFAULT_SEND_TIMEOUT,
            keepalive_timeout: DEFAULT_KEEPALIVE_TIMEOUT,
            probes_per_round: 1,
            detection: OperationalDetection::Timers,
        }
    }
}

/// A probe the owner must encode (with the peer's context tag) and send
/// from `pair.local` to `pair.peer`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeToSend {
    pub pair: LocatorPair,
    pub state: ReapState,
    pub sent_reports: Vec<ProbeReport>,
    pub received_reports: Vec<ProbeReport>,
}

/// The parts of a received Probe that REAP acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReceivedProbe<'a> {
    pub state: ReapState,
    pub sent_reports: &'a [ProbeReport],
    pub received_reports: &'a [ProbeReport],
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReapOutput {
    /// Send a Keepalive on this (the current) pair.
    SendKeepalive(LocatorPair),
    SendProbe(ProbeToSend),
    /// Payload must now use this pair (new Lp(local), Lp(peer)).
    CurrentPairChanged(LocatorPair),
}

/// REAP for one ESTABLISHED context: failure detection through
/// [`FailureDetector`], then exploration of address pairs until both
/// directions work again (Exploring → InboundOk → Operational).
///
/// Sans-IO: feed events with the current time, then drain
/// [`poll_output`](Self::poll_output) and wake up at
/// [`next_deadline`](Self::next_deadline) to call
/// [`handle_timeout`](Self::handle_timeout).
#[derive(Debug, Clone)]
pub struct ReapMachine {
    config: ReapConfig,
    detector: FailureDetector,
    current: LocatorPair,
    local_locators: Vec<Ipv6Addr>,
    peer_locators: Vec<Ipv6Addr>,
    schedule: ProbeSchedule,
    next_probe_at: Option<Duration>,
    order: Vec<LocatorPair>,
    order_cursor: usize,
    history: ProbeHistory,
    outputs: VecDeque<ReapOutput>,
}

impl ReapMachine {
    pub fn new(
        config: ReapConfig,
        current: LocatorPair,
        local_locators: Vec<Ipv6Addr>,
        peer_locators: Vec<Ipv6Addr>,
    ) -> Self {
        let mut detector = FailureDetector::new(config.send_timeout, config.keepalive_timeout);
        detector.set_operational_detection(config.detection);
        ReapMachine {
            config,
            detector,
            current,
            local_locators,
            peer_locators,
            schedule: ProbeSchedule::new(),
            next_probe_at: None,
            order: Vec::new(),
            order_cursor: 0,
            history: ProbeHistory::default(),
            outputs: VecDeque::new(),
        }
    }

    pub fn state(&self) -> ReapState {
        self.detector.state()
    }

    pub fn current_pair(&self) -> LocatorPair {
        self.current
    }

    pub fn detector(&self) -> &FailureDetector {
        &self.detector
    }

    pub fn config(&self) -> &ReapConfig {
        &self.config
    }

    /// Probes sent in the current exploration (0 when none is running).
    pub fn probes_sent(&self) -> u32 {
        self.schedule.probes_sent()
    }

    /// The peer's Keepalive Timeout option: it wants keepalives this often.
    pub fn set_keepalive_timeout(&mut self, timeout: Duration) {
        self.config.keepalive_timeout = timeout;
        self.detector.set_keepalive_timeout(timeout);
    }

    /// New locator sets (after an update). If the current pair lost one of
    /// its locators, exploration starts at once (RFC 5533 §10.4).
    pub fn set_locators(
        &mut self,
        now: Duration,
        local: Vec<Ipv6Addr>,
        peer: Vec<Ipv6Addr>,
        rng: &mut dyn RandomSource,
    ) {
        self.local_locators = local;
        self.peer_locators = peer;
        if self.state() != ReapState::Operational {
            self.order = exploration_order(&self.local_locators, &self.peer_locators, self.current);
            self.order_cursor = 0;
        }
        let current_usable = self.local_locators.contains(&self.current.local)
            && self.peer_locators.contains(&self.current.peer);
        if !current_usable {
            self.start_exploring(now, rng);
        }
    }

    /// Payload (or a control message other than Keepalive/Probe) sent.
    pub fn on_payload_sent(&mut self, now: Duration) {
        self.detector.on_payload_sent(now);
    }

    /// Payload (or a control message other than Keepalive/Probe) received.
    pub fn on_payload_received(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        if self.state() == ReapState::Exploring {
            self.enter_inbound_ok_from_exploring(now, rng);
        } else {
            self.detector.on_payload_received(now);
        }
    }

    pub fn on_keepalive_received(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        if self.state() == ReapState::Exploring {
            self.enter_inbound_ok_from_exploring(now, rng);
        } else {
            self.detector.on_keepalive_received();
        }
    }

    /// A local hint (interface down, address gone) that the current pair
    /// failed: explore without waiting for the Send Timer.
    pub fn start_exploring(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        if self.state() != ReapState::Exploring {
            self.enter_exploring(now, rng);
        }
    }

    pub fn on_probe_received(
        &mut self,
        now: Duration,
        probe: ReceivedProbe<'_>,
        rng: &mut dyn RandomSource,
    ) {
        self.history.acknowledge(probe.received_reports, now);
        if let Some(first) = probe.sent_reports.first() {
            self.history.record_received(*first);
        }
        let previous = self.state();
        match probe.state {
            // §6.7: the peer hears nothing from us.
            ReapState::Exploring => {
                self.detector.set_state(ReapState::InboundOk);
                if previous == ReapState::Operational {
                    self.begin_exploration();
                }
                if previous == ReapState::Exploring {
                    self.detector.start_send(now);
                } else {
                    self.detector.restart_send(now);
                }
                self.send_probe_to_next_pair(now, rng);
                if self.next_probe_at.is_none() {
                    self.schedule_next_probe(now, rng);
                }
            }
            // §6.8: the peer hears us and tells us which probes made it.
            ReapState::InboundOk => {
                self.adopt_pair_from_reports(probe.received_reports);
                self.end_exploration(ReapState::Operational);
                self.detector.restart_send(now);
                self.send_probe(now, self.current, rng);
            }
            // §6.9: both sides are happy.
            ReapState::Operational => {
                self.adopt_pair_from_reports(probe.received_reports);
                self.end_exploration(ReapState::Operational);
                self.detector.stop_send();
                self.detector.start_keepalive(now);
            }
        }
    }

    pub fn next_deadline(&self) -> Option<Duration> {
        let probe = match self.state() {
            ReapState::Operational => None,
            ReapState::Exploring | ReapState::InboundOk => self.next_probe_at,
        };
        [self.detector.next_deadline(), probe].into_iter().flatten().min()
    }

    /// Run every timer due at `now`.
    pub fn handle_timeout(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        while let Some(event) = self.detector.poll(now) {
            match event {
                DetectorEvent::SendKeepalive => {
                    self.outputs.push_back(ReapOutput::SendKeepalive(self.current));
                }
                DetectorEvent::SendTimeout => self.enter_exploring(now, rng),
            }
        }
        let probe_due = self.next_probe_at.is_some_and(|at| at <= now);
        if probe_due && self.state() != ReapState::Operational {
            // §6.5: retransmission.
            for _ in 0..self.config.probes_per_round.max(1) {
                self.send_probe_to_next_pair(now, rng);
            }
            if self.state() == ReapState::InboundOk {
                self.detector.start_send(now);
            }
            self.schedule_next_probe(now, rng);
        }
    }

    pub fn poll_output(&mut self) -> Option<ReapOutput> {
        self.outputs.pop_front()
    }

    // §6.4 (and local hints).
    fn enter_exploring(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        let previous = self.state();
        self.detector.set_state(ReapState::Exploring);
        self.history.forget_received();
        if previous == ReapState::Operational {
            self.begin_exploration();
        }
        for _ in 0..self.config.probes_per_round.max(1) {
            self.send_probe_to_next_pair(now, rng);
        }
        self.schedule_next_probe(now, rng);
    }

    // §6.1 and §6.6 in state Exploring. The probe schedule carries on.
    fn enter_inbound_ok_from_exploring(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        self.detector.set_state(ReapState::InboundOk);
        self.send_probe_to_next_pair(now, rng);
        self.detector.start_send(now);
    }

    /// A fresh schedule and pair order around the pair that failed.
    fn begin_exploration(&mut self) {
        self.schedule = ProbeSchedule::new();
        self.next_probe_at = None;
        self.order = exploration_order(&self.local_locators, &self.peer_locators, self.current);
        self.order_cursor = 0;
    }

    fn end_exploration(&mut self, state: ReapState) {
        self.detector.set_state(state);
        self.next_probe_at = None;
        self.schedule = ProbeSchedule::new();
    }

    fn schedule_next_probe(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        let gap = self.schedule.probe_sent(rng);
        self.next_probe_at = Some(now.saturating_add(gap));
    }

    fn next_exploration_pair(&mut self) -> LocatorPair {
        if self.order.is_empty() {
            return self.current;
        }
        let pair = self.order[self.order_cursor % self.order.len()];
        self.order_cursor = (self.order_cursor + 1) % self.order.len();
        pair
    }

    fn send_probe_to_next_pair(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        let pair = self.next_exploration_pair();
        self.send_probe(now, pair, rng);
    }

    fn send_probe(&mut self, now: Duration, pair: LocatorPair, rng: &mut dyn RandomSource) {
        let this_probe = ProbeReport {
            src: pair.local,
            dst: pair.peer,
            nonce: rng.next_u32(),
            data: 0,
        };
        let sent_reports = self.history.sent_reports(this_probe);
        self.history.record_sent(this_probe, now);
        self.outputs.push_back(ReapOutput::SendProbe(ProbeToSend {
            pair,
            state: self.state(),
            sent_reports,
            received_reports: self.history.received_reports(),
        }));
    }

    /// §6.8 / Appendix A example 5: our outgoing pair becomes one that the
    /// peer reports as having carried our probe.
    fn adopt_pair_from_reports(&mut self, peer_received: &[ProbeReport]) {
        let chosen = if self.config.probes_per_round > 1 {
            self.history.fastest_confirmed_pair(peer_received)
        } else {
            self.history.first_confirmed_pair(peer_received)
        };
        if let Some(pair) = chosen {
            if pair != self.current {
                self.current = pair;
                self.outputs.push_back(ReapOutput::CurrentPairChanged(pair));
            }
        }
    }
}
