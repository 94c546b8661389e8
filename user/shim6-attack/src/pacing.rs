//! A fixed sending rate: how many packets are due after some time. A
//! sender that fell behind (a slow guest) catches up, so the count over
//! the whole run is the rate times its length.

use std::time::Duration;

/// Packets due `elapsed` after the start at `per_second`.
pub fn packets_due(per_second: u64, elapsed: Duration) -> u64 {
    let due = elapsed.as_nanos().saturating_mul(u128::from(per_second)) / 1_000_000_000;
    u64::try_from(due).unwrap_or(u64::MAX)
}

/// When, after the start, the packet after the first `sent` is due at
/// `per_second`: a sender sleeps until then instead of polling the clock.
pub fn next_due_after(per_second: u64, sent: u64) -> Duration {
    if per_second == 0 {
        return Duration::MAX;
    }
    let nanos = u128::from(sent)
        .saturating_add(1)
        .saturating_mul(1_000_000_000)
        .div_ceil(u128::from(per_second));
    u64::try_from(nanos).map_or(Duration::MAX, Duration::from_nanos)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_follows_the_clock() {
        assert_eq!(packets_due(500, Duration::ZERO), 0);
        assert_eq!(packets_due(500, Duration::from_millis(1)), 0);
        assert_eq!(packets_due(500, Duration::from_millis(2)), 1);
        assert_eq!(packets_due(500, Duration::from_secs(60)), 30_000);
        assert_eq!(packets_due(3, Duration::from_millis(999)), 2);
    }

    #[test]
    fn the_next_packet_is_due_when_the_count_reaches_it() {
        for (rate, sent) in [(500, 0), (500, 7), (3, 2), (250, 14_999), (7, 1_000_000)] {
            let at = next_due_after(rate, sent);
            assert_eq!(packets_due(rate, at), sent + 1, "rate {rate}, sent {sent}");
            assert_eq!(packets_due(rate, at - Duration::from_nanos(1)), sent, "rate {rate}, sent {sent}");
        }
        assert_eq!(next_due_after(250, 0), Duration::from_millis(4));
        assert_eq!(next_due_after(0, 0), Duration::MAX);
    }

    #[test]
    fn huge_values_saturate() {
        assert_eq!(packets_due(u64::MAX, Duration::MAX), u64::MAX);
    }
}
