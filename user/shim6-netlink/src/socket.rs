//! The raw `AF_NETLINK`/`NETLINK_GENERIC` socket.
//!
//! This is the only module with `unsafe` code: the libc calls that create,
//! configure and use the socket.  Every call gets buffers and lengths from
//! Rust slices and structs it owns, and every return value is checked.

#![allow(unsafe_code)]

use std::io;
use std::mem;
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, FromRawFd, OwnedFd};
use std::time::Duration;

/// A bound generic netlink socket.
#[derive(Debug)]
pub struct NetlinkSocket {
    fd: OwnedFd,
    port: u32,
}

/// A received datagram: its length and the sender's port id (0 = kernel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    pub len: usize,
    pub sender: u32,
}

fn check(ret: libc::c_int) -> io::Result<libc::c_int> {
    if ret < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(ret)
    }
}

fn kernel_address() -> libc::sockaddr_nl {
    // SAFETY: `sockaddr_nl` is plain integers; all-zero is a valid value
    // (the kernel's address, no groups).
    let mut address: libc::sockaddr_nl = unsafe { mem::zeroed() };
    address.nl_family = libc::AF_NETLINK as libc::sa_family_t;
    address
}

const ADDRESS_LEN: libc::socklen_t = mem::size_of::<libc::sockaddr_nl>() as libc::socklen_t;

/// For `poll`: an event loop waits on the socket with its other inputs.
impl AsFd for NetlinkSocket {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.fd.as_fd()
    }
}

impl NetlinkSocket {
    /// Opens a generic netlink socket, binds it to a port the kernel
    /// chooses, connects it to the kernel, and asks for capped acks with extended ack messages.
    pub fn open() -> io::Result<Self> {
        // SAFETY: plain syscall; the result is checked before use.
        let raw = check(unsafe {
            libc::socket(
                libc::AF_NETLINK,
                libc::SOCK_RAW | libc::SOCK_CLOEXEC,
                libc::NETLINK_GENERIC,
            )
        })?;
        // SAFETY: `raw` is a freshly created descriptor nobody else owns.
        let fd = unsafe { OwnedFd::from_raw_fd(raw) };

        let address = kernel_address();
        // SAFETY: `address` is a valid `sockaddr_nl` of `ADDRESS_LEN` octets.
        check(unsafe {
            libc::bind(
                fd.as_raw_fd(),
                (&address as *const libc::sockaddr_nl).cast(),
                ADDRESS_LEN,
            )
        })?;

        // Connected to the kernel, the socket takes unicast from nobody
        // else: other local processes get ECONNREFUSED instead of filling
        // its buffer until kernel events overrun (M5 of the security
        // review). Multicast groups are not affected.
        // SAFETY: `address` is a valid `sockaddr_nl` of `ADDRESS_LEN` octets.
        check(unsafe {
            libc::connect(
                fd.as_raw_fd(),
                (&address as *const libc::sockaddr_nl).cast(),
                ADDRESS_LEN,
            )
        })?;

        let mut bound = kernel_address();
        let mut len = ADDRESS_LEN;
        // SAFETY: `bound` has room for `len` octets, and `len` is updated
        // by the kernel to what it wrote.
        check(unsafe {
            libc::getsockname(
                fd.as_raw_fd(),
                (&mut bound as *mut libc::sockaddr_nl).cast(),
                &mut len,
            )
        })?;

        let socket = NetlinkSocket {
            fd,
            port: bound.nl_pid,
        };
        // Both only improve error reports; kernels without them (before
        // 4.12 for extended acks) still work.
        let _ = socket.set_option(libc::NETLINK_EXT_ACK, 1);
        let _ = socket.set_option(libc::NETLINK_CAP_ACK, 1);
        Ok(socket)
    }

    /// The port id the kernel assigned: replies carry it in `nlmsg_pid`.
    pub fn port(&self) -> u32 {
        self.port
    }

    fn set_option(&self, option: libc::c_int, value: libc::c_int) -> io::Result<()> {
        // SAFETY: `value` is a live `c_int` and its size is passed.
        check(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_NETLINK,
                option,
                (&value as *const libc::c_int).cast(),
                mem::size_of::<libc::c_int>() as libc::socklen_t,
            )
        })
        .map(drop)
    }

    /// Joins multicast group `group` (an id from `CTRL_CMD_GETFAMILY`).
    pub fn join_group(&self, group: u32) -> io::Result<()> {
        let group = libc::c_int::try_from(group)
            .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
        self.set_option(libc::NETLINK_ADD_MEMBERSHIP, group)
    }

    /// Makes [`NetlinkSocket::receive`] fail with `WouldBlock` after
    /// `timeout` (`None`: wait forever).
    pub fn set_receive_timeout(&self, timeout: Option<Duration>) -> io::Result<()> {
        let timeout = timeout.unwrap_or(Duration::ZERO);
        // `suseconds_t` is 32 bits on some targets: keep the conversion
        // fallible there (microseconds always fit).
        #[allow(clippy::unnecessary_fallible_conversions)]
        let value = libc::timeval {
            tv_sec: libc::time_t::try_from(timeout.as_secs()).unwrap_or(libc::time_t::MAX),
            tv_usec: libc::suseconds_t::try_from(timeout.subsec_micros()).unwrap_or(0),
        };
        // SAFETY: `value` is a live `timeval` and its size is passed.
        check(unsafe {
            libc::setsockopt(
                self.fd.as_raw_fd(),
                libc::SOL_SOCKET,
                libc::SO_RCVTIMEO,
                (&value as *const libc::timeval).cast(),
                mem::size_of::<libc::timeval>() as libc::socklen_t,
            )
        })
        .map(drop)
    }

    /// Sends one message to the kernel.
    pub fn send(&self, message: &[u8]) -> io::Result<()> {
        let address = kernel_address();
        loop {
            // SAFETY: `message` is valid for its length; `address` is a
            // valid `sockaddr_nl` of `ADDRESS_LEN` octets.
            let sent = unsafe {
                libc::sendto(
                    self.fd.as_raw_fd(),
                    message.as_ptr().cast(),
                    message.len(),
                    0,
                    (&address as *const libc::sockaddr_nl).cast(),
                    ADDRESS_LEN,
                )
            };
            if sent < 0 {
                let error = io::Error::last_os_error();
                if error.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(error);
            }
            // Netlink datagrams are sent whole or not at all.
            return if sent as usize == message.len() {
                Ok(())
            } else {
                Err(io::ErrorKind::WriteZero.into())
            };
        }
    }

    /// Receives one datagram into `buf`, growing it to the datagram's size
    /// first so nothing is truncated.
    pub fn receive(&self, buf: &mut Vec<u8>) -> io::Result<Received> {
        let size = self
            .receive_into(buf.as_mut_slice(), libc::MSG_PEEK | libc::MSG_TRUNC)?
            .len;
        if buf.len() < size {
            buf.resize(size, 0);
        }
        let received = self.receive_into(buf.as_mut_slice(), 0)?;
        if received.len > buf.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "datagram truncated",
            ));
        }
        Ok(received)
    }

    fn receive_into(&self, buf: &mut [u8], flags: libc::c_int) -> io::Result<Received> {
        loop {
            let mut sender = kernel_address();
            let mut address_len = ADDRESS_LEN;
            // SAFETY: `buf` is valid for writes of its length; `sender` has
            // room for `address_len` octets, which the kernel updates.
            let len = unsafe {
                libc::recvfrom(
                    self.fd.as_raw_fd(),
                    buf.as_mut_ptr().cast(),
                    buf.len(),
                    flags,
                    (&mut sender as *mut libc::sockaddr_nl).cast(),
                    &mut address_len,
                )
            };
            if len < 0 {
                let error = io::Error::last_os_error();
                if error.kind() == io::ErrorKind::Interrupted {
                    continue;
                }
                return Err(error);
            }
            return Ok(Received {
                len: len as usize,
                sender: sender.nl_pid,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sends `datagram` from `from` to the socket with port id `port`.
    fn send_to_port(from: &NetlinkSocket, port: u32, datagram: &[u8]) -> io::Result<()> {
        let mut target = kernel_address();
        target.nl_pid = port;
        // SAFETY: `datagram` and `target` are live for the call, with their sizes.
        let sent = unsafe {
            libc::sendto(
                from.fd.as_raw_fd(),
                datagram.as_ptr().cast(),
                datagram.len(),
                0,
                (&target as *const libc::sockaddr_nl).cast(),
                ADDRESS_LEN,
            )
        };
        if sent < 0 {
            Err(io::Error::last_os_error())
        } else {
            Ok(())
        }
    }

    #[test]
    fn another_process_cannot_unicast_to_the_socket() {
        let daemon = NetlinkSocket::open().expect("genl socket");
        let other = NetlinkSocket::open().expect("second genl socket");
        // A netlink header of 16 octets, as a flood would send.
        let datagram = [16, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let sent = send_to_port(&other, daemon.port(), &datagram);
        assert_eq!(
            sent.map_err(|error| error.raw_os_error()),
            Err(Some(libc::ECONNREFUSED))
        );
    }

    #[test]
    fn the_kernel_still_answers_a_connected_socket() {
        let socket = NetlinkSocket::open().expect("genl socket");
        socket
            .set_receive_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        // CTRL_CMD_GETFAMILY for "nlctrl" (GENL_ID_CTRL = 0x10), with an ack.
        let mut request = vec![0u8; 16];
        request.extend_from_slice(&[3, 1, 0, 0]); // cmd GETFAMILY, version 1
        request.extend_from_slice(&[11, 0, 2, 0]); // CTRL_ATTR_FAMILY_NAME
        request.extend_from_slice(b"nlctrl\0\0");
        let len = request.len() as u32;
        request[..4].copy_from_slice(&len.to_ne_bytes());
        request[4..6].copy_from_slice(&0x10u16.to_ne_bytes());
        request[6..8].copy_from_slice(&(libc::NLM_F_REQUEST as u16).to_ne_bytes());
        socket.send(&request).unwrap();
        let mut buffer = Vec::new();
        let received = socket.receive(&mut buffer).expect("the kernel's reply");
        assert_eq!(received.sender, 0);
        assert!(received.len >= 16);
    }
}
