//! Request/reply exchanges: sequence numbers, matching replies to the
//! request, acks, refusals and dumps.

use std::io;
use std::time::Duration;

use crate::ack::{parse_done_message, parse_error_message};
use crate::builder::MessageBuilder;
use crate::error::{Error, Result};
use crate::message::{
    GenlMessage, Messages, OwnedGenlMessage, NLMSG_DONE, NLMSG_ERROR, NLMSG_MIN_TYPE, NLMSG_NOOP,
    NLMSG_OVERRUN,
};
use crate::socket::NetlinkSocket;

/// How long to wait for the kernel to answer a request.
pub const REPLY_TIMEOUT: Duration = Duration::from_secs(5);

/// A socket used for requests, one at a time.
#[derive(Debug)]
pub struct Connection {
    socket: NetlinkSocket,
    last_seq: u32,
    buf: Vec<u8>,
}

pub(crate) fn io_error(context: &'static str) -> impl FnOnce(io::Error) -> Error {
    move |source| match source.kind() {
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut => Error::Timeout,
        _ => Error::Io { context, source },
    }
}

impl Connection {
    pub fn open() -> Result<Self> {
        let socket = NetlinkSocket::open().map_err(io_error("open"))?;
        socket
            .set_receive_timeout(Some(REPLY_TIMEOUT))
            .map_err(io_error("set receive timeout"))?;
        Ok(Connection {
            socket,
            last_seq: 0,
            buf: vec![0; 8192],
        })
    }

    fn next_seq(&mut self) -> u32 {
        self.last_seq = self.last_seq.wrapping_add(1).max(1);
        self.last_seq
    }

    /// Sends `request` and collects the replies: for a plain request, the
    /// messages before the ack; for a dump, those before `NLMSG_DONE`.
    /// A refusal becomes [`Error::Kernel`].  Messages that do not answer
    /// this request (another sequence number or port, a sender other than
    /// the kernel) are skipped.
    pub fn transact(&mut self, request: MessageBuilder) -> Result<Vec<OwnedGenlMessage>> {
        let is_dump = request.is_dump();
        let seq = self.next_seq();
        let bytes = request.finish(seq)?;
        self.socket.send(&bytes).map_err(io_error("send"))?;

        let mut replies = Vec::new();
        loop {
            let received = self
                .socket
                .receive(&mut self.buf)
                .map_err(io_error("receive"))?;
            if received.sender != 0 {
                continue;
            }
            for message in Messages::new(&self.buf[..received.len]) {
                let message = message?;
                if message.header.seq != seq || message.header.port != self.socket.port() {
                    continue;
                }
                match message.header.kind {
                    NLMSG_NOOP => {}
                    NLMSG_OVERRUN => return Err(Error::Overrun),
                    NLMSG_ERROR => {
                        return match parse_error_message(message.header.flags, message.payload)? {
                            Some(refusal) => Err(refusal.into()),
                            None => Ok(replies),
                        }
                    }
                    NLMSG_DONE if is_dump => {
                        return match parse_done_message(message.payload)? {
                            Some(refusal) => Err(refusal.into()),
                            None => Ok(replies),
                        }
                    }
                    kind if kind >= NLMSG_MIN_TYPE => {
                        replies.push(GenlMessage::parse(message)?.to_owned())
                    }
                    // Other control messages carry nothing for us.
                    _ => {}
                }
            }
        }
    }
}
