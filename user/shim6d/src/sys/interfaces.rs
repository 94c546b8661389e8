//! IPv6 addresses configured on the host's interfaces (`getifaddrs`).

use std::ffi::CStr;
use std::io;
use std::net::Ipv6Addr;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterfaceAddress {
    pub interface: String,
    pub ifindex: u32,
    pub address: Ipv6Addr,
    pub prefix_len: u8,
}

/// Every IPv6 address of every interface that is up and not a loopback.
pub fn ipv6_addresses() -> io::Result<Vec<InterfaceAddress>> {
    let mut list: *mut libc::ifaddrs = std::ptr::null_mut();
    // SAFETY: getifaddrs writes a list head into `list`; checked below.
    super::check(unsafe { libc::getifaddrs(&mut list) })?;
    let mut found = Vec::new();
    let mut cursor = list;
    while !cursor.is_null() {
        // SAFETY: `cursor` is a node of the list getifaddrs returned and
        // that stays allocated until freeifaddrs below.
        let entry = unsafe { &*cursor };
        cursor = entry.ifa_next;
        let flags = entry.ifa_flags;
        let up = flags & libc::IFF_UP as libc::c_uint != 0;
        let loopback = flags & libc::IFF_LOOPBACK as libc::c_uint != 0;
        if !up || loopback || entry.ifa_addr.is_null() || entry.ifa_name.is_null() {
            continue;
        }
        // SAFETY: ifa_addr is non-null and points at a sockaddr whose
        // family field is always readable.
        if i32::from(unsafe { (*entry.ifa_addr).sa_family }) != libc::AF_INET6 {
            continue;
        }
        // SAFETY: the family is AF_INET6, so the sockaddr is a sockaddr_in6.
        let address =
            unsafe { std::ptr::read_unaligned(entry.ifa_addr.cast::<libc::sockaddr_in6>()) };
        let prefix_len = if entry.ifa_netmask.is_null() {
            128
        } else {
            // SAFETY: the netmask of an AF_INET6 entry is a sockaddr_in6.
            let mask =
                unsafe { std::ptr::read_unaligned(entry.ifa_netmask.cast::<libc::sockaddr_in6>()) };
            mask.sin6_addr
                .s6_addr
                .iter()
                .map(|octet| octet.count_ones())
                .sum::<u32>() as u8
        };
        // SAFETY: ifa_name is a non-null NUL-terminated string of the list.
        let name = unsafe { CStr::from_ptr(entry.ifa_name) };
        // SAFETY: `name` is a valid C string.
        let ifindex = unsafe { libc::if_nametoindex(name.as_ptr()) };
        found.push(InterfaceAddress {
            interface: name.to_string_lossy().into_owned(),
            ifindex,
            address: Ipv6Addr::from(address.sin6_addr.s6_addr),
            prefix_len,
        });
    }
    // SAFETY: `list` came from getifaddrs and is freed exactly once; no
    // reference into it survives (names were copied).
    unsafe { libc::freeifaddrs(list) };
    Ok(found)
}
