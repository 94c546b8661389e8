//! Silences between arrivals.  Times are offsets on the receiver's own
//! monotonic clock; a gap runs from the arrival of the last data before it
//! to the arrival of the first data after it, which for a path failure is
//! the application recovery time.

use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gap {
    /// When the last data before the gap arrived.
    pub start: Duration,
    /// From that arrival to the next one.
    pub length: Duration,
}

impl Gap {
    pub fn end(&self) -> Duration {
        self.start + self.length
    }
}

#[derive(Debug)]
pub struct GapTracker {
    /// Gaps at least this long are kept (and reported one by one).
    notable: Duration,
    first_arrival: Option<Duration>,
    last_arrival: Option<Duration>,
    largest: Option<Gap>,
    notable_gaps: Vec<Gap>,
}

impl GapTracker {
    pub fn new(notable: Duration) -> Self {
        GapTracker {
            notable,
            first_arrival: None,
            last_arrival: None,
            largest: None,
            notable_gaps: Vec::new(),
        }
    }

    /// Notes data arriving at `at`; returns the gap it ends when that gap
    /// is notable.  An arrival earlier than the previous one (which a
    /// monotonic clock never gives) counts as simultaneous.
    pub fn arrival(&mut self, at: Duration) -> Option<Gap> {
        let previous = self
            .last_arrival
            .replace(at.max(self.last_arrival.unwrap_or(at)));
        let Some(previous) = previous else {
            self.first_arrival = Some(at);
            return None;
        };
        let gap = Gap {
            start: previous,
            length: at.saturating_sub(previous),
        };
        if self.largest.map_or(true, |l| gap.length > l.length) {
            self.largest = Some(gap);
        }
        if gap.length >= self.notable {
            self.notable_gaps.push(gap);
            return Some(gap);
        }
        None
    }

    /// The longest gap between two arrivals so far.
    pub fn largest(&self) -> Option<Gap> {
        self.largest
    }

    /// Every gap at least as long as the notable threshold, in order.
    pub fn notable_gaps(&self) -> &[Gap] {
        &self.notable_gaps
    }

    pub fn first_arrival(&self) -> Option<Duration> {
        self.first_arrival
    }

    pub fn last_arrival(&self) -> Option<Duration> {
        self.last_arrival
    }

    /// How long nothing has arrived, as of `now` (zero before any data):
    /// a gap still open.
    pub fn silence(&self, now: Duration) -> Duration {
        self.last_arrival
            .map_or(Duration::ZERO, |last| now.saturating_sub(last))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn steady_stream_has_no_notable_gap() {
        let mut t = GapTracker::new(ms(100));
        for i in 0..1000 {
            assert_eq!(t.arrival(ms(50 + i)), None);
        }
        assert_eq!(
            t.largest(),
            Some(Gap {
                start: ms(50),
                length: ms(1)
            })
        );
        assert!(t.notable_gaps().is_empty());
        assert_eq!(t.first_arrival(), Some(ms(50)));
        assert_eq!(t.last_arrival(), Some(ms(1049)));
    }

    #[test]
    fn a_failure_is_one_gap_from_last_to_first_arrival() {
        let mut t = GapTracker::new(ms(100));
        for i in 0..10 {
            t.arrival(ms(i));
        }
        let gap = t.arrival(ms(2509));
        assert_eq!(
            gap,
            Some(Gap {
                start: ms(9),
                length: ms(2500)
            })
        );
        assert_eq!(gap.map(|g| g.end()), Some(ms(2509)));
        // The burst of held-back data that follows adds nothing.
        for _ in 0..50 {
            assert_eq!(t.arrival(ms(2509)), None);
        }
        assert_eq!(t.largest(), gap);
    }

    #[test]
    fn several_failures_are_kept_in_order_and_the_largest_wins() {
        let mut t = GapTracker::new(ms(100));
        t.arrival(ms(0));
        t.arrival(ms(300));
        t.arrival(ms(301));
        t.arrival(ms(1301));
        t.arrival(ms(1302));
        t.arrival(ms(1352));
        let lengths: Vec<_> = t.notable_gaps().iter().map(|g| g.length).collect();
        assert_eq!(lengths, vec![ms(300), ms(1000)]);
        assert_eq!(
            t.largest(),
            Some(Gap {
                start: ms(301),
                length: ms(1000)
            })
        );
    }

    #[test]
    fn threshold_is_inclusive() {
        let mut t = GapTracker::new(ms(100));
        t.arrival(ms(0));
        assert!(t.arrival(ms(99)).is_none());
        assert!(t.arrival(ms(199)).is_some());
    }

    #[test]
    fn silence_is_the_open_gap() {
        let mut t = GapTracker::new(ms(100));
        assert_eq!(t.silence(ms(500)), Duration::ZERO);
        t.arrival(ms(200));
        assert_eq!(t.silence(ms(950)), ms(750));
        assert_eq!(t.silence(ms(100)), Duration::ZERO);
    }

    #[test]
    fn an_arrival_out_of_clock_order_is_not_a_negative_gap() {
        let mut t = GapTracker::new(ms(100));
        t.arrival(ms(500));
        assert_eq!(t.arrival(ms(400)), None);
        assert_eq!(t.largest().map(|g| g.length), Some(Duration::ZERO));
        // The later clock reading stays the reference.
        assert_eq!(
            t.arrival(ms(650)),
            Some(Gap {
                start: ms(500),
                length: ms(150)
            })
        );
    }
}
