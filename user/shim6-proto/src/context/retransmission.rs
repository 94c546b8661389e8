//! Binary exponential back-off with ±50 % randomisation (RFC 5533 §7.8,
//! §10.2): the interval doubles after every try and each actual wait is
//! drawn uniformly from [0.5·T, 1.5·T].

use core::time::Duration;

use crate::random::RandomSource;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Retransmission {
    /// Retransmissions done so far (the first transmission is not counted).
    retries: u32,
    nominal: Duration,
    cap: Duration,
    due_at: Duration,
}

impl Retransmission {
    /// Arm after the first transmission at `now`.
    pub fn start(
        now: Duration,
        initial: Duration,
        cap: Duration,
        rng: &mut dyn RandomSource,
    ) -> Self {
        let mut timer = Retransmission { retries: 0, nominal: initial, cap, due_at: now };
        timer.due_at = now.saturating_add(randomised(timer.nominal, rng));
        timer
    }

    pub fn due_at(&self) -> Duration {
        self.due_at
    }

    pub fn retries(&self) -> u32 {
        self.retries
    }

    pub fn is_due(&self, now: Duration) -> bool {
        self.due_at <= now
    }

    /// Record a retransmission at `now` and arm the next, doubled, wait.
    pub fn retransmitted(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        self.retries = self.retries.saturating_add(1);
        self.nominal = self.nominal.saturating_mul(2).min(self.cap);
        self.due_at = now.saturating_add(randomised(self.nominal, rng));
    }
}

fn randomised(nominal: Duration, rng: &mut dyn RandomSource) -> Duration {
    nominal.mul_f64(0.5 + rng.unit_interval())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::constants::{I1_TIMEOUT, MAX_UPDATE_TIMEOUT, UPDATE_TIMEOUT};
    use crate::random::SeededRandom;

    #[test]
    fn i1_waits_follow_the_rfc_ranges() {
        let mut rng = SeededRandom::new(5);
        let mut timer = Retransmission::start(Duration::ZERO, I1_TIMEOUT, Duration::MAX, &mut rng);
        let first = timer.due_at();
        assert!(first >= Duration::from_secs(2) && first <= Duration::from_secs(6));
        let mut now = first;
        for (low, high) in [(4, 12), (8, 24), (16, 48), (32, 96)] {
            timer.retransmitted(now, &mut rng);
            let wait = timer.due_at() - now;
            assert!(wait >= Duration::from_secs(low) && wait <= Duration::from_secs(high));
            now = timer.due_at();
        }
        assert_eq!(timer.retries(), 4);
    }

    #[test]
    fn update_back_off_is_capped() {
        let mut rng = SeededRandom::new(6);
        let mut timer =
            Retransmission::start(Duration::ZERO, UPDATE_TIMEOUT, MAX_UPDATE_TIMEOUT, &mut rng);
        for _ in 0..20 {
            let now = timer.due_at();
            timer.retransmitted(now, &mut rng);
            assert!(timer.due_at() - now <= MAX_UPDATE_TIMEOUT.mul_f64(1.5));
        }
    }
}
