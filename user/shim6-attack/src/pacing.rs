//! A fixed sending rate: how many packets are due after some time. A
//! sender that fell behind (a slow guest) catches up, so the count over
//! the whole run is the rate times its length.

use std::time::Duration;

/// Packets due `elapsed` after the start at `per_second`.
pub fn packets_due(per_second: u64, elapsed: Duration) -> u64 {
    let due = elapsed.as_nanos().saturating_mul(u128::from(per_second)) / 1_000_000_000;
    u64::try_from(due).unwrap_or(u64::MAX)
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
    fn huge_values_saturate() {
        assert_eq!(packets_due(u64::MAX, Duration::MAX), u64::MAX);
    }
}
