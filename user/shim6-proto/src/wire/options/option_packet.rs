//! Zero-copy view of one option TLV (RFC 5533 §5.15): a 16-bit word
//! `Type << 1 | C`, a 16-bit Length, the contents and padding to 8 octets.

use super::super::Error;

pub(crate) const OPTION_HEADER_LEN: usize = 4;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionPacket<T: AsRef<[u8]>> {
    buffer: T,
}

impl<T: AsRef<[u8]>> OptionPacket<T> {
    pub const fn new_unchecked(buffer: T) -> OptionPacket<T> {
        OptionPacket { buffer }
    }

    pub fn new_checked(buffer: T) -> Result<OptionPacket<T>, Error> {
        let packet = OptionPacket::new_unchecked(buffer);
        packet.check_len()?;
        Ok(packet)
    }

    /// The 4-octet header and the whole padded option must be present.
    pub fn check_len(&self) -> Result<(), Error> {
        let len = self.buffer.as_ref().len();
        if len < OPTION_HEADER_LEN {
            return Err(Error::Truncated);
        }
        if len < self.total_len() {
            return Err(Error::BadOptionLength {
                option_type: self.option_type(),
                offset: 0,
            });
        }
        Ok(())
    }

    pub fn option_type(&self) -> u16 {
        let b = self.buffer.as_ref();
        u16::from_be_bytes([b[0], b[1]]) >> 1
    }

    pub fn critical(&self) -> bool {
        self.buffer.as_ref()[1] & 1 != 0
    }

    /// Contents length; for the Locator List this includes its internal
    /// padding, for every other option it excludes the trailing padding.
    pub fn length(&self) -> u16 {
        let b = self.buffer.as_ref();
        u16::from_be_bytes([b[2], b[3]])
    }

    /// Octets from the Type field to the end of the padding.
    pub fn total_len(&self) -> usize {
        total_len(self.length())
    }

    pub fn contents(&self) -> &[u8] {
        let end = OPTION_HEADER_LEN + usize::from(self.length());
        &self.buffer.as_ref()[OPTION_HEADER_LEN..end]
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> OptionPacket<T> {
    pub fn set_type_and_critical(&mut self, option_type: u16, critical: bool) {
        let word = (option_type << 1) | u16::from(critical);
        self.buffer.as_mut()[..2].copy_from_slice(&word.to_be_bytes());
    }

    pub fn set_length(&mut self, length: u16) {
        self.buffer.as_mut()[2..4].copy_from_slice(&length.to_be_bytes());
    }

    pub fn contents_mut(&mut self) -> &mut [u8] {
        let end = OPTION_HEADER_LEN + usize::from(self.length());
        &mut self.buffer.as_mut()[OPTION_HEADER_LEN..end]
    }
}

/// Size of an option on the wire, padding included. The Locator List counts
/// its internal padding in Length; rounding it up as well is harmless for a
/// well-formed list (already a multiple of 8) and keeps a malformed one
/// aligned until its own parser rejects it.
pub(crate) fn total_len(length: u16) -> usize {
    super::super::field::pad8(OPTION_HEADER_LEN + usize::from(length))
}
