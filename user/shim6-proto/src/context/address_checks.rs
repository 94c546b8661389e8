//! Which addresses may be ULIDs and locators (RFC 5533 §12.3: no
//! multicast, unspecified or loopback in a Shim6 control message, its ULID
//! Pair option or a Locator List).

use core::net::Ipv6Addr;

/// Unicast and of global reach: what a peer may name as a ULID or a
/// locator. Refused: `::/8` (unspecified, loopback, IPv4-compatible and
/// IPv4-mapped), multicast, link-local and the deprecated site-local
/// `fec0::/10`. Unique local addresses (`fc00::/7`) pass: they identify
/// hosts within a site, which is where such a host multihomes.
pub fn is_global_unicast(addr: Ipv6Addr) -> bool {
    let first = addr.segments()[0];
    let in_prefix = |prefix: u16, len: u32| first >> (16 - len) == prefix >> (16 - len);
    !(in_prefix(0x0000, 8) || in_prefix(0xff00, 8) || in_prefix(0xfe80, 10) || in_prefix(0xfec0, 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Ipv6Addr {
        text.parse().expect("address")
    }

    #[test]
    fn global_unicast_passes_and_the_rest_is_refused() {
        for ok in ["2001:db8::1", "2a00:1450::5", "fd00::1", "3fff::1"] {
            assert!(is_global_unicast(parse(ok)), "{ok}");
        }
        for bad in ["::", "::1", "::192.0.2.1", "::ffff:192.0.2.1", "ff02::1", "ff0e::1", "fe80::1", "febf::1", "fec0::1"] {
            assert!(!is_global_unicast(parse(bad)), "{bad}");
        }
    }
}
