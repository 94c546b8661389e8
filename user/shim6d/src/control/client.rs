//! Blocking client of the control channel, for `shim6ctl` and tests.

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::time::Duration;

use super::protocol::{decode_reply, encode_line, Event, Reply, Request};

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("control socket: {0}")]
    Io(#[from] io::Error),
    #[error("the daemon closed the connection")]
    Closed,
    #[error("{0}")]
    Protocol(String),
    /// The daemon understood the request and refused it.
    #[error("shim6d: {0}")]
    Refused(String),
}

pub struct ControlClient {
    reader: BufReader<UnixStream>,
    writer: UnixStream,
}

impl ControlClient {
    pub fn connect(path: &Path) -> Result<Self, ClientError> {
        let stream = UnixStream::connect(path)?;
        let writer = stream.try_clone()?;
        Ok(ControlClient {
            reader: BufReader::new(stream),
            writer,
        })
    }

    /// Read timeout for replies and events (`None`: wait forever).
    pub fn set_timeout(&self, timeout: Option<Duration>) -> Result<(), ClientError> {
        self.reader.get_ref().set_read_timeout(timeout)?;
        Ok(())
    }

    /// Sends one request and waits for its reply. An `error` reply comes
    /// back as [`ClientError::Refused`].
    pub fn request(&mut self, request: &Request) -> Result<Reply, ClientError> {
        self.writer.write_all(&encode_line(request))?;
        match self.read_reply()? {
            Reply::Error { message } => Err(ClientError::Refused(message)),
            reply => Ok(reply),
        }
    }

    /// Switches this connection to event streaming.
    pub fn monitor(mut self) -> Result<EventStream, ClientError> {
        match self.request(&Request::Monitor)? {
            Reply::Monitoring => Ok(EventStream { client: self }),
            other => Err(ClientError::Protocol(format!(
                "expected monitoring, got {other:?}"
            ))),
        }
    }

    fn read_reply(&mut self) -> Result<Reply, ClientError> {
        let mut line = Vec::new();
        let read = self.reader.read_until(b'\n', &mut line)?;
        if read == 0 {
            return Err(ClientError::Closed);
        }
        let line = line.strip_suffix(b"\n").unwrap_or(&line);
        decode_reply(line).map_err(ClientError::Protocol)
    }
}

/// Events of a `monitor` connection, in order.
pub struct EventStream {
    client: ControlClient,
}

impl EventStream {
    pub fn set_timeout(&self, timeout: Option<Duration>) -> Result<(), ClientError> {
        self.client.set_timeout(timeout)
    }

    pub fn next_event(&mut self) -> Result<Event, ClientError> {
        match self.client.read_reply()? {
            Reply::Event { event } => Ok(event),
            other => Err(ClientError::Protocol(format!(
                "expected an event, got {other:?}"
            ))),
        }
    }
}
