//! Errors: what went wrong decoding a message, building one, or talking to
//! the kernel.

use std::fmt;
use std::io;

/// A message (or part of one) that does not decode.  Everything the kernel
/// sends goes through the parsers, so malformed input ends up here and
/// never in a panic.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    #[error("{what} truncated: needs {need} octets, {have} left")]
    Truncated {
        what: &'static str,
        need: usize,
        have: usize,
    },
    #[error("{what} has an impossible length of {len} octets")]
    BadLength { what: &'static str, len: usize },
    #[error("{what}: {len} stray octets after the last element")]
    TrailingBytes { what: &'static str, len: usize },
    #[error("attribute {kind}: payload is {got} octets, expected {expected}")]
    BadPayloadLength {
        kind: u16,
        expected: usize,
        got: usize,
    },
    #[error("attribute {kind}: string is not NUL-terminated")]
    NotNulTerminated { kind: u16 },
    #[error("attribute {kind}: string is not valid UTF-8")]
    NotUtf8 { kind: u16 },
    #[error("{context}: attribute {name} missing")]
    MissingAttribute {
        context: &'static str,
        name: &'static str,
    },
    #[error("error message carries an invalid error code {code}")]
    BadErrorCode { code: i32 },
    #[error("expected a reply to command {expected}, got command {got}")]
    UnexpectedCommand { expected: u8, got: u8 },
    #[error("expected {expected} reply message(s), got {got}")]
    UnexpectedReplyCount { expected: usize, got: usize },
}

/// A request that cannot be encoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    #[error("attribute {kind} is {len} octets long, more than a netlink attribute holds")]
    AttributeTooLong { kind: u16, len: usize },
    #[error("message is {len} octets long, more than a netlink message holds")]
    MessageTooLong { len: usize },
    #[error("attribute nests closed out of order")]
    NestOrder,
    #[error("{open} attribute nest(s) left open")]
    UnclosedNest { open: usize },
}

/// An `NLMSG_ERROR` with a non-zero code: the kernel refused a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KernelError {
    /// The positive errno (`EINVAL`, `EPERM`, ...).
    pub errno: i32,
    /// The extended ack message (`NLMSGERR_ATTR_MSG`), if the kernel set one.
    pub message: Option<String>,
    /// Offset of the offending attribute in the request
    /// (`NLMSGERR_ATTR_OFFS`), if the kernel reported one.
    pub offset: Option<u32>,
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let description = io::Error::from_raw_os_error(self.errno);
        write!(f, "kernel: {description}")?;
        if let Some(message) = &self.message {
            write!(f, ": {message}")?;
        }
        Ok(())
    }
}

impl std::error::Error for KernelError {}

/// Everything [`Client`](crate::Client) and friends can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("shim6 kernel module not loaded (generic netlink family 'shim6' not found)")]
    ModuleNotLoaded,
    #[error("generic netlink family '{0}' not found")]
    FamilyNotFound(String),
    #[error("generic netlink family '{family}' has no multicast group '{group}'")]
    GroupNotFound { family: String, group: String },
    #[error(transparent)]
    Kernel(#[from] KernelError),
    #[error("netlink socket: {context}: {source}")]
    Io {
        context: &'static str,
        source: io::Error,
    },
    #[error("timed out waiting for the kernel's reply")]
    Timeout,
    #[error("the kernel dropped messages (receive buffer overrun)")]
    Overrun,
    #[error("malformed netlink message from the kernel: {0}")]
    Malformed(#[from] ParseError),
    #[error("cannot build the request: {0}")]
    Build(#[from] BuildError),
}

impl Error {
    /// The errno of a kernel refusal, if that is what this is.
    pub fn errno(&self) -> Option<i32> {
        match self {
            Error::Kernel(e) => Some(e.errno),
            _ => None,
        }
    }
}

/// Shorthand for results of this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
