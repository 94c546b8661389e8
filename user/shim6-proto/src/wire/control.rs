//! Zero-copy view of the common Shim6 control header (RFC 5533 §5.3) and of
//! the fixed fields that follow it.

use super::checksum::ones_complement_sum;
use super::{internet_checksum, ContextTag, Error};

/// Octets 0..8: Next Header, Hdr Ext Len, P|Type, Type-specific|S,
/// Checksum, and two octets that belong to the message body.
pub const CONTROL_HEADER_LEN: usize = 8;

mod field {
    pub const NEXT_HEADER: usize = 0;
    pub const HDR_EXT_LEN: usize = 1;
    pub const TYPE: usize = 2;
    pub const TYPE_SPECIFIC: usize = 3;
    pub const CHECKSUM: usize = 4;
}

const P_BIT: u8 = 0x80;
const S_BIT: u8 = 0x01;

/// View over a control message. `check_len` guarantees that the whole
/// header announced by Hdr Ext Len is inside the buffer, so the accessors
/// below (which only touch that header) cannot index out of bounds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ControlPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> ControlPacket<T> {
    pub const fn new_unchecked(buffer: T) -> ControlPacket<T> {
        ControlPacket { buffer }
    }

    pub fn new_checked(buffer: T) -> Result<ControlPacket<T>, Error> {
        let packet = ControlPacket::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    /// The fixed 8 octets must be there, and so must the full length that
    /// Hdr Ext Len announces.
    pub fn check_len(&self) -> Result<(), Error> {
        let len = self.buffer.as_ref().len();
        if len < CONTROL_HEADER_LEN {
            return Err(Error::Truncated);
        }
        if len < self.header_len() {
            return Err(Error::BadHdrExtLen);
        }
        Ok(())
    }

    pub fn into_inner(self) -> T {
        self.buffer
    }

    pub fn next_header(&self) -> u8 {
        self.buffer.as_ref()[field::NEXT_HEADER]
    }

    pub fn hdr_ext_len(&self) -> u8 {
        self.buffer.as_ref()[field::HDR_EXT_LEN]
    }

    /// Length of the whole Shim6 header in octets: (Hdr Ext Len + 1) · 8.
    pub fn header_len(&self) -> usize {
        (usize::from(self.hdr_ext_len()) + 1) * 8
    }

    /// False for a control message.
    pub fn p_bit(&self) -> bool {
        self.buffer.as_ref()[field::TYPE] & P_BIT != 0
    }

    pub fn msg_type(&self) -> u8 {
        self.buffer.as_ref()[field::TYPE] & !P_BIT
    }

    /// The 7 type-specific bits of octet 3 (Reserved1, or the Error Code).
    pub fn type_specific(&self) -> u8 {
        self.buffer.as_ref()[field::TYPE_SPECIFIC] >> 1
    }

    /// True for HIP, false for Shim6.
    pub fn s_bit(&self) -> bool {
        self.buffer.as_ref()[field::TYPE_SPECIFIC] & S_BIT != 0
    }

    pub fn checksum(&self) -> u16 {
        let b = self.buffer.as_ref();
        u16::from_be_bytes([b[field::CHECKSUM], b[field::CHECKSUM + 1]])
    }

    /// The Shim6 header as announced by Hdr Ext Len (covered by the checksum).
    pub fn header(&self) -> &[u8] {
        &self.buffer.as_ref()[..self.header_len()]
    }

    /// True when the Internet checksum over the header (no pseudo-header)
    /// verifies.
    pub fn verify_checksum(&self) -> bool {
        ones_complement_sum(self.header()) == 0xffff
    }

    /// A 47-bit tag whose 6 octets start at `offset` (the top bit is the
    /// reserved R bit). Returns `Truncated` if it does not fit the header.
    pub fn context_tag_at(&self, offset: usize) -> Result<ContextTag, Error> {
        super::field::array::<6>(self.header(), offset).map(ContextTag::from_wire)
    }

    pub fn u32_at(&self, offset: usize) -> Result<u32, Error> {
        super::field::u32_at(self.header(), offset)
    }

    pub fn u16_at(&self, offset: usize) -> Result<u16, Error> {
        super::field::u16_at(self.header(), offset)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> ControlPacket<T> {
    pub fn set_next_header(&mut self, value: u8) {
        self.buffer.as_mut()[field::NEXT_HEADER] = value;
    }

    pub fn set_hdr_ext_len(&mut self, value: u8) {
        self.buffer.as_mut()[field::HDR_EXT_LEN] = value;
    }

    /// Writes the 7-bit type with P = 0.
    pub fn set_msg_type(&mut self, value: u8) {
        self.buffer.as_mut()[field::TYPE] = value & !P_BIT;
    }

    /// Writes the 7 type-specific bits with S = 0.
    pub fn set_type_specific(&mut self, value: u8) {
        self.buffer.as_mut()[field::TYPE_SPECIFIC] = value << 1;
    }

    pub fn set_checksum(&mut self, value: u16) {
        let b = self.buffer.as_mut();
        b[field::CHECKSUM..field::CHECKSUM + 2].copy_from_slice(&value.to_be_bytes());
    }

    /// Computes the checksum over the header announced by Hdr Ext Len.
    pub fn fill_checksum(&mut self) {
        self.set_checksum(0);
        let sum = internet_checksum(self.header());
        self.set_checksum(sum);
    }

    /// Writes a tag at `offset`, clearing the R bit.
    pub fn set_context_tag_at(&mut self, offset: usize, tag: ContextTag) -> Result<(), Error> {
        let len = self.header_len();
        let header = self
            .buffer
            .as_mut()
            .get_mut(..len)
            .ok_or(Error::BufferTooSmall)?;
        super::field::put(header, offset, &tag.to_wire())
    }

    pub fn set_u32_at(&mut self, offset: usize, value: u32) -> Result<(), Error> {
        let len = self.header_len();
        let header = self
            .buffer
            .as_mut()
            .get_mut(..len)
            .ok_or(Error::BufferTooSmall)?;
        super::field::put(header, offset, &value.to_be_bytes())
    }

    /// The header announced by Hdr Ext Len, writable.
    pub fn header_mut(&mut self) -> &mut [u8] {
        let len = self.header_len();
        &mut self.buffer.as_mut()[..len]
    }
}
