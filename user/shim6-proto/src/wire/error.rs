//! Errors returned by the Shim6 codec.

use core::fmt;

/// Why a buffer could not be parsed or a representation could not be emitted.
///
/// Offsets are counted from the first octet of the Shim6 header (its Next
/// Header field); add the length of the preceding IPv6 headers to build the
/// Pointer of an Error message (RFC 5533 §5.14).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Error {
    /// The buffer ends before the fixed part of the header does.
    Truncated,
    /// Hdr Ext Len points past the end of the buffer, or is too small (or,
    /// for the payload header, non-zero) for the message type.
    BadHdrExtLen,
    /// Expected a control message, found a payload extension header (P = 1).
    NotControl,
    /// Expected a payload extension header, found a control message (P = 0).
    NotPayload,
    /// The S bit is set: the header is a HIP message, not Shim6.
    NotShim6,
    /// The checksum over the control header does not verify.
    BadChecksum,
    /// The message type is not known; answer with Error code 0 pointing at
    /// octet 2 (the Type field).
    UnknownMessageType(u8),
    /// An option's Length is inconsistent with its type or runs past the end
    /// of the header.
    BadOptionLength { option_type: u16, offset: usize },
    /// An option with the C bit set is unknown or not allowed in this message;
    /// answer with Error code 1 whose Pointer is `offset` (start of the
    /// option's Type field).
    UnknownCriticalOption { option_type: u16, offset: usize },
    /// A known option appears twice in one message.
    DuplicateOption { option_type: u16, offset: usize },
    /// A field has a value the protocol does not allow (for example a Probe
    /// with Sta = 3 or Psent = 0).
    InvalidField(&'static str),
    /// The representation cannot be encoded (a length or count overflows its
    /// field, or the message exceeds the largest Shim6 header).
    TooLong,
    /// The output buffer given to `emit` is smaller than `buffer_len()`.
    BufferTooSmall,
}

impl Error {
    /// For errors the receiver must answer with a Shim6 Error message
    /// (RFC 5533 §5.14): the Error Code and the Pointer, counted from the
    /// start of the Shim6 header. `None` for errors that are silently
    /// dropped.
    pub fn error_reply(&self) -> Option<(u8, usize)> {
        // Octet 2 holds the message Type.
        const TYPE_OCTET: usize = 2;
        match *self {
            Error::UnknownMessageType(_) => Some((0, TYPE_OCTET)),
            Error::UnknownCriticalOption { offset, .. } => Some((1, offset)),
            _ => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Truncated => write!(f, "truncated Shim6 header"),
            Error::BadHdrExtLen => write!(f, "bad Shim6 Hdr Ext Len"),
            Error::NotControl => write!(
                f,
                "payload extension header where a control message was expected"
            ),
            Error::NotPayload => write!(
                f,
                "control message where a payload extension header was expected"
            ),
            Error::NotShim6 => write!(f, "S bit set: HIP message, not Shim6"),
            Error::BadChecksum => write!(f, "bad Shim6 checksum"),
            Error::UnknownMessageType(t) => write!(f, "unknown Shim6 message type {t}"),
            Error::BadOptionLength {
                option_type,
                offset,
            } => {
                write!(
                    f,
                    "bad length of option type {option_type} at offset {offset}"
                )
            }
            Error::UnknownCriticalOption {
                option_type,
                offset,
            } => {
                write!(
                    f,
                    "unknown critical option type {option_type} at offset {offset}"
                )
            }
            Error::DuplicateOption {
                option_type,
                offset,
            } => {
                write!(f, "duplicate option type {option_type} at offset {offset}")
            }
            Error::InvalidField(what) => write!(f, "invalid field: {what}"),
            Error::TooLong => write!(f, "message too long to encode"),
            Error::BufferTooSmall => write!(f, "output buffer too small"),
        }
    }
}

impl std::error::Error for Error {}
