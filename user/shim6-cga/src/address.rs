//! Splitting IPv6 addresses into /64 prefix and interface identifier.

use std::net::Ipv6Addr;
use thiserror::Error;

/// The leftmost 64 bits of an address, in network order.
pub type Prefix64 = [u8; 8];

pub fn prefix_of(address: &Ipv6Addr) -> Prefix64 {
    let octets = address.octets();
    let mut prefix = [0u8; 8];
    prefix.copy_from_slice(&octets[..8]);
    prefix
}

pub fn interface_id_of(address: &Ipv6Addr) -> [u8; 8] {
    let octets = address.octets();
    let mut iid = [0u8; 8];
    iid.copy_from_slice(&octets[8..]);
    iid
}

pub fn join(prefix: &Prefix64, interface_id: &[u8; 8]) -> Ipv6Addr {
    let mut octets = [0u8; 16];
    octets[..8].copy_from_slice(prefix);
    octets[8..].copy_from_slice(interface_id);
    Ipv6Addr::from(octets)
}

/// The prefix as an address with a zero interface identifier, for display.
pub fn prefix_as_address(prefix: &Prefix64) -> Ipv6Addr {
    join(prefix, &[0u8; 8])
}

/// Why a prefix string was refused.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum PrefixParseError {
    #[error("bad prefix {0:?}: expected an IPv6 prefix such as 2001:db8:1::/64")]
    Syntax(String),
    #[error("bad prefix {text:?}: CGAs need a /64 prefix, not /{length}")]
    NotSlash64 { text: String, length: String },
    #[error("bad prefix {0:?}: bits beyond the /64 are set")]
    HostBitsSet(String),
}

/// Parses `2001:db8:1::/64` (the `/64` may be omitted). Bits after the first
/// 64 must be zero so that a typo such as `2001:db8::1/64` is not silently cut.
pub fn parse_prefix64(text: &str) -> Result<Prefix64, PrefixParseError> {
    let (addr_text, length) = match text.split_once('/') {
        Some((a, l)) => (a, Some(l)),
        None => (text, None),
    };
    if let Some(length) = length {
        if length != "64" {
            return Err(PrefixParseError::NotSlash64 {
                text: text.to_owned(),
                length: length.to_owned(),
            });
        }
    }
    let address: Ipv6Addr = addr_text
        .parse()
        .map_err(|_| PrefixParseError::Syntax(text.to_owned()))?;
    if interface_id_of(&address) != [0u8; 8] {
        return Err(PrefixParseError::HostBitsSet(text.to_owned()));
    }
    Ok(prefix_of(&address))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_prefixes() {
        assert_eq!(
            parse_prefix64("2001:db8:1::/64").unwrap(),
            [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0]
        );
        assert_eq!(
            parse_prefix64("fe80::").unwrap(),
            [0xfe, 0x80, 0, 0, 0, 0, 0, 0]
        );
        assert!(matches!(
            parse_prefix64("2001:db8::/48"),
            Err(PrefixParseError::NotSlash64 { .. })
        ));
        assert!(matches!(
            parse_prefix64("2001:db8::1/64"),
            Err(PrefixParseError::HostBitsSet(_))
        ));
        assert!(matches!(
            parse_prefix64("nonsense/64"),
            Err(PrefixParseError::Syntax(_))
        ));
    }
}
