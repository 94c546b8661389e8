//! Two raw IPv6 sockets. Sending: protocol IPPROTO_RAW, which on Linux
//! means IPV6_HDRINCL: each datagram carries the IPv6 header the attacker
//! wrote, so its source is whatever the attack wants (the kernel checks no
//! source on such sockets; an off-path attacker behind a network without
//! ingress filtering does just this). Receiving: protocol 140, every Shim6
//! packet that reaches the namespace: the answers to the attacker's own
//! addresses, and any payload sent to them.

use std::io::{self, Read};
use std::net::{Ipv6Addr, SocketAddrV6};

use shim6_proto::wire::{Message, IPPROTO_SHIM6, MAX_SHIM6_HEADER_LEN};
use socket2::{Domain, Protocol, SockAddr, Socket, Type};

use crate::ipv6_header;

pub struct SpoofingSocket {
    sender: Socket,
    receiver: Socket,
    buffer: Vec<u8>,
}

impl SpoofingSocket {
    /// Needs CAP_NET_RAW in the caller's network namespace.
    pub fn open() -> io::Result<SpoofingSocket> {
        let sender = Socket::new(Domain::IPV6, Type::RAW, Some(Protocol::from(IPPROTO_RAW)))?;
        let receiver = Socket::new(
            Domain::IPV6,
            Type::RAW,
            Some(Protocol::from(i32::from(IPPROTO_SHIM6))),
        )?;
        receiver.set_nonblocking(true)?;
        // Room for a burst of answers while a flood is being sent.
        receiver.set_recv_buffer_size(1 << 20)?;
        Ok(SpoofingSocket {
            sender,
            receiver,
            buffer: vec![0; MAX_SHIM6_HEADER_LEN + 64],
        })
    }

    /// Sends `message` from `src` (any address) to `dst`.
    pub fn send(&self, src: Ipv6Addr, dst: Ipv6Addr, message: &Message) -> io::Result<()> {
        let shim6 = message
            .to_bytes()
            .map_err(|e| io::Error::other(e.to_string()))?;
        let datagram = ipv6_header::datagram(src, dst, IPPROTO_SHIM6, &shim6)
            .ok_or_else(|| io::Error::other("message longer than an IPv6 payload"))?;
        let to = SockAddr::from(SocketAddrV6::new(dst, 0, 0, 0));
        let sent = self.sender.send_to(&datagram, &to)?;
        if sent != datagram.len() {
            return Err(io::Error::other(format!(
                "short send: {sent} of {} octets",
                datagram.len()
            )));
        }
        Ok(())
    }

    /// The next received Shim6 header (the kernel strips the IPv6 header
    /// of raw IPv6 sockets), or `None` when nothing is queued.
    pub fn receive(&mut self) -> io::Result<Option<&[u8]>> {
        match (&self.receiver).read(&mut self.buffer) {
            Ok(len) => Ok(self.buffer.get(..len)),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// IPPROTO_RAW of <netinet/in.h>: a raw socket of this protocol writes its
/// own IP header.
const IPPROTO_RAW: i32 = 255;
