//! Addresses inside a prefix: random ones for spoofed sources, numbered
//! ones for the attacker's own many addresses.

use std::fmt;
use std::net::Ipv6Addr;
use std::str::FromStr;

use shim6_proto::random::RandomSource;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prefix {
    network: u128,
    len: u8,
}

impl Prefix {
    /// `None` for a length above 128. Host bits of `addr` are cleared.
    pub fn new(addr: Ipv6Addr, len: u8) -> Option<Prefix> {
        (len <= 128).then(|| Prefix {
            network: u128::from(addr) & Self::mask(len),
            len,
        })
    }

    fn mask(len: u8) -> u128 {
        u128::MAX.checked_shl(128 - u32::from(len)).unwrap_or(0)
    }

    fn host_bits(&self) -> u128 {
        !Self::mask(self.len)
    }

    pub fn contains(&self, addr: Ipv6Addr) -> bool {
        u128::from(addr) & Self::mask(self.len) == self.network
    }

    /// A uniformly random address of the prefix other than the all-zero
    /// host part (the Subnet-Router anycast address). For a /128, the one
    /// address there is.
    pub fn random_address(&self, rng: &mut impl RandomSource) -> Ipv6Addr {
        let host_bits = self.host_bits();
        if host_bits == 0 {
            return Ipv6Addr::from(self.network);
        }
        loop {
            let wide = (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64());
            let host = wide & host_bits;
            if host != 0 {
                return Ipv6Addr::from(self.network | host);
            }
        }
    }

    /// The address whose host part is `index`; `None` beyond the prefix
    /// or for host part 0.
    pub fn address_at(&self, index: u128) -> Option<Ipv6Addr> {
        (index != 0 && index & !self.host_bits() == 0).then(|| Ipv6Addr::from(self.network | index))
    }
}

impl FromStr for Prefix {
    type Err = String;

    /// `ADDRESS/LENGTH`, e.g. `2001:db8:777::/64`.
    fn from_str(text: &str) -> Result<Prefix, String> {
        let (addr, len) = text
            .split_once('/')
            .ok_or_else(|| format!("{text}: want ADDRESS/LENGTH"))?;
        let addr: Ipv6Addr = addr.parse().map_err(|e| format!("{text}: {e}"))?;
        let len: u8 = len.parse().map_err(|e| format!("{text}: length: {e}"))?;
        Prefix::new(addr, len).ok_or_else(|| format!("{text}: length above 128"))
    }
}

impl fmt::Display for Prefix {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", Ipv6Addr::from(self.network), self.len)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shim6_proto::random::SeededRandom;

    #[test]
    fn random_addresses_stay_inside_and_differ() {
        let prefix: Prefix = "2001:db8:777::/64".parse().unwrap();
        let mut rng = SeededRandom::new(7);
        let addresses: Vec<Ipv6Addr> = (0..200).map(|_| prefix.random_address(&mut rng)).collect();
        assert!(addresses.iter().all(|a| prefix.contains(*a)));
        assert!(addresses
            .iter()
            .all(|a| *a != "2001:db8:777::".parse::<Ipv6Addr>().unwrap()));
        let mut distinct = addresses.clone();
        distinct.sort();
        distinct.dedup();
        assert_eq!(distinct.len(), addresses.len());
    }

    #[test]
    fn host_bits_of_the_text_are_cleared_and_shown_clean() {
        let prefix: Prefix = "2001:db8:666::66/64".parse().unwrap();
        assert_eq!(prefix.to_string(), "2001:db8:666::/64");
        assert!(!prefix.contains("2001:db8:667::1".parse().unwrap()));
    }

    #[test]
    fn numbered_addresses_are_inside_or_refused() {
        let prefix: Prefix = "2001:db8:666::/120".parse().unwrap();
        assert_eq!(
            prefix.address_at(0x2a),
            Some("2001:db8:666::2a".parse().unwrap())
        );
        assert_eq!(prefix.address_at(0), None);
        assert_eq!(prefix.address_at(0x100), None);
    }

    #[test]
    fn a_host_prefix_has_its_one_address() {
        let prefix: Prefix = "2001:db8::1/128".parse().unwrap();
        let mut rng = SeededRandom::new(1);
        assert_eq!(
            prefix.random_address(&mut rng),
            "2001:db8::1".parse::<Ipv6Addr>().unwrap()
        );
        assert!("2001:db8::/129".parse::<Prefix>().is_err());
        assert!("2001:db8::".parse::<Prefix>().is_err());
    }
}
