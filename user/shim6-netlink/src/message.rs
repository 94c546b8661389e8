//! Netlink messages: the `nlmsghdr` and `genlmsghdr` headers and a
//! zero-copy iterator over the messages of one datagram.

use crate::attr::{align4, Attrs};
use crate::error::ParseError;

/// Size of `struct nlmsghdr`.
pub const NLMSG_HDRLEN: usize = 16;
/// Size of `struct genlmsghdr`.
pub const GENL_HDRLEN: usize = 4;

/// Control message types (`NLMSG_*`).
pub const NLMSG_NOOP: u16 = 1;
pub const NLMSG_ERROR: u16 = 2;
pub const NLMSG_DONE: u16 = 3;
pub const NLMSG_OVERRUN: u16 = 4;
/// Types below this are control messages; family ids start here.
pub const NLMSG_MIN_TYPE: u16 = 0x10;

/// Flags (`NLM_F_*`).
pub const NLM_F_REQUEST: u16 = 0x01;
pub const NLM_F_MULTI: u16 = 0x02;
pub const NLM_F_ACK: u16 = 0x04;
pub const NLM_F_DUMP_INTR: u16 = 0x10;
pub const NLM_F_DUMP: u16 = 0x300;
/// On `NLMSG_ERROR`: only the header of the request is echoed.
pub const NLM_F_CAPPED: u16 = 0x100;
/// On `NLMSG_ERROR`: extended ack attributes follow.
pub const NLM_F_ACK_TLVS: u16 = 0x200;

/// `struct nlmsghdr`, in host byte order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NlMsgHeader {
    /// Length of the message, header included, padding excluded.
    pub len: u32,
    /// `NLMSG_*` or, for generic netlink, the family id.
    pub kind: u16,
    pub flags: u16,
    pub seq: u32,
    /// The sender's port id (0 for the kernel) or, in replies, ours.
    pub port: u32,
}

impl NlMsgHeader {
    /// Decodes the header at the start of `bytes`.
    pub fn parse(bytes: &[u8]) -> Result<Self, ParseError> {
        let Some((h, _)) = bytes.split_first_chunk::<NLMSG_HDRLEN>() else {
            return Err(ParseError::Truncated {
                what: "netlink header",
                need: NLMSG_HDRLEN,
                have: bytes.len(),
            });
        };
        Ok(NlMsgHeader {
            len: u32::from_ne_bytes([h[0], h[1], h[2], h[3]]),
            kind: u16::from_ne_bytes([h[4], h[5]]),
            flags: u16::from_ne_bytes([h[6], h[7]]),
            seq: u32::from_ne_bytes([h[8], h[9], h[10], h[11]]),
            port: u32::from_ne_bytes([h[12], h[13], h[14], h[15]]),
        })
    }

    /// Encodes the header.
    pub fn to_bytes(&self) -> [u8; NLMSG_HDRLEN] {
        let mut out = [0; NLMSG_HDRLEN];
        out[0..4].copy_from_slice(&self.len.to_ne_bytes());
        out[4..6].copy_from_slice(&self.kind.to_ne_bytes());
        out[6..8].copy_from_slice(&self.flags.to_ne_bytes());
        out[8..12].copy_from_slice(&self.seq.to_ne_bytes());
        out[12..16].copy_from_slice(&self.port.to_ne_bytes());
        out
    }
}

/// One message of a datagram: its header and payload (header excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawMessage<'a> {
    pub header: NlMsgHeader,
    pub payload: &'a [u8],
}

/// Iterator over the messages of one datagram.  Like [`Attrs`], it yields
/// one `Err` and stops on malformed input.
#[derive(Debug, Clone)]
pub struct Messages<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Messages<'a> {
    pub fn new(datagram: &'a [u8]) -> Self {
        Messages {
            rest: datagram,
            failed: false,
        }
    }
}

impl<'a> Iterator for Messages<'a> {
    type Item = Result<RawMessage<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        let have = self.rest.len();
        let result = NlMsgHeader::parse(self.rest).and_then(|header| {
            let len = usize::try_from(header.len).unwrap_or(usize::MAX);
            if len < NLMSG_HDRLEN {
                return Err(ParseError::BadLength {
                    what: "netlink message",
                    len,
                });
            }
            if len > have {
                return Err(ParseError::Truncated {
                    what: "netlink message",
                    need: len,
                    have,
                });
            }
            Ok((header, len))
        });
        match result {
            Ok((header, len)) => {
                let payload = &self.rest[NLMSG_HDRLEN..len];
                self.rest = &self.rest[align4(len).min(have)..];
                Some(Ok(RawMessage { header, payload }))
            }
            Err(error) => {
                self.failed = true;
                Some(Err(error))
            }
        }
    }
}

impl std::iter::FusedIterator for Messages<'_> {}

/// `struct genlmsghdr`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenlHeader {
    pub cmd: u8,
    pub version: u8,
}

impl GenlHeader {
    pub fn to_bytes(&self) -> [u8; GENL_HDRLEN] {
        [self.cmd, self.version, 0, 0]
    }
}

/// A generic netlink message borrowed from a datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GenlMessage<'a> {
    pub header: NlMsgHeader,
    pub genl: GenlHeader,
    /// The attributes, still encoded.
    pub attr_bytes: &'a [u8],
}

impl<'a> GenlMessage<'a> {
    /// Splits the generic netlink header off a message's payload.
    pub fn parse(message: RawMessage<'a>) -> Result<Self, ParseError> {
        let Some((genl, attr_bytes)) = message.payload.split_first_chunk::<GENL_HDRLEN>() else {
            return Err(ParseError::Truncated {
                what: "generic netlink header",
                need: GENL_HDRLEN,
                have: message.payload.len(),
            });
        };
        Ok(GenlMessage {
            header: message.header,
            genl: GenlHeader {
                cmd: genl[0],
                version: genl[1],
            },
            attr_bytes,
        })
    }

    pub fn attrs(&self) -> Attrs<'a> {
        Attrs::new(self.attr_bytes)
    }

    pub fn to_owned(&self) -> OwnedGenlMessage {
        OwnedGenlMessage {
            header: self.header,
            genl: self.genl,
            attr_bytes: self.attr_bytes.to_vec(),
        }
    }
}

/// A generic netlink message that outlives its receive buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedGenlMessage {
    pub header: NlMsgHeader,
    pub genl: GenlHeader,
    pub attr_bytes: Vec<u8>,
}

impl OwnedGenlMessage {
    pub fn attrs(&self) -> Attrs<'_> {
        Attrs::new(&self.attr_bytes)
    }
}
