// SPDX-License-Identifier: GPL-2.0

//! The REAP Keepalive message (RFC 5534 §5.1): 16 octets, sent on the
//! current locator pair to the peer's context tag.

/// Shim6 control message type of a Keepalive.
pub(crate) const TYPE_KEEPALIVE: u8 = 66;
pub(crate) const LEN: usize = 16;

/// Next Header 59, Hdr Ext Len 1, P = 0, type 66, checksum, R = 0 and the
/// 47-bit receiver tag, 4 reserved octets.
pub(crate) fn build(peer_tag: u64) -> [u8; LEN] {
    let mut m = [0u8; LEN];
    m[0] = 59;
    m[1] = 1;
    m[2] = TYPE_KEEPALIVE;
    let tag = (peer_tag & crate::context::TAG_MASK).to_be_bytes();
    m[6..12].copy_from_slice(&tag[2..8]);
    let sum = !ones_complement_sum(&m);
    m[4..6].copy_from_slice(&sum.to_be_bytes());
    m
}

/// The one's-complement sum of `bytes` as 16-bit words, folded: the
/// Internet checksum is its complement, over the Shim6 header alone (no
/// pseudo-header, RFC 5533 §5.3).  Shim6 headers are at most 2048
/// octets, so the 32-bit sum cannot overflow before folding.
fn ones_complement_sum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for pair in bytes.chunks(2) {
        let word = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
        sum = sum.wrapping_add(u32::from(word));
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum as u16
}

/// Octets of the control message whose first 8 octets are `header`, from
/// its Hdr Ext Len; `None` when it is too short to be a Keepalive.
pub(crate) fn message_len(header: &[u8]) -> Option<usize> {
    let ext_len = usize::from(*header.get(1)?);
    // Hdr Ext Len counts 8-octet units after the first; a Keepalive has
    // at least its receiver tag there (RFC 5534 §5.1).
    (ext_len >= 1).then_some((ext_len + 1) * 8)
}

/// Whether `msg`, a whole control message, has a correct checksum: its
/// words, the checksum field included, sum to all ones.
pub(crate) fn checksum_ok(msg: &[u8]) -> bool {
    ones_complement_sum(msg) == 0xffff
}

/// The receiver tag of a Keepalive (at least [`LEN`] octets).
pub(crate) fn receiver_tag(msg: &[u8]) -> Option<u64> {
    let t = msg.get(6..12)?;
    Some(u64::from_be_bytes([0, 0, t[0] & 0x7f, t[1], t[2], t[3], t[4], t[5]]))
}
