//! Why a command failed after its arguments were accepted: exit status 1.

use std::fmt;
use std::io;

#[derive(Debug)]
pub enum Failure {
    /// The module is missing, refused the request (errno text and extended
    /// ack message), or answered something unreadable.
    Netlink(shim6_netlink::Error),
    /// Standard output could not be written.
    Output(io::Error),
    /// `monitor --count N --timeout S` saw fewer than N events in time.
    TooFewEvents { seen: u64, wanted: u64 },
    /// shim6d is not running on that socket, refused the request, or
    /// answered something unreadable.
    Daemon {
        socket: String,
        error: shim6d::control::client::ClientError,
    },
    /// `--batch FILE` could not be read.
    BatchFile { path: String, error: io::Error },
    /// A line of the batch is no command (exit status 2; nothing ran).
    BatchUsage(crate::batch::BatchUsageError),
    /// The command of a batch line failed; the lines before it ran.
    BatchLine { line: usize, failure: Box<Failure> },
}

impl From<shim6_netlink::Error> for Failure {
    fn from(error: shim6_netlink::Error) -> Self {
        Failure::Netlink(error)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::Netlink(error) => write!(f, "{error}"),
            Failure::Output(error) => write!(f, "cannot write output: {error}"),
            Failure::TooFewEvents { seen, wanted } => {
                write!(f, "timed out after {seen} of {wanted} events")
            }
            Failure::Daemon {
                error: shim6d::control::client::ClientError::Refused(message),
                ..
            } => {
                write!(f, "shim6d refused: {message}")
            }
            Failure::Daemon { socket, error } => write!(f, "shim6d at {socket}: {error}"),
            Failure::BatchFile { path, error } => write!(f, "cannot read batch {path}: {error}"),
            Failure::BatchUsage(error) => write!(f, "{error}"),
            Failure::BatchLine { line, failure } => write!(f, "line {line}: {failure}"),
        }
    }
}
