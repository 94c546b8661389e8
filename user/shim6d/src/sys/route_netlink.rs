//! Adding an IPv6 address to an interface over rtnetlink (RTM_NEWADDR).
//! The message is built in safe code; only the socket calls are unsafe.

use std::io;
use std::mem::{size_of, zeroed};
use std::net::Ipv6Addr;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};

use super::{check, check_size};

const NLMSG_HEADER_LEN: usize = 16;
const IFADDRMSG_LEN: usize = 8;
const NLMSG_ERROR: u16 = 2;
/// The 32-bit flags attribute; current kernels prefer it to ifa_flags.
const IFA_FLAGS: u16 = 8;

/// Adds `address/prefix_len` to interface `ifindex` without duplicate
/// address detection (the address is usable at once; a CGA interface
/// identifier collision is a 2^-59 event). An existing address is replaced.
pub fn add_address(ifindex: u32, address: Ipv6Addr, prefix_len: u8) -> io::Result<()> {
    let request = new_address_request(ifindex, address, prefix_len);
    // SAFETY: socket(2) with constant arguments; the result is checked.
    let raw = check(unsafe {
        libc::socket(
            libc::AF_NETLINK,
            libc::SOCK_RAW | libc::SOCK_CLOEXEC,
            libc::NETLINK_ROUTE,
        )
    })?;
    // SAFETY: `raw` is a fresh descriptor owned by nothing else.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    // SAFETY: sockaddr_nl is plain data; zero = the kernel (pid 0).
    let mut kernel: libc::sockaddr_nl = unsafe { zeroed() };
    kernel.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    // SAFETY: `request` and `kernel` are live for the call with these sizes.
    check_size(unsafe {
        libc::sendto(
            fd.as_raw_fd(),
            request.as_ptr().cast(),
            request.len(),
            0,
            (&kernel as *const libc::sockaddr_nl).cast(),
            size_of::<libc::sockaddr_nl>() as libc::socklen_t,
        )
    })?;
    let mut reply = [0u8; 1024];
    // SAFETY: `reply` is writable for its length.
    let len = check_size(unsafe {
        libc::recv(fd.as_raw_fd(), reply.as_mut_ptr().cast(), reply.len(), 0)
    })?;
    ack_status(reply.get(..len).unwrap_or_default())
}

fn new_address_request(ifindex: u32, address: Ipv6Addr, prefix_len: u8) -> Vec<u8> {
    let flags =
        (libc::NLM_F_REQUEST | libc::NLM_F_ACK | libc::NLM_F_CREATE | libc::NLM_F_REPLACE) as u16;
    let mut message = Vec::with_capacity(64);
    message.extend_from_slice(&0u32.to_ne_bytes()); // length, patched below
    message.extend_from_slice(&libc::RTM_NEWADDR.to_ne_bytes());
    message.extend_from_slice(&flags.to_ne_bytes());
    message.extend_from_slice(&1u32.to_ne_bytes()); // sequence
    message.extend_from_slice(&0u32.to_ne_bytes()); // port: the kernel assigns
    message.push(libc::AF_INET6 as u8);
    message.push(prefix_len);
    message.push(libc::IFA_F_NODAD as u8);
    message.push(libc::RT_SCOPE_UNIVERSE);
    message.extend_from_slice(&ifindex.to_ne_bytes());
    debug_assert_eq!(message.len(), NLMSG_HEADER_LEN + IFADDRMSG_LEN);
    push_attribute(&mut message, libc::IFA_LOCAL, &address.octets());
    push_attribute(&mut message, libc::IFA_ADDRESS, &address.octets());
    push_attribute(&mut message, IFA_FLAGS, &libc::IFA_F_NODAD.to_ne_bytes());
    let total = message.len() as u32;
    message[..4].copy_from_slice(&total.to_ne_bytes());
    message
}

fn push_attribute(message: &mut Vec<u8>, kind: u16, payload: &[u8]) {
    let len = 4 + payload.len();
    message.extend_from_slice(&(len as u16).to_ne_bytes());
    message.extend_from_slice(&kind.to_ne_bytes());
    message.extend_from_slice(payload);
    message.resize(message.len() + (4 - len % 4) % 4, 0);
}

/// The kernel's answer: an NLMSG_ERROR whose code is 0 for success.
fn ack_status(reply: &[u8]) -> io::Result<()> {
    let kind = reply.get(4..6).map(|b| u16::from_ne_bytes([b[0], b[1]]));
    let code = reply
        .get(NLMSG_HEADER_LEN..NLMSG_HEADER_LEN + 4)
        .map(|b| i32::from_ne_bytes([b[0], b[1], b[2], b[3]]));
    match (kind, code) {
        (Some(NLMSG_ERROR), Some(0)) => Ok(()),
        (Some(NLMSG_ERROR), Some(code)) => Err(io::Error::from_raw_os_error(code.saturating_neg())),
        _ => Err(io::Error::other("unexpected rtnetlink reply")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_is_aligned_and_carries_the_address() {
        let address: Ipv6Addr = "2001:db8:1::1".parse().unwrap();
        let request = new_address_request(7, address, 64);
        assert_eq!(request.len() % 4, 0);
        assert_eq!(
            u32::from_ne_bytes(request[..4].try_into().unwrap()) as usize,
            request.len()
        );
        assert_eq!(request[NLMSG_HEADER_LEN + 1], 64);
        let octets = address.octets();
        let at = NLMSG_HEADER_LEN + IFADDRMSG_LEN + 4;
        assert_eq!(&request[at..at + 16], &octets);
    }

    #[test]
    fn ack_status_maps_errno() {
        let mut reply = vec![0u8; 36];
        reply[4..6].copy_from_slice(&NLMSG_ERROR.to_ne_bytes());
        assert!(ack_status(&reply).is_ok());
        reply[16..20].copy_from_slice(&(-libc::EPERM).to_ne_bytes());
        assert_eq!(
            ack_status(&reply).unwrap_err().raw_os_error(),
            Some(libc::EPERM)
        );
        assert!(ack_status(&reply[..3]).is_err());
    }
}
