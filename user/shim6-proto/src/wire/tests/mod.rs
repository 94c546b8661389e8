//! Unit tests of the wire codec. Byte strings are laid out by hand from the
//! RFC 5533 / RFC 5534 diagrams (see the comment on every line), with the
//! checksums computed independently of this crate.

mod checksum;
mod messages;
mod negative;
mod options;
mod payload;
mod roundtrip;
mod views;

use super::{internet_checksum, ContextTag};

/// Concatenates hex strings ("3b 01 ...", whitespace ignored) into bytes.
pub(super) fn hex(lines: &[&str]) -> Vec<u8> {
    let digits: String = lines
        .concat()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    assert!(digits.len() % 2 == 0, "odd number of hex digits");
    (0..digits.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex digit"))
        .collect()
}

pub(super) fn tag(value: u64) -> ContextTag {
    ContextTag::new(value).expect("test tag fits in 47 bits")
}

/// Recomputes octets 4-5 after a test has altered a message, so that the
/// parser gets past the checksum to the check under test.
pub(super) fn refresh_checksum(bytes: &mut [u8]) {
    bytes[4] = 0;
    bytes[5] = 0;
    let len = (usize::from(bytes[1]) + 1) * 8;
    let sum = internet_checksum(&bytes[..len.min(bytes.len())]);
    bytes[4..6].copy_from_slice(&sum.to_be_bytes());
}
