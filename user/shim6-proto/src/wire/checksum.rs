//! Internet checksum (RFC 1071) as used by Shim6 control messages: over the
//! Shim6 header only, with no pseudo-header (RFC 5533 §5.3), so that
//! rewriting locators never invalidates it.

/// One's-complement of the one's-complement sum of `data` taken as
/// big-endian 16-bit words (an odd trailing octet is padded with zero).
pub fn internet_checksum(data: &[u8]) -> u16 {
    !ones_complement_sum(data)
}

/// Folded one's-complement sum; a buffer whose checksum field is correct
/// sums to 0xffff.
pub(crate) fn ones_complement_sum(data: &[u8]) -> u16 {
    let mut sum: u64 = 0;
    let mut words = data.chunks_exact(2);
    for word in &mut words {
        sum += u64::from(u16::from_be_bytes([word[0], word[1]]));
    }
    if let [last] = words.remainder() {
        sum += u64::from(*last) << 8;
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}
