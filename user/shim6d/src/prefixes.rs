//! Which /64 prefixes get a locator, and on which interface each lives.

use std::net::Ipv6Addr;

use shim6_cga::address::{prefix_as_address, prefix_of};
use shim6_cga::Prefix64;

use crate::config::LocatorSource;
use crate::sys::interfaces::InterfaceAddress;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrefixSite {
    pub prefix: Prefix64,
    pub interface: String,
    pub ifindex: u32,
}

/// Addresses worth a locator: global scope (unicast, not link-local,
/// loopback or multicast) on a /64.
fn usable(address: &InterfaceAddress) -> bool {
    let ip = address.address;
    let link_local = ip.segments()[0] & 0xffc0 == 0xfe80;
    address.prefix_len == 64
        && !link_local
        && !ip.is_loopback()
        && !ip.is_multicast()
        && !ip.is_unspecified()
}

/// Resolves the configured source against the interfaces' addresses.
pub fn resolve(
    source: &LocatorSource,
    addresses: &[InterfaceAddress],
) -> Result<Vec<PrefixSite>, String> {
    let mut sites: Vec<PrefixSite> = Vec::new();
    match source {
        LocatorSource::Auto => {
            for address in addresses.iter().filter(|address| usable(address)) {
                let prefix = prefix_of(&address.address);
                if !sites.iter().any(|site| site.prefix == prefix) {
                    sites.push(site(prefix, address));
                }
            }
            if sites.is_empty() {
                return Err(
                    "locators = \"auto\" found no global IPv6 /64 address on any interface".into(),
                );
            }
        }
        LocatorSource::Prefixes(prefixes) => {
            for prefix in prefixes {
                let holder = addresses
                    .iter()
                    .find(|address| prefix_of(&address.address) == *prefix);
                match holder {
                    Some(address) => sites.push(site(*prefix, address)),
                    None => {
                        return Err(format!(
                            "prefix {}/64 is not on any interface (add an address in it first)",
                            prefix_as_address(prefix)
                        ))
                    }
                }
            }
        }
    }
    Ok(sites)
}

fn site(prefix: Prefix64, address: &InterfaceAddress) -> PrefixSite {
    PrefixSite {
        prefix,
        interface: address.interface.clone(),
        ifindex: address.ifindex,
    }
}

/// The site an address of ours belongs to.
pub fn site_of(sites: &[PrefixSite], address: Ipv6Addr) -> Option<&PrefixSite> {
    sites.iter().find(|site| site.prefix == prefix_of(&address))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shim6_cga::parse_prefix64;

    fn on(interface: &str, ifindex: u32, address: &str, prefix_len: u8) -> InterfaceAddress {
        InterfaceAddress {
            interface: interface.into(),
            ifindex,
            address: address.parse().unwrap(),
            prefix_len,
        }
    }

    fn sample() -> Vec<InterfaceAddress> {
        vec![
            on("eth0", 2, "fe80::1", 64),
            on("eth0", 2, "2001:db8:a1::1", 64),
            on("eth0", 2, "2001:db8:a1::2", 64),
            on("eth1", 3, "2001:db8:a2::1", 64),
            on("eth1", 3, "2001:db8:a3::1", 128),
        ]
    }

    #[test]
    fn auto_takes_each_global_slash64_once_in_order() {
        let sites = resolve(&LocatorSource::Auto, &sample()).unwrap();
        let prefixes: Vec<_> = sites.iter().map(|site| site.prefix).collect();
        assert_eq!(
            prefixes,
            vec![
                parse_prefix64("2001:db8:a1::").unwrap(),
                parse_prefix64("2001:db8:a2::").unwrap()
            ]
        );
        assert_eq!(sites[1].interface, "eth1");
        assert_eq!(sites[1].ifindex, 3);
    }

    #[test]
    fn auto_without_global_addresses_is_an_error() {
        assert!(resolve(&LocatorSource::Auto, &sample()[..1]).is_err());
    }

    #[test]
    fn listed_prefixes_keep_their_order_and_must_exist() {
        let listed = LocatorSource::Prefixes(vec![
            parse_prefix64("2001:db8:a2::").unwrap(),
            parse_prefix64("2001:db8:a1::").unwrap(),
        ]);
        let sites = resolve(&listed, &sample()).unwrap();
        assert_eq!(sites[0].interface, "eth1");
        assert_eq!(sites[1].interface, "eth0");
        let missing = LocatorSource::Prefixes(vec![parse_prefix64("2001:db8:ff::").unwrap()]);
        let error = resolve(&missing, &sample()).unwrap_err();
        assert!(error.contains("2001:db8:ff::/64"), "{error}");
    }
}
