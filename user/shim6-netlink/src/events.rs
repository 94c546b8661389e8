//! Listening to the family's "events" multicast group.

use std::time::Duration;

use crate::connection::io_error;
use crate::error::{Error, Result};
use crate::message::{GenlMessage, Messages, OwnedGenlMessage, NLMSG_OVERRUN};
use crate::socket::NetlinkSocket;

/// A socket joined to a multicast group of one family.
#[derive(Debug)]
pub struct EventSubscription {
    socket: NetlinkSocket,
    family_id: u16,
    buf: Vec<u8>,
}

impl EventSubscription {
    /// Opens a socket of its own and joins group `group` of `family_id`.
    pub fn join(family_id: u16, group: u32) -> Result<Self> {
        let socket = NetlinkSocket::open().map_err(io_error("open"))?;
        socket
            .join_group(group)
            .map_err(io_error("join multicast group"))?;
        Ok(EventSubscription {
            socket,
            family_id,
            buf: vec![0; 8192],
        })
    }

    /// Makes [`EventSubscription::receive`] give up with
    /// [`Error::Timeout`] after `timeout` (`None`, the default: never).
    pub fn set_timeout(&self, timeout: Option<Duration>) -> Result<()> {
        self.socket
            .set_receive_timeout(timeout)
            .map_err(io_error("set receive timeout"))
    }

    /// Waits for the next datagram from the kernel and returns the family's
    /// messages in it, still undecoded.  [`Error::Overrun`] (`ENOBUFS`)
    /// means events were lost; the subscription remains usable.
    pub fn receive(&mut self) -> Result<Vec<OwnedGenlMessage>> {
        loop {
            let received = match self.socket.receive(&mut self.buf) {
                Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => return Err(Error::Overrun),
                other => other.map_err(io_error("receive"))?,
            };
            if received.sender != 0 {
                continue;
            }
            let mut events = Vec::new();
            for message in Messages::new(&self.buf[..received.len]) {
                let message = message?;
                match message.header.kind {
                    kind if kind == self.family_id => {
                        events.push(GenlMessage::parse(message)?.to_owned())
                    }
                    NLMSG_OVERRUN => return Err(Error::Overrun),
                    _ => {}
                }
            }
            if !events.is_empty() {
                return Ok(events);
            }
        }
    }
}
