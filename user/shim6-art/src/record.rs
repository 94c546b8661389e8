//! The record the sender writes: 16 octets, a sequence number and the
//! sender's wall-clock send time, both big-endian.
//!
//! ```text
//!  0               8               16
//! +---------------+---------------+
//! | sequence      | sent (ns since|
//! | number        | the Unix epoch)|
//! +---------------+---------------+
//! ```

use std::fmt;

/// Octets of one record on the wire.
pub const RECORD_LEN: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    pub seq: u64,
    /// Nanoseconds since the Unix epoch on the sender's clock.
    pub sent_unix_ns: u64,
}

/// A datagram that is not one record.
#[derive(Debug, PartialEq, Eq)]
pub struct BadLength(pub usize);

impl fmt::Display for BadLength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a record is {RECORD_LEN} octets, got {}", self.0)
    }
}

impl std::error::Error for BadLength {}

impl Record {
    pub fn encode(&self) -> [u8; RECORD_LEN] {
        let mut out = [0u8; RECORD_LEN];
        out[..8].copy_from_slice(&self.seq.to_be_bytes());
        out[8..].copy_from_slice(&self.sent_unix_ns.to_be_bytes());
        out
    }

    /// One record from exactly `RECORD_LEN` octets (a UDP datagram).
    pub fn decode(bytes: &[u8]) -> Result<Record, BadLength> {
        let bytes: &[u8; RECORD_LEN] = bytes.try_into().map_err(|_| BadLength(bytes.len()))?;
        let (seq, sent) = bytes.split_at(8);
        let word = |b: &[u8]| {
            let mut w = [0u8; 8];
            w.copy_from_slice(b);
            u64::from_be_bytes(w)
        };
        Ok(Record {
            seq: word(seq),
            sent_unix_ns: word(sent),
        })
    }
}

/// Cuts a byte stream (TCP hands out arbitrary chunks) into records.
#[derive(Debug, Default)]
pub struct StreamFramer {
    partial: Vec<u8>,
}

impl StreamFramer {
    /// Feeds the next chunk of the stream; calls `each` for every record it
    /// completes, in order.
    pub fn push(&mut self, mut chunk: &[u8], mut each: impl FnMut(Record)) {
        if !self.partial.is_empty() {
            let missing = RECORD_LEN - self.partial.len();
            let take = missing.min(chunk.len());
            self.partial.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if self.partial.len() < RECORD_LEN {
                return;
            }
            if let Ok(r) = Record::decode(&self.partial) {
                each(r);
            }
            self.partial.clear();
        }
        let mut records = chunk.chunks_exact(RECORD_LEN);
        for bytes in &mut records {
            if let Ok(r) = Record::decode(bytes) {
                each(r);
            }
        }
        self.partial.extend_from_slice(records.remainder());
    }

    /// Octets of an incomplete record held back.
    pub fn pending(&self) -> usize {
        self.partial.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encode_decode_round_trip() {
        let r = Record {
            seq: 0x0102_0304_0506_0708,
            sent_unix_ns: 42,
        };
        let wire = r.encode();
        assert_eq!(&wire[..8], &[1, 2, 3, 4, 5, 6, 7, 8]);
        assert_eq!(Record::decode(&wire), Ok(r));
    }

    #[test]
    fn decode_names_a_wrong_length() {
        assert_eq!(Record::decode(&[0; 15]), Err(BadLength(15)));
        assert_eq!(BadLength(17).to_string(), "a record is 16 octets, got 17");
    }

    #[test]
    fn framer_reassembles_records_split_anywhere() {
        let stream: Vec<u8> = (0..5u64)
            .flat_map(|seq| {
                Record {
                    seq,
                    sent_unix_ns: seq * 10,
                }
                .encode()
            })
            .collect();
        for cut in [1, 3, 15, 16, 17, 31, 33, 79] {
            let mut framer = StreamFramer::default();
            let mut seen = Vec::new();
            framer.push(&stream[..cut], |r| seen.push(r.seq));
            framer.push(&stream[cut..], |r| seen.push(r.seq));
            assert_eq!(seen, vec![0, 1, 2, 3, 4], "cut at {cut}");
            assert_eq!(framer.pending(), 0);
        }
    }

    #[test]
    fn framer_feeds_byte_by_byte() {
        let stream: Vec<u8> = (7..9u64)
            .flat_map(|seq| {
                Record {
                    seq,
                    sent_unix_ns: 0,
                }
                .encode()
            })
            .collect();
        let mut framer = StreamFramer::default();
        let mut seen = Vec::new();
        for b in &stream[..stream.len() - 1] {
            framer.push(std::slice::from_ref(b), |r| seen.push(r.seq));
        }
        assert_eq!(seen, vec![7]);
        assert_eq!(framer.pending(), RECORD_LEN - 1);
    }
}
