//! Building generic netlink requests: `nlmsghdr`, `genlmsghdr`, then
//! attributes, nests included.
//!
//! ```
//! use shim6_netlink::builder::MessageBuilder;
//! let mut request = MessageBuilder::new(0x10, 3, 2);
//! request.put_str(2, "shim6");
//! let bytes = request.finish(7).unwrap();
//! assert_eq!(bytes.len(), 16 + 4 + 4 + 8);
//! ```

use std::net::Ipv6Addr;

use crate::attr::{align4, NLA_F_NESTED, NLA_HDRLEN, NLA_TYPE_MASK};
use crate::error::BuildError;
use crate::message::{GenlHeader, NlMsgHeader, NLMSG_HDRLEN, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST};

/// A request under construction.  Encoding problems (an attribute too long
/// for `nla_len`, nests closed out of order) are remembered and reported by
/// [`MessageBuilder::finish`], so building reads as a plain sequence of puts.
#[derive(Debug, Clone)]
pub struct MessageBuilder {
    buf: Vec<u8>,
    kind: u16,
    flags: u16,
    open_nests: usize,
    error: Option<BuildError>,
}

/// An attribute nest opened by [`MessageBuilder::nest_start`]; hand it
/// back to [`MessageBuilder::nest_end`].
#[must_use = "a nest must be closed with nest_end"]
#[derive(Debug)]
pub struct Nest {
    offset: usize,
    depth: usize,
}

impl MessageBuilder {
    /// A request (`NLM_F_REQUEST | NLM_F_ACK`) for command `cmd` of the
    /// family with id `family`.
    pub fn new(family: u16, cmd: u8, version: u8) -> Self {
        let mut buf = Vec::with_capacity(64);
        buf.extend_from_slice(&[0; NLMSG_HDRLEN]);
        buf.extend_from_slice(&GenlHeader { cmd, version }.to_bytes());
        MessageBuilder {
            buf,
            kind: family,
            flags: NLM_F_REQUEST | NLM_F_ACK,
            open_nests: 0,
            error: None,
        }
    }

    /// Makes the request a dump (`NLM_F_DUMP`): answered by a series of
    /// messages and `NLMSG_DONE` instead of an ack.
    pub fn dump(&mut self) -> &mut Self {
        self.flags = (self.flags | NLM_F_DUMP) & !NLM_F_ACK;
        self
    }

    /// Whether [`MessageBuilder::dump`] was called.
    pub fn is_dump(&self) -> bool {
        self.flags & NLM_F_DUMP == NLM_F_DUMP
    }

    fn record(&mut self, error: BuildError) {
        self.error.get_or_insert(error);
    }

    fn pad(&mut self) {
        self.buf.resize(align4(self.buf.len()), 0);
    }

    /// Appends an attribute with a raw payload.
    pub fn put_bytes(&mut self, kind: u16, payload: &[u8]) -> &mut Self {
        let len = NLA_HDRLEN + payload.len();
        let Ok(nla_len) = u16::try_from(len) else {
            self.record(BuildError::AttributeTooLong { kind, len });
            return self;
        };
        self.buf.extend_from_slice(&nla_len.to_ne_bytes());
        self.buf.extend_from_slice(&kind.to_ne_bytes());
        self.buf.extend_from_slice(payload);
        self.pad();
        self
    }

    pub fn put_u8(&mut self, kind: u16, value: u8) -> &mut Self {
        self.put_bytes(kind, &[value])
    }

    pub fn put_u16(&mut self, kind: u16, value: u16) -> &mut Self {
        self.put_bytes(kind, &value.to_ne_bytes())
    }

    pub fn put_u32(&mut self, kind: u16, value: u32) -> &mut Self {
        self.put_bytes(kind, &value.to_ne_bytes())
    }

    /// A u64 without alignment padding: the kernel reads request
    /// attributes with unaligned loads.
    pub fn put_u64(&mut self, kind: u16, value: u64) -> &mut Self {
        self.put_bytes(kind, &value.to_ne_bytes())
    }

    /// An IPv6 address: 16 octets, network byte order.
    pub fn put_ipv6(&mut self, kind: u16, address: &Ipv6Addr) -> &mut Self {
        self.put_bytes(kind, &address.octets())
    }

    /// A nest `kind` holding one `entry` attribute per address, in order.
    pub fn put_ipv6_list(&mut self, kind: u16, entry: u16, addresses: &[Ipv6Addr]) -> &mut Self {
        let nest = self.nest_start(kind);
        for address in addresses {
            self.put_ipv6(entry, address);
        }
        self.nest_end(nest)
    }

    /// A NUL-terminated string (`NLA_NUL_STRING`).
    pub fn put_str(&mut self, kind: u16, value: &str) -> &mut Self {
        let mut payload = Vec::with_capacity(value.len() + 1);
        payload.extend_from_slice(value.as_bytes());
        payload.push(0);
        self.put_bytes(kind, &payload)
    }

    /// A flag: an attribute with no payload.
    pub fn put_flag(&mut self, kind: u16) -> &mut Self {
        self.put_bytes(kind, &[])
    }

    /// Opens a nest (`NLA_F_NESTED` set); attributes put until the matching
    /// [`MessageBuilder::nest_end`] go inside it.
    pub fn nest_start(&mut self, kind: u16) -> Nest {
        let offset = self.buf.len();
        self.buf.extend_from_slice(&0u16.to_ne_bytes());
        self.buf
            .extend_from_slice(&(kind | NLA_F_NESTED).to_ne_bytes());
        self.open_nests += 1;
        Nest {
            offset,
            depth: self.open_nests,
        }
    }

    /// Closes a nest, writing its length.
    pub fn nest_end(&mut self, nest: Nest) -> &mut Self {
        if nest.depth != self.open_nests {
            self.record(BuildError::NestOrder);
            return self;
        }
        self.open_nests -= 1;
        let len = self.buf.len() - nest.offset;
        match u16::try_from(len) {
            Ok(nla_len) => {
                self.buf[nest.offset..nest.offset + 2].copy_from_slice(&nla_len.to_ne_bytes())
            }
            Err(_) => {
                let raw_type =
                    u16::from_ne_bytes([self.buf[nest.offset + 2], self.buf[nest.offset + 3]]);
                let kind = raw_type & NLA_TYPE_MASK;
                self.record(BuildError::AttributeTooLong { kind, len });
            }
        }
        self
    }

    /// The encoded message, with sequence number `seq` (the port id is left
    /// 0: the kernel fills it in).
    pub fn finish(mut self, seq: u32) -> Result<Vec<u8>, BuildError> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        if self.open_nests != 0 {
            return Err(BuildError::UnclosedNest {
                open: self.open_nests,
            });
        }
        let len = u32::try_from(self.buf.len()).map_err(|_| BuildError::MessageTooLong {
            len: self.buf.len(),
        })?;
        let header = NlMsgHeader {
            len,
            kind: self.kind,
            flags: self.flags,
            seq,
            port: 0,
        };
        self.buf[..NLMSG_HDRLEN].copy_from_slice(&header.to_bytes());
        Ok(self.buf)
    }
}
