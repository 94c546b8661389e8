//! Shim6 payload extension header (RFC 5533 §5.2): 8 octets, P = 1, the
//! receiver's 47-bit context tag, no checksum.

use super::{ContextTag, Error};

/// Length of the payload extension header; Hdr Ext Len is always 0.
pub const PAYLOAD_HEADER_LEN: usize = 8;

const P_BIT: u8 = 0x80;

/// Zero-copy view of a payload extension header and whatever follows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayloadHeader<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> PayloadHeader<T> {
    /// Wraps without checking; accessors may panic on a short buffer.
    /// Use `new_checked` for bytes from the network.
    pub const fn new_unchecked(buffer: T) -> PayloadHeader<T> {
        PayloadHeader { buffer }
    }

    /// Wraps after `check_len`.
    pub fn new_checked(buffer: T) -> Result<PayloadHeader<T>, Error> {
        let header = PayloadHeader::new_unchecked(buffer);
        header.check_len()?;
        Ok(header)
    }

    /// Ensures the 8 fixed octets are present, so no accessor can index out
    /// of bounds.
    pub fn check_len(&self) -> Result<(), Error> {
        if self.buffer.as_ref().len() < PAYLOAD_HEADER_LEN {
            Err(Error::Truncated)
        } else {
            Ok(())
        }
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    pub fn next_header(&self) -> u8 {
        self.buffer.as_ref()[0]
    }

    pub fn hdr_ext_len(&self) -> u8 {
        self.buffer.as_ref()[1]
    }

    /// True for a payload header (P = 1).
    pub fn p_bit(&self) -> bool {
        self.buffer.as_ref()[2] & P_BIT != 0
    }

    pub fn context_tag(&self) -> ContextTag {
        let b = self.buffer.as_ref();
        ContextTag::from_wire([b[2], b[3], b[4], b[5], b[6], b[7]])
    }

    /// Octets after the 8-octet header (the upper-layer packet).
    pub fn payload(&self) -> &[u8] {
        &self.buffer.as_ref()[PAYLOAD_HEADER_LEN..]
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> PayloadHeader<T> {
    pub fn set_next_header(&mut self, value: u8) {
        self.buffer.as_mut()[0] = value;
    }

    pub fn set_hdr_ext_len(&mut self, value: u8) {
        self.buffer.as_mut()[1] = value;
    }

    pub fn set_p_bit(&mut self, payload: bool) {
        let b = &mut self.buffer.as_mut()[2];
        *b = if payload { *b | P_BIT } else { *b & !P_BIT };
    }

    /// Writes the tag and leaves the P bit as it was.
    pub fn set_context_tag(&mut self, tag: ContextTag) {
        let wire = tag.to_wire();
        let b = self.buffer.as_mut();
        b[2] = (b[2] & P_BIT) | wire[0];
        b[3..8].copy_from_slice(&wire[1..]);
    }

    pub fn payload_mut(&mut self) -> &mut [u8] {
        &mut self.buffer.as_mut()[PAYLOAD_HEADER_LEN..]
    }
}

/// Owned form of the payload extension header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PayloadRepr {
    /// Protocol of the header that follows (e.g. 6 for TCP).
    pub next_header: u8,
    /// The tag the receiver allocated, i.e. CT(peer) from the sender's view.
    pub context_tag: ContextTag,
}

impl PayloadRepr {
    /// Parses the first 8 octets of `bytes`; anything after is the upper
    /// layer and is not looked at.
    pub fn parse(bytes: &[u8]) -> Result<PayloadRepr, Error> {
        let header = PayloadHeader::new_checked(bytes)?;
        if !header.p_bit() {
            return Err(Error::NotPayload);
        }
        if header.hdr_ext_len() != 0 {
            return Err(Error::BadHdrExtLen);
        }
        Ok(PayloadRepr {
            next_header: header.next_header(),
            context_tag: header.context_tag(),
        })
    }

    pub const fn buffer_len(&self) -> usize {
        PAYLOAD_HEADER_LEN
    }

    /// Writes the 8 octets at the start of `buf`.
    pub fn emit(&self, buf: &mut [u8]) -> Result<(), Error> {
        let out = buf
            .get_mut(..PAYLOAD_HEADER_LEN)
            .ok_or(Error::BufferTooSmall)?;
        let mut header = PayloadHeader::new_unchecked(out);
        header.set_next_header(self.next_header);
        header.set_hdr_ext_len(0);
        header.set_context_tag(self.context_tag);
        header.set_p_bit(true);
        Ok(())
    }

    pub fn to_bytes(&self) -> [u8; PAYLOAD_HEADER_LEN] {
        let mut out = [0u8; PAYLOAD_HEADER_LEN];
        let wire = self.context_tag.to_wire();
        out[0] = self.next_header;
        out[2] = wire[0] | P_BIT;
        out[3..].copy_from_slice(&wire[1..]);
        out
    }
}
