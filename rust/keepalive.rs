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
    let sum = checksum(&m);
    m[4..6].copy_from_slice(&sum.to_be_bytes());
    m
}

/// The Internet checksum over the Shim6 header alone (no pseudo-header,
/// RFC 5533 §5.3), with the checksum field zero.
fn checksum(bytes: &[u8]) -> u16 {
    let mut sum: u32 = 0;
    for pair in bytes.chunks(2) {
        let word = u16::from_be_bytes([pair[0], *pair.get(1).unwrap_or(&0)]);
        sum += u32::from(word);
    }
    while sum > 0xffff {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    !(sum as u16)
}

/// The receiver tag of a Keepalive, if `msg` is one (already checked to be
/// a control message with P = 0).
pub(crate) fn receiver_tag(msg: &[u8]) -> Option<u64> {
    if msg.len() < LEN || msg[2] & 0x7f != TYPE_KEEPALIVE {
        return None;
    }
    let t = u64::from_be_bytes([0, 0, msg[6] & 0x7f, msg[7], msg[8], msg[9], msg[10], msg[11]]);
    Some(t)
}
