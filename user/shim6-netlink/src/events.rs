//! Listening to the family's "events" multicast group.

use std::collections::VecDeque;
use std::os::fd::{AsFd, BorrowedFd};
use std::time::{Duration, Instant};

use crate::connection::io_error;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::message::{GenlMessage, Messages, OwnedGenlMessage, NLMSG_OVERRUN};
use crate::socket::NetlinkSocket;

/// The shortest receive timeout set on the socket: `SO_RCVTIMEO` takes
/// microseconds, and zero would mean "wait forever".
const SHORTEST_WAIT: Duration = Duration::from_millis(1);

/// A socket joined to a multicast group of one family.
#[derive(Debug)]
pub struct EventSubscription {
    socket: NetlinkSocket,
    family_id: u16,
    buf: Vec<u8>,
    /// Messages received but not yet handed out by `next_event`.
    pending: VecDeque<OwnedGenlMessage>,
}

/// For `poll`: readable when an event may be waiting.
impl AsFd for EventSubscription {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.socket.as_fd()
    }
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
            pending: VecDeque::new(),
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
            if let Some(messages) = self.receive_datagram()? {
                return Ok(messages);
            }
        }
    }

    /// One datagram: `None` if it was not the kernel's or held none of the
    /// family's messages.
    fn receive_datagram(&mut self) -> Result<Option<Vec<OwnedGenlMessage>>> {
        let received = match self.socket.receive(&mut self.buf) {
            Err(e) if e.raw_os_error() == Some(libc::ENOBUFS) => return Err(Error::Overrun),
            other => other.map_err(io_error("receive"))?,
        };
        if received.sender != 0 {
            return Ok(None);
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
        Ok((!events.is_empty()).then_some(events))
    }

    /// The next event if one is already here (waits at most a
    /// millisecond): for an event loop that polled the descriptor.
    pub fn try_next_event(&mut self) -> Result<Option<Event>> {
        match self.next_event(Some(SHORTEST_WAIT)) {
            Err(Error::Timeout) => Ok(None),
            other => other.map(Some),
        }
    }

    /// The next event, waiting at most `timeout` (`None`: forever) for it.
    ///
    /// [`Error::Timeout`] when none came in time, [`Error::Overrun`] when
    /// events were lost, [`Error::Malformed`] for an event that does not
    /// decode; after any of these the subscription remains usable and the
    /// next call goes on with the following event.
    pub fn next_event(&mut self, timeout: Option<Duration>) -> Result<Event> {
        // A timeout too long to add to the clock is no timeout.
        let deadline = timeout.and_then(|timeout| Instant::now().checked_add(timeout));
        loop {
            if let Some(message) = self.pending.pop_front() {
                return Ok(Event::parse(&message)?);
            }
            let wait = match deadline {
                None => None,
                Some(deadline) => {
                    let left = deadline.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        return Err(Error::Timeout);
                    }
                    Some(left.max(SHORTEST_WAIT))
                }
            };
            self.set_timeout(wait)?;
            if let Some(messages) = self.receive_datagram()? {
                self.pending.extend(messages);
            }
        }
    }
}
