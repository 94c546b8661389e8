//! The Send / Keepalive timer pair of RFC 5534 §6, as a pure value type.

use core::time::Duration;

use super::ReapState;
use crate::constants::{
    DEFAULT_KEEPALIVE_TIMEOUT, DEFAULT_SEND_TIMEOUT, KEEPALIVE_INTERVAL_DIVISOR,
};

/// What a [`FailureDetector`] asks its owner to do when polled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DetectorEvent {
    /// Send a Keepalive on the current address pair.
    SendKeepalive,
    /// The Send Timer expired: nothing came back in Send Timeout after we
    /// sent payload. The owner must go to Exploring (RFC 5534 §6.4).
    SendTimeout,
}

/// Who runs failure detection while a context is Operational.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OperationalDetection {
    /// The detector's own timers, fed every payload event.
    #[default]
    Timers,
    /// The data path (shim6d: the kernel module) runs the Send and
    /// Keepalive timers and reports a Send timeout as a failure hint. The
    /// detector sees no payload then, so in Operational it runs no timer:
    /// its Send timer would expire on a healthy context. In InboundOk the
    /// Send timer still runs; there it waits for the peer's probes.
    DataPath,
}

/// Send and Keepalive timers of one context, exactly as the kernel runs them.
///
/// Times are `Duration`s since an arbitrary epoch chosen by the caller.
/// "Payload" means ULP packets and Shim6 control messages other than
/// Keepalive and Probe (RFC 5534 §6.1, §6.2).
///
/// Rules (the kernel module implements the same; tests compare them):
///
/// 1. Outbound payload: in Operational and InboundOk the Send Timer is
///    started if it is not running (it is *not* restarted); in Operational
///    the Keepalive Timer is stopped. No effect in Exploring.
/// 2. Inbound payload: the Send Timer is stopped; in Operational the
///    Keepalive Timer is started if it is not running.
/// 3. Inbound Keepalive (and any other inbound packet of the context): the
///    Send Timer is stopped.
/// 4. While the Keepalive Timer runs, a Keepalive is due every
///    Keepalive Interval = Keepalive Timeout / 3 after the timer started,
///    and one last Keepalive when the timer itself expires after
///    Keepalive Timeout; then it stops. (Any outbound payload stops the
///    timer, so no keepalive is ever sent within an interval of payload.)
/// 5. Send Timer expiry after Send Timeout reports [`DetectorEvent::SendTimeout`]
///    and the owner moves to Exploring, where no timer runs.
/// 6. At most one of the two timers runs at any time; the Keepalive Timer
///    only in Operational, the Send Timer only in Operational and InboundOk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FailureDetector {
    state: ReapState,
    detection: OperationalDetection,
    send_timeout: Duration,
    keepalive_timeout: Duration,
    send_deadline: Option<Duration>,
    keepalive_deadline: Option<Duration>,
    next_keepalive: Option<Duration>,
}

impl Default for FailureDetector {
    fn default() -> Self {
        Self::new(DEFAULT_SEND_TIMEOUT, DEFAULT_KEEPALIVE_TIMEOUT)
    }
}

impl FailureDetector {
    /// Starts in Operational with no timer running (a fresh context).
    pub fn new(send_timeout: Duration, keepalive_timeout: Duration) -> Self {
        FailureDetector {
            state: ReapState::Operational,
            detection: OperationalDetection::Timers,
            send_timeout,
            keepalive_timeout,
            send_deadline: None,
            keepalive_deadline: None,
            next_keepalive: None,
        }
    }

    pub fn state(&self) -> ReapState {
        self.state
    }

    pub fn set_operational_detection(&mut self, detection: OperationalDetection) {
        self.detection = detection;
        if !self.timers_here() {
            self.stop_send();
            self.stop_keepalive();
        }
    }

    /// Whether this detector's timers may run in the current state.
    fn timers_here(&self) -> bool {
        self.state != ReapState::Operational || self.detection == OperationalDetection::Timers
    }

    pub fn send_timeout(&self) -> Duration {
        self.send_timeout
    }

    pub fn keepalive_timeout(&self) -> Duration {
        self.keepalive_timeout
    }

    pub fn keepalive_interval(&self) -> Duration {
        self.keepalive_timeout / KEEPALIVE_INTERVAL_DIVISOR
    }

    /// Adopt the peer's Send Timeout (its Keepalive Timeout option) as ours.
    pub fn set_keepalive_timeout(&mut self, timeout: Duration) {
        self.keepalive_timeout = timeout;
    }

    pub fn is_send_timer_running(&self) -> bool {
        self.send_deadline.is_some()
    }

    pub fn is_keepalive_timer_running(&self) -> bool {
        self.keepalive_deadline.is_some()
    }

    /// Rule 1.
    pub fn on_payload_sent(&mut self, now: Duration) {
        match self.state {
            ReapState::Operational => {
                self.stop_keepalive();
                self.start_send(now);
            }
            ReapState::InboundOk => self.start_send(now),
            ReapState::Exploring => {}
        }
    }

    /// Rule 2.
    pub fn on_payload_received(&mut self, now: Duration) {
        self.stop_send();
        if self.state == ReapState::Operational {
            self.start_keepalive(now);
        }
    }

    /// Rule 3.
    pub fn on_keepalive_received(&mut self) {
        self.stop_send();
    }

    /// Change REAP state, keeping rule 6: timers not allowed in the new
    /// state are stopped.
    pub fn set_state(&mut self, state: ReapState) {
        self.state = state;
        match state {
            ReapState::Exploring => {
                self.stop_send();
                self.stop_keepalive();
            }
            ReapState::InboundOk => self.stop_keepalive(),
            ReapState::Operational if !self.timers_here() => self.stop_send(),
            ReapState::Operational => {}
        }
    }

    /// START Send: start if not running (mutually exclusive with Keepalive).
    pub fn start_send(&mut self, now: Duration) {
        if self.state == ReapState::Exploring || !self.timers_here() {
            return;
        }
        if self.send_deadline.is_none() {
            self.stop_keepalive();
            self.send_deadline = Some(now.saturating_add(self.send_timeout));
        }
    }

    /// RESTART Send: start from zero even if running.
    pub fn restart_send(&mut self, now: Duration) {
        self.send_deadline = None;
        self.start_send(now);
    }

    pub fn stop_send(&mut self) {
        self.send_deadline = None;
    }

    /// START Keepalive: start if not running (Operational only).
    pub fn start_keepalive(&mut self, now: Duration) {
        if !self.timers_here() || self.state != ReapState::Operational || self.keepalive_deadline.is_some()
        {
            return;
        }
        self.send_deadline = None;
        self.keepalive_deadline = Some(now.saturating_add(self.keepalive_timeout));
        self.next_keepalive = Some(now.saturating_add(self.keepalive_interval()));
    }

    pub fn stop_keepalive(&mut self) {
        self.keepalive_deadline = None;
        self.next_keepalive = None;
    }

    /// Earliest instant at which [`poll`](Self::poll) has something to do.
    pub fn next_deadline(&self) -> Option<Duration> {
        [self.send_deadline, self.keepalive_deadline, self.next_keepalive]
            .into_iter()
            .flatten()
            .min()
    }

    /// Fire at most one due timer; call repeatedly until `None`.
    pub fn poll(&mut self, now: Duration) -> Option<DetectorEvent> {
        if let Some(deadline) = self.send_deadline {
            if deadline <= now {
                self.send_deadline = None;
                return Some(DetectorEvent::SendTimeout);
            }
        }
        if let Some(deadline) = self.keepalive_deadline {
            if deadline <= now {
                // The final keepalive of rule 4.
                self.stop_keepalive();
                return Some(DetectorEvent::SendKeepalive);
            }
        }
        if let Some(due) = self.next_keepalive {
            if due <= now {
                let next = due.saturating_add(self.keepalive_interval());
                // The expiry keepalive covers the last interval.
                self.next_keepalive = match self.keepalive_deadline {
                    Some(end) if next < end => Some(next),
                    _ => None,
                };
                return Some(DetectorEvent::SendKeepalive);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: u64) -> Duration {
        Duration::from_secs(s)
    }

    fn drain(detector: &mut FailureDetector, now: Duration) -> Vec<DetectorEvent> {
        core::iter::from_fn(|| detector.poll(now)).collect()
    }

    #[test]
    fn send_timer_starts_once_and_expires_after_send_timeout() {
        let mut detector = FailureDetector::default();
        detector.on_payload_sent(secs(0));
        detector.on_payload_sent(secs(10)); // does not restart
        assert_eq!(detector.next_deadline(), Some(secs(15)));
        assert!(drain(&mut detector, secs(14)).is_empty());
        assert_eq!(drain(&mut detector, secs(15)), vec![DetectorEvent::SendTimeout]);
    }

    #[test]
    fn inbound_packet_stops_send_timer() {
        let mut detector = FailureDetector::default();
        detector.on_payload_sent(secs(0));
        detector.on_keepalive_received();
        assert!(!detector.is_send_timer_running());
        detector.on_payload_sent(secs(1));
        detector.on_payload_received(secs(2));
        assert!(!detector.is_send_timer_running());
        assert!(detector.is_keepalive_timer_running());
    }

    #[test]
    fn keepalives_every_third_of_timeout_then_a_last_one() {
        let mut detector = FailureDetector::default();
        detector.on_payload_received(secs(0));
        detector.on_payload_received(secs(3)); // START, not RESTART
        let mut sent_at = Vec::new();
        for t in 0..=40 {
            for event in drain(&mut detector, secs(t)) {
                assert_eq!(event, DetectorEvent::SendKeepalive);
                sent_at.push(t);
            }
        }
        assert_eq!(sent_at, vec![5, 10, 15]);
        assert!(!detector.is_keepalive_timer_running());
    }

    #[test]
    fn outbound_payload_stops_keepalives_and_timers_are_exclusive() {
        let mut detector = FailureDetector::default();
        detector.on_payload_received(secs(0));
        detector.on_payload_sent(secs(1));
        assert!(!detector.is_keepalive_timer_running());
        assert!(detector.is_send_timer_running());
        detector.on_payload_received(secs(2));
        assert!(!detector.is_send_timer_running());
        assert!(detector.is_keepalive_timer_running());
    }

    #[test]
    fn no_timer_runs_in_exploring() {
        let mut detector = FailureDetector::default();
        detector.on_payload_sent(secs(0));
        detector.set_state(ReapState::Exploring);
        detector.on_payload_sent(secs(1));
        detector.on_payload_received(secs(2));
        assert_eq!(detector.next_deadline(), None);
    }

    #[test]
    fn data_path_detection_runs_no_operational_timer_but_keeps_inbound_ok_send() {
        let mut detector = FailureDetector::default();
        detector.on_payload_sent(secs(0));
        detector.set_operational_detection(OperationalDetection::DataPath);
        assert_eq!(detector.next_deadline(), None, "the running Send timer stops");
        detector.restart_send(secs(1));
        detector.on_payload_received(secs(2));
        assert_eq!(detector.next_deadline(), None);
        detector.set_state(ReapState::InboundOk);
        detector.start_send(secs(3));
        assert_eq!(detector.next_deadline(), Some(secs(3) + detector.send_timeout()));
        detector.set_state(ReapState::Operational);
        assert_eq!(detector.next_deadline(), None, "back in Operational the data path owns it");
    }

    #[test]
    fn inbound_ok_runs_send_timer_but_never_keepalive() {
        let mut detector = FailureDetector::default();
        detector.set_state(ReapState::InboundOk);
        detector.on_payload_received(secs(0));
        assert!(!detector.is_keepalive_timer_running());
        detector.on_payload_sent(secs(1));
        assert_eq!(detector.next_deadline(), Some(secs(16)));
    }
}
