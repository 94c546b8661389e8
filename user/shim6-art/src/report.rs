//! What the receiver measured, and its JSON form: one object per line on
//! standard output, `"event": "gap"` as each notable gap ends and
//! `"event": "report"` on request and at the end.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;

use crate::gaps::{Gap, GapTracker};
use crate::record::Record;
use crate::sequence::SequenceTracker;

/// Ties the receiver's monotonic offsets to wall-clock time, so that a
/// script can tell which failure a gap belongs to.
#[derive(Debug, Clone, Copy)]
pub struct ClockAnchor {
    unix_at_start: Duration,
}

impl ClockAnchor {
    pub fn now() -> Self {
        ClockAnchor {
            unix_at_start: SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .unwrap_or_default(),
        }
    }

    pub fn at_unix(unix_at_start: Duration) -> Self {
        ClockAnchor { unix_at_start }
    }

    /// Seconds since the Unix epoch of a monotonic offset.
    pub fn unix_seconds(&self, offset: Duration) -> f64 {
        (self.unix_at_start + offset).as_secs_f64()
    }
}

/// Everything the receiver counts.  Offsets are since the receiver
/// started, on its monotonic clock.
#[derive(Debug)]
pub struct Measurement {
    transport: &'static str,
    anchor: ClockAnchor,
    bytes: u64,
    gaps: GapTracker,
    sequence: SequenceTracker,
    /// Largest arrival wall-clock time minus send wall-clock time; only
    /// meaningful when both ends share a clock (as namespaces of one
    /// machine do).
    max_delay: Option<Duration>,
}

impl Measurement {
    pub fn new(transport: &'static str, anchor: ClockAnchor, notable_gap: Duration) -> Self {
        Measurement {
            transport,
            anchor,
            bytes: 0,
            gaps: GapTracker::new(notable_gap),
            sequence: SequenceTracker::default(),
            max_delay: None,
        }
    }

    /// Octets that arrived at `at`; returns the notable gap they end.
    pub fn data(&mut self, at: Duration, octets: usize) -> Option<Gap> {
        self.bytes += octets as u64;
        self.gaps.arrival(at)
    }

    /// A complete record that arrived at `at`.
    pub fn record(&mut self, at: Duration, record: Record) {
        self.sequence.record(record.seq);
        let arrived_ns = self.anchor.unix_at_start.saturating_add(at).as_nanos();
        if let Some(delay) = arrived_ns.checked_sub(u128::from(record.sent_unix_ns)) {
            let delay = Duration::from_nanos(u64::try_from(delay).unwrap_or(u64::MAX));
            self.max_delay = Some(self.max_delay.map_or(delay, |d| d.max(delay)));
        }
    }

    pub fn gap_json(&self, gap: Gap) -> GapJson {
        GapJson {
            start_s: gap.start.as_secs_f64(),
            start_unix: self.anchor.unix_seconds(gap.start),
            ms: millis(gap.length),
        }
    }

    pub fn report(&self, now: Duration, last: bool) -> Report {
        let largest = self.gaps.largest();
        Report {
            event: "report",
            last,
            transport: self.transport,
            elapsed_s: now.as_secs_f64(),
            bytes: self.bytes,
            records: self.sequence.received(),
            expected: self.sequence.expected(),
            lost: self.sequence.lost(),
            sequence_breaks: self.sequence.breaks(),
            first_arrival_s: self.gaps.first_arrival().map(|d| d.as_secs_f64()),
            last_arrival_s: self.gaps.last_arrival().map(|d| d.as_secs_f64()),
            art_ms: largest.map(|g| millis(g.length)),
            art_start_s: largest.map(|g| g.start.as_secs_f64()),
            art_start_unix: largest.map(|g| self.anchor.unix_seconds(g.start)),
            silence_ms: millis(self.gaps.silence(now)),
            max_delay_ms: self.max_delay.map(millis),
            gaps: self
                .gaps
                .notable_gaps()
                .iter()
                .map(|g| self.gap_json(*g))
                .collect(),
        }
    }
}

fn millis(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

/// One notable gap.
#[derive(Debug, Serialize, PartialEq)]
pub struct GapJson {
    /// When the last data before the gap arrived, seconds since the
    /// receiver started.
    pub start_s: f64,
    /// The same instant in seconds since the Unix epoch.
    pub start_unix: f64,
    /// The gap's length in milliseconds.
    pub ms: f64,
}

#[derive(Debug, Serialize)]
pub struct GapEvent<'a> {
    pub event: &'static str,
    #[serde(flatten)]
    pub gap: &'a GapJson,
}

#[derive(Debug, Serialize)]
pub struct Report {
    pub event: &'static str,
    /// The receiver stops after this one.
    pub last: bool,
    pub transport: &'static str,
    pub elapsed_s: f64,
    pub bytes: u64,
    pub records: u64,
    /// Records from the first number seen to the highest.
    pub expected: u64,
    pub lost: u64,
    /// Records not numbered one more than the previous (0 for an intact
    /// TCP stream).
    pub sequence_breaks: u64,
    pub first_arrival_s: Option<f64>,
    pub last_arrival_s: Option<f64>,
    /// The largest gap between two arrivals: the application recovery time.
    pub art_ms: Option<f64>,
    pub art_start_s: Option<f64>,
    pub art_start_unix: Option<f64>,
    /// Time since the last arrival (a gap still open).
    pub silence_ms: f64,
    pub max_delay_ms: Option<f64>,
    /// Every gap at least `--min-gap-ms` long, in order.
    pub gaps: Vec<GapJson>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    #[test]
    fn report_carries_the_largest_gap_and_wall_clock_times() {
        let anchor = ClockAnchor::at_unix(Duration::from_secs(1_000));
        let mut m = Measurement::new("tcp", anchor, ms(100));
        for i in 0..5u64 {
            m.data(ms(10 + i), 16);
            m.record(
                ms(10 + i),
                Record {
                    seq: i,
                    sent_unix_ns: 1_000_000_000_000,
                },
            );
        }
        let gap = m.data(ms(1_514), 32).map(|g| m.gap_json(g));
        assert_eq!(
            gap,
            Some(GapJson {
                start_s: 0.014,
                start_unix: 1000.014,
                ms: 1500.0
            })
        );
        let r = m.report(ms(2_000), true);
        assert_eq!(r.art_ms, Some(1500.0));
        assert_eq!(r.bytes, 5 * 16 + 32);
        assert_eq!((r.records, r.lost, r.sequence_breaks), (5, 0, 0));
        assert_eq!(r.silence_ms, 486.0);
        assert_eq!(r.max_delay_ms, Some(14.0));
        assert_eq!(r.gaps.len(), 1);
        let json = serde_json::to_value(&r).expect("a report serialises");
        assert_eq!(json["event"], "report");
        assert_eq!(json["art_start_unix"], 1000.014);
    }

    #[test]
    fn empty_report_has_no_art() {
        let m = Measurement::new("udp", ClockAnchor::now(), ms(100));
        let r = m.report(ms(5), false);
        assert_eq!((r.art_ms, r.bytes, r.silence_ms), (None, 0, 0.0));
    }
}
