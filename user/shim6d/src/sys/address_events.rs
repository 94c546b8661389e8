//! IPv6 addresses appearing and disappearing (rtnetlink RTM_NEWADDR and
//! RTM_DELADDR on the RTMGRP_IPV6_IFADDR group). Messages are parsed in
//! safe code; only the socket calls are unsafe.

use std::io;
use std::mem::{size_of, zeroed};
use std::net::Ipv6Addr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use super::{check, check_size};

const NLMSG_HEADER_LEN: usize = 16;
const IFADDRMSG_LEN: usize = 8;
/// The 32-bit flags attribute; it supersedes ifa_flags when present.
const IFA_FLAGS: u16 = 8;
/// An address that is not usable yet (DAD running) or never will be.
const UNUSABLE_FLAGS: u32 = libc::IFA_F_TENTATIVE | libc::IFA_F_DADFAILED;
/// Enough for a burst of address messages (each well under 100 octets).
const RECEIVE_BUFFER_LEN: usize = 16 * 1024;

/// One address change, as the kernel announced it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AddressChange {
    pub address: Ipv6Addr,
    pub ifindex: u32,
    /// True when the address can be used as a source now: it exists and
    /// is neither tentative nor a failed duplicate.
    pub usable: bool,
}

/// What one [`AddressEvents::drain`] found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AddressBatch {
    pub changes: Vec<AddressChange>,
    /// Datagrams from a sender other than the kernel, dropped unread.
    pub foreign_datagrams: u64,
}

/// A non-blocking rtnetlink socket subscribed to IPv6 address changes.
///
/// It is connected to the kernel (port id 0), so the kernel refuses
/// unicast from any other process with ECONNREFUSED (M5 of the security
/// review: a local user could otherwise forge address events, each one
/// an Update Request to every peer); `drain` checks the sender anyway.
pub struct AddressEvents {
    fd: OwnedFd,
}

fn netlink_address(groups: u32) -> libc::sockaddr_nl {
    // SAFETY: sockaddr_nl is plain data; all-zero is a valid value.
    let mut address: libc::sockaddr_nl = unsafe { zeroed() };
    address.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    address.nl_groups = groups;
    address
}

const NETLINK_ADDRESS_LEN: libc::socklen_t = size_of::<libc::sockaddr_nl>() as libc::socklen_t;

impl AddressEvents {
    pub fn open() -> io::Result<Self> {
        let events = Self::open_unconnected()?;
        let kernel = netlink_address(0);
        // SAFETY: `kernel` is live for the call and its size is passed.
        check(unsafe {
            libc::connect(
                events.fd.as_raw_fd(),
                (&kernel as *const libc::sockaddr_nl).cast(),
                NETLINK_ADDRESS_LEN,
            )
        })?;
        Ok(events)
    }

    /// Bound and subscribed, but accepting unicast from anyone: only for
    /// the test of `drain`'s own sender check.
    fn open_unconnected() -> io::Result<Self> {
        // SAFETY: socket(2) with constant arguments; the result is checked.
        let raw = check(unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC | libc::SOCK_NONBLOCK,
                libc::NETLINK_ROUTE,
            )
        })?;
        // SAFETY: `raw` is a fresh descriptor owned by nothing else.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let local = netlink_address(libc::RTMGRP_IPV6_IFADDR as u32);
        // SAFETY: `local` is live for the call and its size is passed.
        check(unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&local as *const libc::sockaddr_nl).cast(),
                NETLINK_ADDRESS_LEN,
            )
        })?;
        Ok(AddressEvents { fd })
    }

    /// The port id the kernel gave the socket (what a forger would target).
    pub fn port(&self) -> io::Result<u32> {
        let mut bound = netlink_address(0);
        let mut len = NETLINK_ADDRESS_LEN;
        // SAFETY: `bound` has room for `len` octets; the kernel updates `len`.
        check(unsafe {
            libc::getsockname(
                self.fd.as_raw_fd(),
                (&mut bound as *mut libc::sockaddr_nl).cast(),
                &mut len,
            )
        })?;
        Ok(bound.nl_pid)
    }

    /// Every change queued so far. An overrun (ENOBUFS) is reported as an
    /// error: changes were lost and the caller should rescan.
    pub fn drain(&self) -> io::Result<AddressBatch> {
        let mut batch = AddressBatch::default();
        let mut buffer = vec![0u8; RECEIVE_BUFFER_LEN];
        loop {
            let mut sender = netlink_address(0);
            let mut sender_len = NETLINK_ADDRESS_LEN;
            // SAFETY: `buffer` is writable for its length; `sender` has
            // room for `sender_len` octets, which the kernel updates.
            let received = check_size(unsafe {
                libc::recvfrom(
                    self.fd.as_raw_fd(),
                    buffer.as_mut_ptr().cast(),
                    buffer.len(),
                    0,
                    (&mut sender as *mut libc::sockaddr_nl).cast(),
                    &mut sender_len,
                )
            });
            match received {
                Ok(0) => return Ok(batch),
                Ok(_) if !from_kernel(&sender) => batch.foreign_datagrams += 1,
                Ok(len) => batch
                    .changes
                    .extend(parse_messages(buffer.get(..len).unwrap_or_default())),
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => return Ok(batch),
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            }
        }
    }
}

/// Only the kernel (port id 0) tells us about addresses.
fn from_kernel(sender: &libc::sockaddr_nl) -> bool {
    sender.nl_family == libc::AF_NETLINK as libc::sa_family_t && sender.nl_pid == 0
}

impl AsFd for AddressEvents {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<u16> {
    let field = bytes.get(at..at + 2)?;
    Some(u16::from_ne_bytes([field[0], field[1]]))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<u32> {
    let field = bytes.get(at..at + 4)?;
    Some(u32::from_ne_bytes([field[0], field[1], field[2], field[3]]))
}

/// The IPv6 address changes in one datagram; anything else (IPv4, other
/// message types, truncated messages) is skipped.
pub fn parse_messages(datagram: &[u8]) -> Vec<AddressChange> {
    let mut changes = Vec::new();
    let mut offset = 0;
    while let (Some(len), Some(kind)) = (u32_at(datagram, offset), u16_at(datagram, offset + 4)) {
        let len = len as usize;
        let Some(message) = datagram
            .get(offset..offset + len)
            .filter(|_| len >= NLMSG_HEADER_LEN)
        else {
            break;
        };
        if kind == libc::RTM_NEWADDR || kind == libc::RTM_DELADDR {
            if let Some(change) = parse_address(&message[NLMSG_HEADER_LEN..], kind) {
                changes.push(change);
            }
        }
        offset += (len + 3) & !3;
    }
    changes
}

/// `ifaddrmsg` and its attributes.
fn parse_address(body: &[u8], kind: u16) -> Option<AddressChange> {
    let header = body.get(..IFADDRMSG_LEN)?;
    if i32::from(header[0]) != libc::AF_INET6 {
        return None;
    }
    let mut flags = u32::from(header[2]);
    let ifindex = u32_at(header, 4)?;
    let mut address = None;
    let mut at = IFADDRMSG_LEN;
    while let (Some(len), Some(attribute)) = (u16_at(body, at), u16_at(body, at + 2)) {
        let len = usize::from(len);
        let payload = body.get(at + 4..at + len.max(4))?;
        match attribute {
            // IFA_LOCAL is our address on point-to-point links; IFA_ADDRESS
            // otherwise. For IPv6 they carry the same address when both are sent.
            libc::IFA_ADDRESS | libc::IFA_LOCAL => {
                if let Ok(octets) = <[u8; 16]>::try_from(payload) {
                    address = Some(Ipv6Addr::from(octets));
                }
            }
            IFA_FLAGS => flags = u32_at(payload, 0).unwrap_or(flags),
            _ => {}
        }
        if len < 4 {
            break;
        }
        at += (len + 3) & !3;
    }
    Some(AddressChange {
        address: address?,
        ifindex,
        usable: kind == libc::RTM_NEWADDR && flags & UNUSABLE_FLAGS == 0,
    })
}

#[cfg(test)]
#[path = "address_events_sender_tests.rs"]
mod sender_tests;

#[cfg(test)]
mod tests {
    use super::*;

    fn attribute(kind: u16, payload: &[u8]) -> Vec<u8> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&((4 + payload.len()) as u16).to_ne_bytes());
        bytes.extend_from_slice(&kind.to_ne_bytes());
        bytes.extend_from_slice(payload);
        bytes.resize(bytes.len().next_multiple_of(4), 0);
        bytes
    }

    fn message(kind: u16, family: u8, address: Ipv6Addr, flags: u32) -> Vec<u8> {
        let mut body = vec![family, 64, 0, 0];
        body.extend_from_slice(&7u32.to_ne_bytes());
        body.extend(attribute(libc::IFA_ADDRESS, &address.octets()));
        body.extend(attribute(IFA_FLAGS, &flags.to_ne_bytes()));
        let mut bytes = Vec::new();
        bytes.extend_from_slice(&((NLMSG_HEADER_LEN + body.len()) as u32).to_ne_bytes());
        bytes.extend_from_slice(&kind.to_ne_bytes());
        bytes.extend_from_slice(&[0; 10]);
        bytes.extend(body);
        bytes
    }

    #[test]
    fn new_deleted_and_tentative_addresses() {
        let a: Ipv6Addr = "2001:db8:a1::2".parse().unwrap();
        let b: Ipv6Addr = "2001:db8:a2::2".parse().unwrap();
        let mut datagram = message(libc::RTM_NEWADDR, libc::AF_INET6 as u8, a, 0);
        datagram.extend(message(libc::RTM_DELADDR, libc::AF_INET6 as u8, b, 0));
        datagram.extend(message(
            libc::RTM_NEWADDR,
            libc::AF_INET6 as u8,
            b,
            libc::IFA_F_TENTATIVE,
        ));
        let changes = parse_messages(&datagram);
        assert_eq!(
            changes,
            vec![
                AddressChange {
                    address: a,
                    ifindex: 7,
                    usable: true
                },
                AddressChange {
                    address: b,
                    ifindex: 7,
                    usable: false
                },
                AddressChange {
                    address: b,
                    ifindex: 7,
                    usable: false
                },
            ]
        );
    }

    #[test]
    fn ipv4_and_truncated_messages_are_skipped() {
        let a: Ipv6Addr = "2001:db8:a1::2".parse().unwrap();
        let ipv4 = message(libc::RTM_NEWADDR, libc::AF_INET as u8, a, 0);
        assert!(parse_messages(&ipv4).is_empty());
        let whole = message(libc::RTM_NEWADDR, libc::AF_INET6 as u8, a, 0);
        for cut in 0..whole.len() {
            assert!(parse_messages(&whole[..cut]).is_empty(), "cut at {cut}");
        }
    }

    #[test]
    fn a_zero_length_attribute_ends_the_walk() {
        let a: Ipv6Addr = "2001:db8:a1::2".parse().unwrap();
        let mut bytes = message(libc::RTM_NEWADDR, libc::AF_INET6 as u8, a, 0);
        // A zero-length attribute after the others: no endless loop.
        bytes.extend_from_slice(&[0, 0, 0, 0]);
        let total = bytes.len() as u32;
        bytes[..4].copy_from_slice(&total.to_ne_bytes());
        assert_eq!(parse_messages(&bytes).len(), 1);
    }
}
