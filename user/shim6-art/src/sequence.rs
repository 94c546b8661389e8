//! Sequence accounting: what was lost (UDP) or broke the order (which a
//! TCP stream must never do).

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SequenceTracker {
    received: u64,
    first: Option<u64>,
    highest: Option<u64>,
    /// Records whose number was not one more than the previous record's.
    breaks: u64,
    /// Records numbered at or below the highest seen (late or repeated).
    late: u64,
}

impl SequenceTracker {
    pub fn record(&mut self, seq: u64) {
        self.received += 1;
        self.first.get_or_insert(seq);
        match self.highest {
            None => self.highest = Some(seq),
            Some(h) if seq > h => {
                if seq != h + 1 {
                    self.breaks += 1;
                }
                self.highest = Some(seq);
            }
            Some(_) => {
                self.breaks += 1;
                self.late += 1;
            }
        }
    }

    pub fn received(&self) -> u64 {
        self.received
    }

    /// Records from the first to the highest number seen.
    pub fn expected(&self) -> u64 {
        match (self.first, self.highest) {
            (Some(f), Some(h)) => h.saturating_sub(f) + 1,
            _ => 0,
        }
    }

    /// Records in the expected range that never arrived; a late arrival
    /// fills its hole.  (UDP in the test network does not duplicate, so
    /// a repeat is not told apart from a late record.)
    pub fn lost(&self) -> u64 {
        self.expected().saturating_sub(self.received)
    }

    pub fn breaks(&self) -> u64 {
        self.breaks
    }

    pub fn late(&self) -> u64 {
        self.late
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(seqs: impl IntoIterator<Item = u64>) -> SequenceTracker {
        let mut t = SequenceTracker::default();
        seqs.into_iter().for_each(|s| t.record(s));
        t
    }

    #[test]
    fn an_intact_stream_has_no_loss_and_no_break() {
        let t = feed(5..105);
        assert_eq!(
            (t.received(), t.expected(), t.lost(), t.breaks()),
            (100, 100, 0, 0)
        );
    }

    #[test]
    fn a_hole_is_lost_and_one_break() {
        let t = feed((0..10).chain(30..40));
        assert_eq!(
            (t.received(), t.expected(), t.lost(), t.breaks()),
            (20, 40, 20, 1)
        );
    }

    #[test]
    fn a_late_record_fills_its_hole() {
        let t = feed([0, 1, 3, 2, 4]);
        assert_eq!((t.expected(), t.lost(), t.late()), (5, 0, 1));
        assert_eq!(t.breaks(), 2);
    }

    #[test]
    fn nothing_received_expects_nothing() {
        let t = SequenceTracker::default();
        assert_eq!((t.received(), t.expected(), t.lost()), (0, 0, 0));
    }
}
