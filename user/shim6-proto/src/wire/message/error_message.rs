//! Error message, type 68 (RFC 5533 §5.14).

use super::super::field;
use super::super::{ControlPacket, Error, OptionSet, Options, MAX_CONTROL_PACKET};
use super::body::Body;
use super::msg_type;
use super::views::ErrorPacket;

/// Error codes (RFC 5533 §5.14, Table 2).
pub mod error_code {
    /// Pointer: the Type octet of the offending message.
    pub const UNKNOWN_MESSAGE_TYPE: u8 = 0;
    /// Pointer: the first octet of the option's Type field.
    pub const UNRECOGNIZED_CRITICAL_OPTION: u8 = 1;
    /// Pointer: the inconsistent verification-method octet.
    pub const LOCATOR_VERIFICATION_FAILED: u8 = 2;
    /// Pointer: the Generation field of the Locator Preferences option.
    pub const LOCATOR_GENERATION_OUT_OF_SYNC: u8 = 3;
    /// Pointer: the Length field of the Locator Preferences option.
    pub const LOCATOR_COUNT_MISMATCH: u8 = 4;
}

const PACKET_AT: usize = ErrorPacket::<&[u8]>::FIXED_LEN;
const IPV6_HEADER_LEN: usize = 40;

/// Error (type 68). The packet in error is padded with zeros to a multiple
/// of 8 octets on emission, so after parsing it may be longer than what was
/// given to `emit`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ErrorMessage {
    /// 7-bit Error Code, carried in the Reserved1 position.
    pub code: u8,
    /// Octet offset of the problem within the invoking packet.
    pub pointer: u16,
    /// As much of the invoking packet as fits.
    pub packet_in_error: Vec<u8>,
}

impl ErrorMessage {
    /// Most packet-in-error octets that keep the Error packet, with a bare
    /// 40-octet IPv6 header, within 1280 octets.
    pub const MAX_PACKET_IN_ERROR: usize = MAX_CONTROL_PACKET - IPV6_HEADER_LEN - PACKET_AT;

    /// Builds an Error message, truncating the invoking packet so the result
    /// fits in the minimum MTU.
    pub fn new(code: u8, pointer: u16, invoking_packet: &[u8]) -> ErrorMessage {
        let keep = invoking_packet.len().min(Self::MAX_PACKET_IN_ERROR);
        let packet_in_error = invoking_packet.get(..keep).unwrap_or_default().to_vec();
        ErrorMessage {
            code,
            pointer,
            packet_in_error,
        }
    }
}

/// `Body` hands out options; Error carries none.
static NO_OPTIONS: Options = Options::EMPTY;

impl Body for ErrorMessage {
    const TYPE: u8 = msg_type::ERROR;
    const FIXED_LEN: usize = PACKET_AT;
    const ALLOWED: OptionSet = OptionSet::NONE;

    fn parse_fields(p: &ControlPacket<&[u8]>, _options: Options) -> Result<Self, Error> {
        let v = ErrorPacket::new_checked(p.header())?;
        Ok(ErrorMessage {
            code: v.error_code(),
            pointer: v.pointer(),
            packet_in_error: v.packet_in_error().to_vec(),
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = ErrorPacket::new_checked(p.header_mut())?;
        v.set_pointer(self.pointer);
        field::put(v.after_fixed_mut(), 0, &self.packet_in_error)
    }

    fn options(&self) -> &Options {
        &NO_OPTIONS
    }

    fn fixed_len(&self) -> usize {
        PACKET_AT + field::pad8(self.packet_in_error.len())
    }

    fn type_specific(&self) -> u8 {
        self.code
    }
}
