//! When the next probe is due during exploration (RFC 5534 §4.3).

use core::time::Duration;

use crate::constants::{
    INITIAL_PROBES, INITIAL_PROBE_TIMEOUT, MAX_PROBE_TIMEOUT, PROBE_JITTER_PERCENT,
};
use crate::random::RandomSource;

/// Probe retransmission schedule: `INITIAL_PROBES` probes spaced
/// `INITIAL_PROBE_TIMEOUT` apart, then each interval doubles up to
/// `MAX_PROBE_TIMEOUT`, where it stays until exploration ends. Every
/// interval is randomised by ±`PROBE_JITTER_PERCENT` and never exceeds the
/// cap, so peers that lost the same path do not probe in lock-step.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProbeSchedule {
    probes_sent: u32,
}

impl ProbeSchedule {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn probes_sent(&self) -> u32 {
        self.probes_sent
    }

    /// Un-jittered gap after the probe with 0-based index `probe_index`.
    pub fn nominal_interval(probe_index: u32) -> Duration {
        if probe_index.saturating_add(1) < INITIAL_PROBES {
            return INITIAL_PROBE_TIMEOUT;
        }
        let doublings = probe_index.saturating_add(2).saturating_sub(INITIAL_PROBES);
        // 2^7 × 0.5 s already exceeds the cap; avoid overflow beyond it.
        if doublings >= 16 {
            return MAX_PROBE_TIMEOUT;
        }
        INITIAL_PROBE_TIMEOUT
            .saturating_mul(1 << doublings)
            .min(MAX_PROBE_TIMEOUT)
    }

    /// Record that a probe was sent and return the gap until the next one.
    pub fn probe_sent(&mut self, rng: &mut dyn RandomSource) -> Duration {
        let nominal = Self::nominal_interval(self.probes_sent);
        self.probes_sent = self.probes_sent.saturating_add(1);
        jitter(nominal, rng).min(MAX_PROBE_TIMEOUT)
    }

    /// True once the back-off has reached the cap: a hint that the context
    /// may be garbage-collected if this continues.
    pub fn at_cap(&self) -> bool {
        self.probes_sent > 0 && Self::nominal_interval(self.probes_sent - 1) >= MAX_PROBE_TIMEOUT
    }
}

/// `nominal` scaled by a uniform factor in [1 − j, 1 + j], j = jitter %.
pub fn jitter(nominal: Duration, rng: &mut dyn RandomSource) -> Duration {
    let spread = f64::from(PROBE_JITTER_PERCENT) / 100.0;
    let factor = 1.0 - spread + 2.0 * spread * rng.unit_interval();
    nominal.mul_f64(factor)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SeededRandom;

    #[test]
    fn four_initial_probes_then_doubling() {
        let gaps: Vec<_> = (0..8).map(ProbeSchedule::nominal_interval).collect();
        let ms = |m| Duration::from_millis(m);
        assert_eq!(
            gaps,
            vec![ms(500), ms(500), ms(500), ms(1000), ms(2000), ms(4000), ms(8000), ms(16000)]
        );
    }

    #[test]
    fn back_off_reaches_and_respects_the_cap() {
        let mut rng = SeededRandom::new(3);
        let mut schedule = ProbeSchedule::new();
        let mut gaps = Vec::new();
        for _ in 0..200 {
            gaps.push(schedule.probe_sent(&mut rng));
        }
        assert!(gaps.iter().all(|gap| *gap <= MAX_PROBE_TIMEOUT));
        assert!(schedule.at_cap());
        // At the cap, jitter can only shorten: at least 48 s.
        assert!(gaps[20..].iter().all(|gap| *gap >= Duration::from_secs(48)));
        assert_eq!(ProbeSchedule::nominal_interval(u32::MAX - 1), MAX_PROBE_TIMEOUT);
    }

    #[test]
    fn jitter_stays_within_twenty_percent_and_uses_the_range() {
        let mut rng = SeededRandom::new(11);
        let nominal = Duration::from_secs(10);
        let (mut low, mut high) = (Duration::MAX, Duration::ZERO);
        for _ in 0..5000 {
            let value = jitter(nominal, &mut rng);
            assert!(value >= Duration::from_secs(8) && value <= Duration::from_secs(12));
            low = low.min(value);
            high = high.max(value);
        }
        assert!(low < Duration::from_millis(8200), "low {low:?}");
        assert!(high > Duration::from_millis(11800), "high {high:?}");
    }
}
