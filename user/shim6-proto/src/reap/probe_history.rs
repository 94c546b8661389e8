//! Memory of sent and received probes: fills the Psent/Precvd report lists
//! (RFC 5534 §5.2) and measures round-trip delays for burst mode.

use std::collections::VecDeque;

use core::time::Duration;

use super::LocatorPair;
use crate::constants::MAX_PROBE_REPORTS;
use crate::wire::ProbeReport;

/// How many of our own probes are remembered for matching the peer's
/// reports. Larger than one report list so a burst round plus earlier
/// rounds can still be recognised.
const SENT_PROBES_REMEMBERED: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
struct SentProbe {
    report: ProbeReport,
    sent_at: Duration,
    /// Set when the peer first reports having received this probe.
    round_trip: Option<Duration>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeHistory {
    /// Newest first.
    sent: VecDeque<SentProbe>,
    /// Probes received since the last transition to Exploring, newest first.
    received: VecDeque<ProbeReport>,
}

impl ProbeHistory {
    pub fn record_sent(&mut self, report: ProbeReport, now: Duration) {
        self.sent.push_front(SentProbe { report, sent_at: now, round_trip: None });
        self.sent.truncate(SENT_PROBES_REMEMBERED);
    }

    pub fn record_received(&mut self, report: ProbeReport) {
        self.received.retain(|known| known.nonce != report.nonce);
        self.received.push_front(report);
        self.received.truncate(MAX_PROBE_REPORTS);
    }

    /// Precvd lists only cover probes since the last move to Exploring.
    pub fn forget_received(&mut self) {
        self.received.clear();
    }

    /// Match the peer's received-probe reports against what we sent,
    /// measuring the delay of each probe the first time it is reported.
    pub fn acknowledge(&mut self, peer_received: &[ProbeReport], now: Duration) {
        for report in peer_received {
            if let Some(probe) = self.find_mut(report) {
                if probe.round_trip.is_none() {
                    probe.round_trip = Some(now.saturating_sub(probe.sent_at));
                }
            }
        }
    }

    /// Psent list for a new probe: the probe itself first, then recent
    /// probes the peer has not reported yet.
    pub fn sent_reports(&self, this_probe: ProbeReport) -> Vec<ProbeReport> {
        let mut reports = vec![this_probe];
        reports.extend(
            self.sent
                .iter()
                .filter(|probe| probe.round_trip.is_none() && probe.report.nonce != this_probe.nonce)
                .map(|probe| probe.report)
                .take(MAX_PROBE_REPORTS - 1),
        );
        reports
    }

    pub fn received_reports(&self) -> Vec<ProbeReport> {
        self.received.iter().copied().collect()
    }

    pub fn has_received(&self) -> bool {
        !self.received.is_empty()
    }

    /// Pair of the first report (newest, as the peer orders them) that
    /// matches a probe we really sent: the default choice of §6.8.
    pub fn first_confirmed_pair(&self, peer_received: &[ProbeReport]) -> Option<LocatorPair> {
        peer_received
            .iter()
            .find_map(|report| self.find(report).map(|probe| pair_of(&probe.report)))
    }

    /// Among the reported probes we sent, the pair with the lowest measured
    /// round trip, considering every probe of ours the peer ever reported.
    pub fn fastest_confirmed_pair(&self, peer_received: &[ProbeReport]) -> Option<LocatorPair> {
        let reported = peer_received.iter().filter_map(|report| self.find(report));
        let earlier = self.sent.iter().filter(|probe| probe.round_trip.is_some());
        reported
            .chain(earlier)
            .filter_map(|probe| probe.round_trip.map(|rtt| (rtt, pair_of(&probe.report))))
            .min_by_key(|(rtt, _)| *rtt)
            .map(|(_, pair)| pair)
    }

    fn find(&self, report: &ProbeReport) -> Option<&SentProbe> {
        self.sent.iter().find(|probe| same_probe(&probe.report, report))
    }

    fn find_mut(&mut self, report: &ProbeReport) -> Option<&mut SentProbe> {
        self.sent.iter_mut().find(|probe| same_probe(&probe.report, report))
    }
}

/// A report only counts if nonce *and* addresses match what we sent, so a
/// forged report cannot steer traffic to an address pair we never probed.
fn same_probe(ours: &ProbeReport, reported: &ProbeReport) -> bool {
    ours.nonce == reported.nonce && ours.src == reported.src && ours.dst == reported.dst
}

fn pair_of(report: &ProbeReport) -> LocatorPair {
    LocatorPair::new(report.src, report.dst)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::net::Ipv6Addr;

    fn report(nonce: u32, host: u16) -> ProbeReport {
        ProbeReport {
            src: Ipv6Addr::new(0x2001, 0xdb8, host, 0, 0, 0, 0, 1),
            dst: Ipv6Addr::new(0x2001, 0xdb8, 0xb0 + host, 0, 0, 0, 0, 1),
            nonce,
            data: 0,
        }
    }

    #[test]
    fn sent_reports_start_with_this_probe_and_are_capped() {
        let mut history = ProbeHistory::default();
        for nonce in 0..40 {
            history.record_sent(report(nonce, 1), Duration::ZERO);
        }
        let this = report(100, 2);
        let reports = history.sent_reports(this);
        assert_eq!(reports[0], this);
        assert_eq!(reports.len(), MAX_PROBE_REPORTS);
        assert_eq!(reports[1].nonce, 39, "newest earlier probe next");
    }

    #[test]
    fn acknowledged_probes_leave_the_sent_list_and_give_round_trips() {
        let mut history = ProbeHistory::default();
        history.record_sent(report(1, 1), Duration::from_millis(0));
        history.record_sent(report(2, 2), Duration::from_millis(0));
        history.acknowledge(&[report(2, 2)], Duration::from_millis(30));
        history.acknowledge(&[report(1, 1)], Duration::from_millis(90));
        assert_eq!(history.sent_reports(report(3, 3)).len(), 1);
        let fastest = history.fastest_confirmed_pair(&[report(1, 1)]);
        assert_eq!(fastest, Some(pair_of(&report(2, 2))));
    }

    #[test]
    fn forged_reports_are_ignored() {
        let mut history = ProbeHistory::default();
        history.record_sent(report(1, 1), Duration::ZERO);
        let mut forged = report(1, 1);
        forged.dst = Ipv6Addr::LOCALHOST;
        assert_eq!(history.first_confirmed_pair(&[forged]), None);
        assert_eq!(history.first_confirmed_pair(&[report(1, 1)]), Some(pair_of(&report(1, 1))));
    }

    #[test]
    fn received_list_is_capped_newest_first() {
        let mut history = ProbeHistory::default();
        for nonce in 0..20 {
            history.record_received(report(nonce, 1));
        }
        let received = history.received_reports();
        assert_eq!(received.len(), MAX_PROBE_REPORTS);
        assert_eq!(received[0].nonce, 19);
        history.forget_received();
        assert!(!history.has_received());
    }
}
