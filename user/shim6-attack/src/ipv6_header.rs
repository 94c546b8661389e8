//! A whole IPv6 datagram, header written by hand, for a socket with
//! IPV6_HDRINCL: the kernel sends it as it is, whatever its source.

use std::net::Ipv6Addr;

pub const IPV6_HEADER_LEN: usize = 40;
/// What Linux uses by default for unicast.
pub const HOP_LIMIT: u8 = 64;

/// `payload` behind an IPv6 header from `src` to `dst` whose Next Header
/// is `next_header`. `None` when the payload does not fit the 16-bit
/// Payload Length (no jumbograms here).
pub fn datagram(src: Ipv6Addr, dst: Ipv6Addr, next_header: u8, payload: &[u8]) -> Option<Vec<u8>> {
    let payload_len = u16::try_from(payload.len()).ok()?;
    let mut out = Vec::with_capacity(IPV6_HEADER_LEN + payload.len());
    // Version 6, traffic class 0, flow label 0.
    out.extend_from_slice(&[0x60, 0, 0, 0]);
    out.extend_from_slice(&payload_len.to_be_bytes());
    out.push(next_header);
    out.push(HOP_LIMIT);
    out.extend_from_slice(&src.octets());
    out.extend_from_slice(&dst.octets());
    out.extend_from_slice(payload);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields_are_where_rfc_8200_puts_them() {
        let src: Ipv6Addr = "2001:db8:777::1".parse().unwrap();
        let dst: Ipv6Addr = "2001:db8:b1::2".parse().unwrap();
        let bytes = datagram(src, dst, 140, &[1, 2, 3, 4, 5, 6, 7, 8]).unwrap();
        assert_eq!(bytes.len(), IPV6_HEADER_LEN + 8);
        assert_eq!(bytes[0] >> 4, 6);
        assert_eq!(u16::from_be_bytes([bytes[4], bytes[5]]), 8);
        assert_eq!(bytes[6], 140);
        assert_eq!(bytes[7], HOP_LIMIT);
        assert_eq!(bytes[8..24], src.octets());
        assert_eq!(bytes[24..40], dst.octets());
        assert_eq!(bytes[40..], [1, 2, 3, 4, 5, 6, 7, 8]);
    }

    #[test]
    fn a_payload_too_long_for_the_length_field_is_refused() {
        let any = Ipv6Addr::LOCALHOST;
        assert!(datagram(any, any, 140, &vec![0; 65_536]).is_none());
        assert!(datagram(any, any, 140, &vec![0; 65_535]).is_some());
    }
}
