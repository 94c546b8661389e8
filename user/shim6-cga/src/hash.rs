//! Hash1, Hash2 and the interface identifier (RFC 3972 §3, §4).

use crate::address::{interface_id_of, join, Prefix64};
use crate::params::{CgaParams, MODIFIER_LEN};
use crate::sec::Sec;
use sha1::{Digest, Sha1};
use std::net::Ipv6Addr;

pub const HASH1_LEN: usize = 8;
pub const HASH2_LEN: usize = 14;
/// Hash2 replaces the subnet prefix and collision count with zeros.
pub const HASH2_ZERO_PAD_LEN: usize = 9;

/// IID bits compared with Hash1: all but Sec (bits 0–2) and u/g (bits 6–7).
const HASH1_COMPARE_MASK: u64 = 0x1cff_ffff_ffff_ffff;

/// Leftmost 64 bits of SHA-1 over the whole encoded CGA Parameters.
pub fn hash1(encoded_params: &[u8]) -> [u8; HASH1_LEN] {
    let digest = Sha1::digest(encoded_params);
    let mut out = [0u8; HASH1_LEN];
    out.copy_from_slice(&digest[..HASH1_LEN]);
    out
}

/// The Hash2 input: modifier ‖ 9 zero octets ‖ public key ‖ extensions.
/// The modifier sits at offset 0 so a search can increment it in place.
pub fn hash2_input(modifier: &[u8; MODIFIER_LEN], public_key: &[u8], extensions: &[u8]) -> Vec<u8> {
    let mut input =
        Vec::with_capacity(MODIFIER_LEN + HASH2_ZERO_PAD_LEN + public_key.len() + extensions.len());
    input.extend_from_slice(modifier);
    input.extend_from_slice(&[0u8; HASH2_ZERO_PAD_LEN]);
    input.extend_from_slice(public_key);
    input.extend_from_slice(extensions);
    input
}

/// Leftmost 112 bits of SHA-1 over the Hash2 input.
pub fn hash2(
    modifier: &[u8; MODIFIER_LEN],
    public_key: &[u8],
    extensions: &[u8],
) -> [u8; HASH2_LEN] {
    let digest = Sha1::digest(hash2_input(modifier, public_key, extensions));
    let mut out = [0u8; HASH2_LEN];
    out.copy_from_slice(&digest[..HASH2_LEN]);
    out
}

pub fn hash2_of_params(params: &CgaParams) -> [u8; HASH2_LEN] {
    hash2(
        &params.modifier,
        &params.public_key,
        &params.encoded_extensions(),
    )
}

/// True if the leftmost 16·Sec bits are zero (works on Hash2 or the full digest).
pub fn hash2_meets_sec(hash2: &[u8], sec: Sec) -> bool {
    hash2
        .get(..sec.hash2_zero_octets())
        .is_some_and(|head| head.iter().all(|&b| b == 0))
}

/// Leading zero bits of Hash2, for reports ("this modifier suits Sec ≤ n").
pub fn leading_zero_bits(hash2: &[u8]) -> u32 {
    let mut bits = 0;
    for &octet in hash2 {
        if octet == 0 {
            bits += 8;
        } else {
            return bits + octet.leading_zeros();
        }
    }
    bits
}

/// Hash1 with Sec written into bits 0–2 and the u and g bits cleared.
pub fn interface_id(hash1: &[u8; HASH1_LEN], sec: Sec) -> [u8; 8] {
    let mut iid = *hash1;
    iid[0] = (hash1[0] & 0x1c) | (sec.value() << 5);
    iid
}

/// The Sec value encoded in an address (IID bits 0–2); may be 3–7.
pub fn sec_bits_of(address: &Ipv6Addr) -> u8 {
    interface_id_of(address)[0] >> 5
}

/// Compares the IID with Hash1, ignoring the Sec and u/g bits.
pub fn iid_matches_hash1(iid: &[u8; 8], hash1: &[u8; HASH1_LEN]) -> bool {
    u64::from_be_bytes(*iid) & HASH1_COMPARE_MASK == u64::from_be_bytes(*hash1) & HASH1_COMPARE_MASK
}

/// The address the parameters give under their own subnet prefix.
pub fn address_from_params(params: &CgaParams, sec: Sec) -> Ipv6Addr {
    address_for(&params.subnet_prefix, &hash1(&params.encode()), sec)
}

pub(crate) fn address_for(prefix: &Prefix64, hash1: &[u8; HASH1_LEN], sec: Sec) -> Ipv6Addr {
    join(prefix, &interface_id(hash1, sec))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interface_id_sets_sec_and_clears_u_g() {
        let hash1 = [0xff; 8];
        assert_eq!(interface_id(&hash1, Sec::ZERO)[0], 0x1c);
        assert_eq!(interface_id(&hash1, Sec::ONE)[0], 0x3c);
        assert_eq!(interface_id(&hash1, Sec::TWO)[0], 0x5c);
        assert_eq!(&interface_id(&hash1, Sec::TWO)[1..], &[0xff; 7]);
    }

    #[test]
    fn hash1_comparison_ignores_only_sec_and_u_g() {
        let hash1 = [0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0];
        let mut iid = hash1;
        iid[0] ^= 0xe3; // Sec and u/g bits
        assert!(iid_matches_hash1(&iid, &hash1));
        for bit in [0x04u8, 0x08, 0x10] {
            let mut iid = hash1;
            iid[0] ^= bit;
            assert!(!iid_matches_hash1(&iid, &hash1), "bit {bit:#x}");
        }
        let mut iid = hash1;
        iid[7] ^= 1;
        assert!(!iid_matches_hash1(&iid, &hash1));
    }

    #[test]
    fn sec_zero_bits() {
        assert!(hash2_meets_sec(&[1; 14], Sec::ZERO));
        assert!(hash2_meets_sec(&[0, 0, 1], Sec::ONE));
        assert!(!hash2_meets_sec(&[0, 1, 0], Sec::ONE));
        assert!(!hash2_meets_sec(&[0, 0, 0, 1], Sec::TWO));
        assert_eq!(leading_zero_bits(&[0, 0, 0x10]), 19);
        assert_eq!(leading_zero_bits(&[0; 3]), 24);
    }
}
