//! Sockets for the three transports, with errors that say which step
//! failed on which address.

use std::fmt;
use std::io;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use socket2::{Domain, Protocol, SockAddr, Socket, Type};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    /// TCP over IPPROTO_MPTCP (262): the kernel adds subflows on other
    /// address pairs according to `ip mptcp endpoint`.
    Mptcp,
    Udp,
}

impl Transport {
    pub fn name(self) -> &'static str {
        match self {
            Transport::Tcp => "tcp",
            Transport::Mptcp => "mptcp",
            Transport::Udp => "udp",
        }
    }

    fn socket(self, addr: &SocketAddr) -> Result<Socket, Error> {
        let (ty, protocol) = match self {
            Transport::Tcp => (Type::STREAM, Protocol::TCP),
            Transport::Mptcp => (Type::STREAM, Protocol::MPTCP),
            Transport::Udp => (Type::DGRAM, Protocol::UDP),
        };
        Socket::new(Domain::for_address(*addr), ty, Some(protocol)).map_err(|e| {
            let hint = if self == Transport::Mptcp {
                " (is MPTCP built in and net.mptcp.enabled=1?)"
            } else {
                ""
            };
            Error(format!("{} socket: {e}{hint}", self.name()))
        })
    }
}

/// A failed socket operation, named.
#[derive(Debug)]
pub struct Error(pub String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

fn named(what: impl FnOnce() -> String) -> impl FnOnce(io::Error) -> Error {
    move |e| Error(format!("{}: {e}", what()))
}

/// `[addr]:port`, `addr:port` (IPv4) or `:port` (every IPv6 address).
pub fn parse_listen_address(s: &str) -> Result<SocketAddr, String> {
    if let Some(port) = s.strip_prefix(':') {
        let port: u16 = port
            .parse()
            .map_err(|_| format!("'{port}' is not a port number"))?;
        return Ok(SocketAddr::new(IpAddr::V6(Ipv6Addr::UNSPECIFIED), port));
    }
    s.parse()
        .map_err(|_| format!("'{s}' is not [address]:port"))
}

/// A bound socket: listening for TCP/MPTCP, ready to receive for UDP.
pub fn listen(addr: SocketAddr, transport: Transport) -> Result<Socket, Error> {
    let socket = transport.socket(&addr)?;
    socket
        .set_reuse_address(true)
        .map_err(named(|| "SO_REUSEADDR".into()))?;
    socket
        .bind(&addr.into())
        .map_err(named(|| format!("bind {addr}")))?;
    if transport != Transport::Udp {
        socket
            .listen(1)
            .map_err(named(|| format!("listen on {addr}")))?;
    }
    Ok(socket)
}

/// A socket connected to `peer`, from `bind` when given.  TCP and MPTCP
/// send each record at once (no Nagle).
pub fn connect(
    peer: SocketAddr,
    bind: Option<IpAddr>,
    transport: Transport,
    timeout: Duration,
) -> Result<Socket, Error> {
    let socket = transport.socket(&peer)?;
    if let Some(ip) = bind {
        let local = SocketAddr::new(ip, 0);
        socket
            .bind(&local.into())
            .map_err(named(|| format!("bind {ip}")))?;
    }
    let to: SockAddr = peer.into();
    match transport {
        Transport::Udp => socket.connect(&to),
        _ => socket.connect_timeout(&to, timeout),
    }
    .map_err(named(|| format!("connect to {peer}")))?;
    if transport != Transport::Udp {
        socket
            .set_nodelay(true)
            .map_err(named(|| "TCP_NODELAY".into()))?;
    }
    Ok(socket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_address_forms() {
        assert_eq!(
            parse_listen_address(":5000"),
            Ok("[::]:5000".parse().expect("literal"))
        );
        assert_eq!(
            parse_listen_address("[2001:db8::1]:80"),
            Ok("[2001:db8::1]:80".parse().expect("literal"))
        );
        assert_eq!(
            parse_listen_address("127.0.0.1:9"),
            Ok("127.0.0.1:9".parse().expect("literal"))
        );
        assert_eq!(
            parse_listen_address(":http"),
            Err("'http' is not a port number".to_string())
        );
        assert_eq!(
            parse_listen_address("2001:db8::1"),
            Err("'2001:db8::1' is not [address]:port".to_string())
        );
    }
}
