//! CLOCK_MONOTONIC as systemd reads it (sd_notify's `MONOTONIC_USEC=`):
//! `Instant` uses that clock but does not show its value.

use std::io;

/// Microseconds of CLOCK_MONOTONIC.
pub fn monotonic_usec() -> io::Result<u64> {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a live timespec the call fills in.
    super::check(unsafe { libc::clock_gettime(libc::CLOCK_MONOTONIC, &mut now) })?;
    let seconds = u64::try_from(now.tv_sec).map_err(io::Error::other)?;
    let nanos = u64::try_from(now.tv_nsec).map_err(io::Error::other)?;
    Ok(seconds
        .saturating_mul(1_000_000)
        .saturating_add(nanos / 1000))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    #[test]
    fn it_is_monotonic_and_keeps_pace_with_instant() {
        let start = Instant::now();
        let first = monotonic_usec().unwrap();
        std::thread::sleep(Duration::from_millis(20));
        let second = monotonic_usec().unwrap();
        let elapsed = u64::try_from(start.elapsed().as_micros()).unwrap();
        assert!(first > 0);
        assert!(second >= first + 20_000, "{first} → {second}");
        assert!(
            second - first <= elapsed + 1000,
            "{first} → {second}, {elapsed} µs"
        );
    }
}
