//! What every control message body implements so that `Message` can parse
//! and emit them uniformly.

use super::super::{ControlPacket, Error, OptionSet, Options};

pub(crate) trait Body: Sized {
    /// Message type (7 bits).
    const TYPE: u8;
    /// Octets before the options, counted from the Next Header octet.
    const FIXED_LEN: usize;
    /// Known options this message may carry (others count as unknown).
    const ALLOWED: OptionSet;

    /// Reads the fixed fields. `packet` has passed the length, checksum and
    /// P/S checks and its header is at least `FIXED_LEN` long.
    fn parse_fields(packet: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error>;

    /// Writes the fixed fields; the common octets 0-5 are written by the
    /// caller and the buffer is zeroed.
    fn emit_fields(&self, packet: &mut ControlPacket<&mut [u8]>) -> Result<(), Error>;

    fn options(&self) -> &Options;

    /// Octets before the options; only the Probe varies.
    fn fixed_len(&self) -> usize {
        Self::FIXED_LEN
    }

    /// 7-bit value for octet 3 (Reserved1, or the Error Code).
    fn type_specific(&self) -> u8 {
        0
    }
}
