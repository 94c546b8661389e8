//! Netlink attributes (`struct nlattr`): a zero-copy iterator over a run of
//! attributes and typed accessors for one attribute's payload.
//!
//! Layout (`include/uapi/linux/netlink.h`): a 4-octet header — `nla_len`
//! (u16, header included, padding excluded) and `nla_type` (u16, the top two
//! bits being flags) — then the payload, then padding to 4 octets.  All
//! integers are in host byte order unless `NLA_F_NET_BYTEORDER` is set.

use std::net::Ipv6Addr;

use crate::error::ParseError;

/// Size of `struct nlattr`.
pub const NLA_HDRLEN: usize = 4;
/// The payload is itself a run of attributes.
pub const NLA_F_NESTED: u16 = 1 << 15;
/// The payload integer is in network byte order.
pub const NLA_F_NET_BYTEORDER: u16 = 1 << 14;
/// The bits of `nla_type` that hold the attribute type.
pub const NLA_TYPE_MASK: u16 = !(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

/// Rounds `len` up to the 4-octet netlink alignment.
pub const fn align4(len: usize) -> usize {
    len.saturating_add(3) & !3
}

/// One attribute, borrowed from the message it came in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attr<'a> {
    kind: u16,
    flags: u16,
    payload: &'a [u8],
}

impl<'a> Attr<'a> {
    /// The attribute type, without the flag bits.
    pub fn kind(&self) -> u16 {
        self.kind
    }

    /// Whether the sender flagged the payload as nested attributes.  Not
    /// every kernel nest sets it (`nla_nest_start_noflag`), so
    /// [`Attr::nested`] does not require it.
    pub fn is_nested(&self) -> bool {
        self.flags & NLA_F_NESTED != 0
    }

    /// Whether the payload integer is in network byte order.
    pub fn is_net_byteorder(&self) -> bool {
        self.flags & NLA_F_NET_BYTEORDER != 0
    }

    /// The payload, padding excluded.
    pub fn payload(&self) -> &'a [u8] {
        self.payload
    }

    fn exact<const N: usize>(&self) -> Result<[u8; N], ParseError> {
        self.payload
            .try_into()
            .map_err(|_| ParseError::BadPayloadLength {
                kind: self.kind,
                expected: N,
                got: self.payload.len(),
            })
    }

    pub fn u8(&self) -> Result<u8, ParseError> {
        self.exact::<1>().map(|b| b[0])
    }

    pub fn u16(&self) -> Result<u16, ParseError> {
        let bytes = self.exact::<2>()?;
        Ok(if self.is_net_byteorder() {
            u16::from_be_bytes(bytes)
        } else {
            u16::from_ne_bytes(bytes)
        })
    }

    pub fn u32(&self) -> Result<u32, ParseError> {
        let bytes = self.exact::<4>()?;
        Ok(if self.is_net_byteorder() {
            u32::from_be_bytes(bytes)
        } else {
            u32::from_ne_bytes(bytes)
        })
    }

    pub fn u64(&self) -> Result<u64, ParseError> {
        let bytes = self.exact::<8>()?;
        Ok(if self.is_net_byteorder() {
            u64::from_be_bytes(bytes)
        } else {
            u64::from_ne_bytes(bytes)
        })
    }

    /// An IPv6 address: exactly 16 octets, in network byte order as
    /// addresses always are.
    pub fn ipv6(&self) -> Result<Ipv6Addr, ParseError> {
        self.exact::<16>().map(Ipv6Addr::from)
    }

    /// A NUL-terminated string (`NLA_NUL_STRING`, `nla_put_string`): the
    /// text up to the first NUL, which must exist.
    pub fn str(&self) -> Result<&'a str, ParseError> {
        let end = self
            .payload
            .iter()
            .position(|&b| b == 0)
            .ok_or(ParseError::NotNulTerminated { kind: self.kind })?;
        std::str::from_utf8(&self.payload[..end])
            .map_err(|_| ParseError::NotUtf8 { kind: self.kind })
    }

    /// The payload read as a run of attributes.
    pub fn nested(&self) -> Attrs<'a> {
        Attrs::new(self.payload)
    }
}

/// Iterator over a run of attributes.
///
/// Yields `Err` once and then stops if the run is malformed: a header that
/// does not fit, a length shorter than the header or longer than what is
/// left, or 1–3 stray octets at the end.  The padding of the last attribute
/// may be missing, as the kernel's `nla_ok` allows.
#[derive(Debug, Clone)]
pub struct Attrs<'a> {
    rest: &'a [u8],
    failed: bool,
}

impl<'a> Attrs<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        Attrs {
            rest: bytes,
            failed: false,
        }
    }

    fn fail(&mut self, error: ParseError) -> Option<Result<Attr<'a>, ParseError>> {
        self.failed = true;
        Some(Err(error))
    }
}

impl<'a> Iterator for Attrs<'a> {
    type Item = Result<Attr<'a>, ParseError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.failed || self.rest.is_empty() {
            return None;
        }
        let have = self.rest.len();
        let Some((header, _)) = self.rest.split_first_chunk::<NLA_HDRLEN>() else {
            return self.fail(ParseError::TrailingBytes {
                what: "attribute run",
                len: have,
            });
        };
        let len = usize::from(u16::from_ne_bytes([header[0], header[1]]));
        let raw_type = u16::from_ne_bytes([header[2], header[3]]);
        if len < NLA_HDRLEN {
            return self.fail(ParseError::BadLength {
                what: "attribute",
                len,
            });
        }
        if len > have {
            return self.fail(ParseError::Truncated {
                what: "attribute",
                need: len,
                have,
            });
        }
        let payload = &self.rest[NLA_HDRLEN..len];
        self.rest = &self.rest[align4(len).min(have)..];
        Some(Ok(Attr {
            kind: raw_type & NLA_TYPE_MASK,
            flags: raw_type & !NLA_TYPE_MASK,
            payload,
        }))
    }
}

impl std::iter::FusedIterator for Attrs<'_> {}
