//! Raw IPv6 socket for protocol 140 (Shim6) that only ever sees control
//! messages: a socket filter drops every packet whose P bit is set, so the
//! kernel never copies a data packet to user space.

use std::io;
use std::mem::{size_of, zeroed};
use std::net::Ipv6Addr;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};

use shim6_proto::wire::IPPROTO_SHIM6;

use super::{check, check_size};

/// A received control message's addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    pub len: usize,
    pub src: Ipv6Addr,
    /// From IPV6_PKTINFO: the address the peer sent to.
    pub dst: Ipv6Addr,
    pub ifindex: u32,
    /// From SO_RXQ_OVFL: packets the socket dropped, its queue full, since
    /// it was opened; carried by packets queued after a drop.
    pub queue_dropped: Option<u32>,
}

/// Receive queue: room for a few thousand control messages, so that a
/// burst of a flood (a peer's REAP probes queue behind it) is absorbed
/// rather than dropped while the daemon catches up.
pub const RECEIVE_BUFFER_BYTES: libc::c_int = 4 << 20;

#[derive(Debug)]
pub struct RawShim6Socket {
    fd: OwnedFd,
}

/// Offset of the octet holding P (top bit) and the message type, counted
/// from the Shim6 header, which is where raw IPv6 sockets start their data.
const P_BIT_OCTET: u32 = 2;

impl RawShim6Socket {
    /// Opens a non-blocking socket in the caller's network namespace.
    pub fn open() -> io::Result<Self> {
        // SAFETY: socket(2) with constant arguments; the result is checked.
        let raw = check(unsafe {
            libc::socket(
                libc::AF_INET6,
                libc::SOCK_RAW | libc::SOCK_NONBLOCK | libc::SOCK_CLOEXEC,
                libc::c_int::from(IPPROTO_SHIM6),
            )
        })?;
        // SAFETY: `raw` is a fresh descriptor owned by nothing else.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };
        let socket = RawShim6Socket { fd };
        socket.set_int_option(libc::IPPROTO_IPV6, libc::IPV6_RECVPKTINFO, 1)?;
        socket.set_int_option(libc::SOL_SOCKET, libc::SO_RXQ_OVFL, 1)?;
        socket.attach_control_only_filter()?;
        Ok(socket)
    }

    /// Sets the receive queue to `bytes`: beyond net.core.rmem_max with
    /// CAP_NET_ADMIN (SO_RCVBUFFORCE), else as far as rmem_max allows.
    /// Returns the size the kernel granted (it doubles the request for its
    /// bookkeeping, see socket(7)).
    pub fn set_receive_buffer(&self, bytes: libc::c_int) -> io::Result<libc::c_int> {
        if self
            .set_int_option(libc::SOL_SOCKET, libc::SO_RCVBUFFORCE, bytes)
            .is_err()
        {
            self.set_int_option(libc::SOL_SOCKET, libc::SO_RCVBUF, bytes)?;
        }
        let mut value: libc::c_int = 0;
        let mut len = socklen_of::<libc::c_int>();
        // SAFETY: `value` and `len` are live locals of the sizes given.
        check(unsafe {
            libc::getsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVBUF,
                (&mut value as *mut libc::c_int).cast(),
                &mut len,
            )
        })?;
        Ok(value)
    }

    fn set_int_option(
        &self,
        level: libc::c_int,
        name: libc::c_int,
        value: libc::c_int,
    ) -> io::Result<()> {
        // SAFETY: the option value points at a live c_int of the given size.
        check(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                level,
                name,
                (&value as *const libc::c_int).cast(),
                socklen_of::<libc::c_int>(),
            )
        })?;
        Ok(())
    }

    /// Exempts this socket from the xfrm policies of the namespace, the
    /// way IKE daemons exempt theirs: a per-socket outbound policy that
    /// allows without transform. The module installs a policy for each
    /// context's ULID pair; without this a Probe or an Update sent from one
    /// ULID to the other would be rewritten onto the context's current
    /// pair and get a payload header. Needs CAP_NET_ADMIN.
    pub fn bypass_xfrm_policies(&self) -> io::Result<()> {
        // SAFETY: XfrmUserPolicyInfo is plain data; all-zero is valid.
        let mut policy: XfrmUserPolicyInfo = unsafe { zeroed() };
        policy.sel.family = libc::AF_INET6 as u16;
        policy.lft = [u64::MAX; 8];
        policy.dir = XFRM_POLICY_OUT;
        policy.action = XFRM_POLICY_ALLOW;
        // SAFETY: the option value points at a live XfrmUserPolicyInfo of
        // the size given; the kernel copies it.
        check(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                libc::IPPROTO_IPV6,
                IPV6_XFRM_POLICY,
                (&policy as *const XfrmUserPolicyInfo).cast(),
                socklen_of::<XfrmUserPolicyInfo>(),
            )
        })?;
        Ok(())
    }

    /// Classic BPF: load the octet with the P bit; P = 1 → drop, else keep.
    fn attach_control_only_filter(&self) -> io::Result<()> {
        let code = [
            bpf(
                libc::BPF_LD | libc::BPF_B | libc::BPF_ABS,
                0,
                0,
                P_BIT_OCTET,
            ),
            bpf(libc::BPF_JMP | libc::BPF_JSET | libc::BPF_K, 1, 0, 0x80),
            bpf(libc::BPF_RET | libc::BPF_K, 0, 0, u32::MAX),
            bpf(libc::BPF_RET | libc::BPF_K, 0, 0, 0),
        ];
        let program = libc::sock_fprog {
            len: code.len() as libc::c_ushort,
            filter: code.as_ptr().cast_mut(),
        };
        // SAFETY: `program` and the `code` array it points to outlive the
        // call; the kernel copies the program.
        check(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_ATTACH_FILTER,
                (&program as *const libc::sock_fprog).cast(),
                socklen_of::<libc::sock_fprog>(),
            )
        })?;
        Ok(())
    }

    /// Sends one Shim6 header (the kernel adds the IPv6 header) from `src`,
    /// which must be an address of this host.
    pub fn send(&self, src: Ipv6Addr, dst: Ipv6Addr, message: &[u8]) -> io::Result<()> {
        let mut destination = sockaddr_in6(dst);
        let mut iov = libc::iovec {
            iov_base: message.as_ptr().cast_mut().cast(),
            iov_len: message.len(),
        };
        let mut control = ControlBuffer::new();
        // SAFETY: msghdr is plain data; all-zero is a valid empty header.
        let mut header: libc::msghdr = unsafe { zeroed() };
        header.msg_name = (&mut destination as *mut libc::sockaddr_in6).cast();
        header.msg_namelen = socklen_of::<libc::sockaddr_in6>();
        header.msg_iov = &mut iov;
        header.msg_iovlen = 1;
        header.msg_control = control.bytes.as_mut_ptr().cast();
        // SAFETY: CMSG_SPACE is a pure size computation.
        header.msg_controllen =
            unsafe { libc::CMSG_SPACE(size_of::<libc::in6_pktinfo>() as u32) } as usize;
        let info = libc::in6_pktinfo {
            ipi6_addr: libc::in6_addr {
                s6_addr: src.octets(),
            },
            ipi6_ifindex: 0,
        };
        // SAFETY: msg_control points at `control`, which is aligned for
        // cmsghdr and at least CMSG_SPACE(in6_pktinfo) long, so the first
        // header and its data fit; the data is written unaligned-safe.
        unsafe {
            let cmsg = libc::CMSG_FIRSTHDR(&header);
            if cmsg.is_null() {
                return Err(io::Error::other("control buffer too small"));
            }
            (*cmsg).cmsg_level = libc::IPPROTO_IPV6;
            (*cmsg).cmsg_type = libc::IPV6_PKTINFO;
            (*cmsg).cmsg_len = libc::CMSG_LEN(size_of::<libc::in6_pktinfo>() as u32) as usize;
            std::ptr::write_unaligned(libc::CMSG_DATA(cmsg).cast::<libc::in6_pktinfo>(), info);
        }
        // SAFETY: every pointer in `header` refers to live locals above.
        let sent = check_size(unsafe { libc::sendmsg(self.fd.as_raw_fd(), &header, 0) })?;
        if sent != message.len() {
            return Err(io::Error::other(format!(
                "short send: {sent} of {} octets",
                message.len()
            )));
        }
        Ok(())
    }

    /// Receives one control message into `buf`; `WouldBlock` when none is
    /// queued. Messages longer than `buf` are truncated (`len` is then the
    /// buffer size, and the codec's length check rejects them).
    pub fn receive(&self, buf: &mut [u8]) -> io::Result<Received> {
        // SAFETY: sockaddr_in6 and msghdr are plain data; zero is valid.
        let mut source: libc::sockaddr_in6 = unsafe { zeroed() };
        let mut iov = libc::iovec {
            iov_base: buf.as_mut_ptr().cast(),
            iov_len: buf.len(),
        };
        let mut control = ControlBuffer::new();
        // SAFETY: as above.
        let mut header: libc::msghdr = unsafe { zeroed() };
        header.msg_name = (&mut source as *mut libc::sockaddr_in6).cast();
        header.msg_namelen = socklen_of::<libc::sockaddr_in6>();
        header.msg_iov = &mut iov;
        header.msg_iovlen = 1;
        header.msg_control = control.bytes.as_mut_ptr().cast();
        header.msg_controllen = control.bytes.len() * size_of::<u64>();
        // SAFETY: `header` points at `source`, `buf` and `control`, all live
        // and writable for the sizes given.
        let len = check_size(unsafe { libc::recvmsg(self.fd.as_raw_fd(), &mut header, 0) })?;
        let mut dst = None;
        let mut ifindex = 0;
        let mut queue_dropped = None;
        // SAFETY: the kernel filled msg_control up to msg_controllen; the
        // CMSG macros walk only inside it, and the payload is read unaligned.
        unsafe {
            let mut cmsg = libc::CMSG_FIRSTHDR(&header);
            while !cmsg.is_null() {
                if (*cmsg).cmsg_level == libc::IPPROTO_IPV6
                    && (*cmsg).cmsg_type == libc::IPV6_PKTINFO
                {
                    let info: libc::in6_pktinfo =
                        std::ptr::read_unaligned(libc::CMSG_DATA(cmsg).cast());
                    dst = Some(Ipv6Addr::from(info.ipi6_addr.s6_addr));
                    ifindex = info.ipi6_ifindex;
                } else if (*cmsg).cmsg_level == libc::SOL_SOCKET
                    && (*cmsg).cmsg_type == libc::SO_RXQ_OVFL
                {
                    queue_dropped = Some(std::ptr::read_unaligned(
                        libc::CMSG_DATA(cmsg).cast::<u32>(),
                    ));
                }
                cmsg = libc::CMSG_NXTHDR(&header, cmsg);
            }
        }
        let dst = dst.ok_or_else(|| io::Error::other("no IPV6_PKTINFO on a received packet"))?;
        Ok(Received {
            len,
            src: Ipv6Addr::from(source.sin6_addr.s6_addr),
            dst,
            ifindex,
            queue_dropped,
        })
    }
}

impl AsFd for RawShim6Socket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

/// `IPV6_XFRM_POLICY` of <linux/in6.h>.
const IPV6_XFRM_POLICY: libc::c_int = 35;
/// `XFRM_POLICY_OUT` and `XFRM_POLICY_ALLOW` of <linux/xfrm.h>.
const XFRM_POLICY_OUT: u8 = 1;
const XFRM_POLICY_ALLOW: u8 = 0;

/// `struct xfrm_selector` of <linux/xfrm.h>.
#[repr(C)]
struct XfrmSelector {
    daddr: [u8; 16],
    saddr: [u8; 16],
    dport: u16,
    dport_mask: u16,
    sport: u16,
    sport_mask: u16,
    family: u16,
    prefixlen_d: u8,
    prefixlen_s: u8,
    proto: u8,
    ifindex: libc::c_int,
    user: u32,
}

/// `struct xfrm_userpolicy_info` of <linux/xfrm.h>: selector, lifetime
/// limits (8 × u64), current lifetime (4 × u64), then the policy fields.
#[repr(C)]
struct XfrmUserPolicyInfo {
    sel: XfrmSelector,
    lft: [u64; 8],
    curlft: [u64; 4],
    priority: u32,
    index: u32,
    dir: u8,
    action: u8,
    flags: u8,
    share: u8,
}

/// Ancillary data space, aligned like `cmsghdr` (8 octets on Linux).
struct ControlBuffer {
    bytes: [u64; 16],
}

impl ControlBuffer {
    fn new() -> Self {
        ControlBuffer { bytes: [0; 16] }
    }
}

fn bpf(code: u32, jump_true: u8, jump_false: u8, k: u32) -> libc::sock_filter {
    // The BPF opcode field is 16 bits; libc exposes the constants as u32.
    libc::sock_filter {
        code: code as u16,
        jt: jump_true,
        jf: jump_false,
        k,
    }
}

fn sockaddr_in6(addr: Ipv6Addr) -> libc::sockaddr_in6 {
    // SAFETY: sockaddr_in6 is plain data; all-zero is valid.
    let mut sockaddr: libc::sockaddr_in6 = unsafe { zeroed() };
    sockaddr.sin6_family = libc::AF_INET6 as libc::sa_family_t;
    sockaddr.sin6_addr.s6_addr = addr.octets();
    sockaddr
}

fn socklen_of<T>() -> libc::socklen_t {
    size_of::<T>() as libc::socklen_t
}

#[cfg(test)]
#[path = "raw_socket_tests.rs"]
mod queue_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xfrm_policy_layout_is_the_kernel_one() {
        // sizeof(struct xfrm_selector) and sizeof(struct xfrm_userpolicy_info) on 64-bit Linux.
        assert_eq!(size_of::<XfrmSelector>(), 56);
        assert_eq!(size_of::<XfrmUserPolicyInfo>(), 168);
    }
}
