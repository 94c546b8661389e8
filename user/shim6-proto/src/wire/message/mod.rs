//! The `Message` enum: parse, size and emit any Shim6 control message.

mod body;
mod error_message;
mod establishment;
mod reap;
mod update;
mod views;

pub use error_message::{error_code, ErrorMessage};
pub use establishment::{I2bis, R1bis, I1, I2, R1, R2};
pub use reap::{Keepalive, Probe, ProbeReport, ReapState, MAX_PROBE_REPORTS, PROBE_REPORT_LEN};
pub use update::{UpdateAck, UpdateRequest};
pub use views::{
    ErrorPacket, I1Packet, I2Packet, I2bisPacket, KeepalivePacket, ProbePacket, R1Packet,
    R1bisPacket, R2Packet, UpdateAckPacket, UpdateRequestPacket,
};

use super::{ContextTag, ControlPacket, Error, Options, IPPROTO_NONE, MAX_SHIM6_HEADER_LEN};
use body::Body;

/// Control message type numbers (RFC 5533 §5.3, RFC 5534 §5).
pub mod msg_type {
    pub const I1: u8 = 1;
    pub const R1: u8 = 2;
    pub const I2: u8 = 3;
    pub const R2: u8 = 4;
    pub const R1BIS: u8 = 5;
    pub const I2BIS: u8 = 6;
    pub const UPDATE_REQUEST: u8 = 64;
    pub const UPDATE_ACK: u8 = 65;
    pub const KEEPALIVE: u8 = 66;
    pub const PROBE: u8 = 67;
    pub const ERROR: u8 = 68;
}

/// Any Shim6 control message.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Message {
    I1(I1),
    R1(R1),
    I2(I2),
    R2(R2),
    R1bis(R1bis),
    I2bis(I2bis),
    UpdateRequest(UpdateRequest),
    UpdateAck(UpdateAck),
    Keepalive(Keepalive),
    Probe(Probe),
    Error(ErrorMessage),
}

fn parse_body<B: Body>(packet: &ControlPacket<&[u8]>) -> Result<B, Error> {
    if packet.header_len() < B::FIXED_LEN {
        return Err(Error::BadHdrExtLen);
    }
    let options = Options::parse(packet.header(), B::FIXED_LEN, B::ALLOWED)?;
    B::parse_fields(packet, options)
}

fn body_len<B: Body>(body: &B) -> usize {
    body.fixed_len() + body.options().buffer_len()
}

fn emit_body<B: Body>(body: &B, buf: &mut [u8]) -> Result<usize, Error> {
    let len = body_len(body);
    if len > MAX_SHIM6_HEADER_LEN {
        return Err(Error::TooLong);
    }
    let type_specific = body.type_specific();
    if type_specific > 0x7f {
        return Err(Error::InvalidField("type-specific field wider than 7 bits"));
    }
    let out = buf.get_mut(..len).ok_or(Error::BufferTooSmall)?;
    out.fill(0);
    let mut packet = ControlPacket::new_unchecked(&mut *out);
    packet.set_next_header(IPPROTO_NONE);
    // len is a multiple of 8 in 8..=2048, so this fits in a u8.
    packet.set_hdr_ext_len(u8::try_from(len / 8 - 1).map_err(|_| Error::TooLong)?);
    packet.set_msg_type(B::TYPE);
    packet.set_type_specific(type_specific);
    body.emit_fields(&mut packet)?;
    let fixed = body.fixed_len();
    let options_out = packet
        .header_mut()
        .get_mut(fixed..)
        .ok_or(Error::BufferTooSmall)?;
    body.options().emit(options_out)?;
    packet.fill_checksum();
    Ok(len)
}

/// Applies `$f` to the body of whichever variant `$msg` is.
macro_rules! with_body {
    ($msg:expr, $body:ident => $f:expr) => {
        match $msg {
            Message::I1($body) => $f,
            Message::R1($body) => $f,
            Message::I2($body) => $f,
            Message::R2($body) => $f,
            Message::R1bis($body) => $f,
            Message::I2bis($body) => $f,
            Message::UpdateRequest($body) => $f,
            Message::UpdateAck($body) => $f,
            Message::Keepalive($body) => $f,
            Message::Probe($body) => $f,
            Message::Error($body) => $f,
        }
    };
}

impl Message {
    /// Parses a control message. `bytes` starts at the Shim6 header's Next
    /// Header octet; octets after the length announced by Hdr Ext Len are
    /// ignored. Checks, in order: length, P bit, checksum, S bit, type,
    /// per-type minimum length, options.
    pub fn parse(bytes: &[u8]) -> Result<Message, Error> {
        let head = bytes
            .get(..super::CONTROL_HEADER_LEN)
            .ok_or(Error::Truncated)?;
        if ControlPacket::new_unchecked(head).p_bit() {
            return Err(Error::NotControl);
        }
        let packet = ControlPacket::new_checked(bytes)?;
        if !packet.verify_checksum() {
            return Err(Error::BadChecksum);
        }
        if packet.s_bit() {
            return Err(Error::NotShim6);
        }
        Ok(match packet.msg_type() {
            msg_type::I1 => Message::I1(parse_body(&packet)?),
            msg_type::R1 => Message::R1(parse_body(&packet)?),
            msg_type::I2 => Message::I2(parse_body(&packet)?),
            msg_type::R2 => Message::R2(parse_body(&packet)?),
            msg_type::R1BIS => Message::R1bis(parse_body(&packet)?),
            msg_type::I2BIS => Message::I2bis(parse_body(&packet)?),
            msg_type::UPDATE_REQUEST => Message::UpdateRequest(parse_body(&packet)?),
            msg_type::UPDATE_ACK => Message::UpdateAck(parse_body(&packet)?),
            msg_type::KEEPALIVE => Message::Keepalive(parse_body(&packet)?),
            msg_type::PROBE => {
                if packet.header_len() < Probe::FIXED_LEN {
                    return Err(Error::BadHdrExtLen);
                }
                Message::Probe(Probe::parse_probe(&packet)?)
            }
            msg_type::ERROR => {
                if packet.header_len() < ErrorMessage::FIXED_LEN {
                    return Err(Error::BadHdrExtLen);
                }
                Message::Error(ErrorMessage::parse_fields(&packet, Options::default())?)
            }
            other => return Err(Error::UnknownMessageType(other)),
        })
    }

    /// The 7-bit message type.
    pub fn msg_type(&self) -> u8 {
        match self {
            Message::I1(_) => msg_type::I1,
            Message::R1(_) => msg_type::R1,
            Message::I2(_) => msg_type::I2,
            Message::R2(_) => msg_type::R2,
            Message::R1bis(_) => msg_type::R1BIS,
            Message::I2bis(_) => msg_type::I2BIS,
            Message::UpdateRequest(_) => msg_type::UPDATE_REQUEST,
            Message::UpdateAck(_) => msg_type::UPDATE_ACK,
            Message::Keepalive(_) => msg_type::KEEPALIVE,
            Message::Probe(_) => msg_type::PROBE,
            Message::Error(_) => msg_type::ERROR,
        }
    }

    /// The context tag in octets 6-11, whoever it belongs to (initiator,
    /// responder, packet or receiver tag). `None` for R1 and Error.
    pub fn context_tag(&self) -> Option<ContextTag> {
        match self {
            Message::I1(m) => Some(m.initiator_tag),
            Message::I2(m) => Some(m.initiator_tag),
            Message::I2bis(m) => Some(m.initiator_tag),
            Message::R2(m) => Some(m.responder_tag),
            Message::R1bis(m) => Some(m.packet_tag),
            Message::UpdateRequest(m) => Some(m.receiver_tag),
            Message::UpdateAck(m) => Some(m.receiver_tag),
            Message::Keepalive(m) => Some(m.receiver_tag),
            Message::Probe(m) => Some(m.receiver_tag),
            Message::R1(_) | Message::Error(_) => None,
        }
    }

    /// The options of the message (empty for Error).
    pub fn options(&self) -> &Options {
        with_body!(self, body => body.options())
    }

    /// Octets `emit` writes: the whole Shim6 header, a multiple of 8.
    pub fn buffer_len(&self) -> usize {
        with_body!(self, body => body_len(body))
    }

    /// Writes the message at the start of `buf`, computes the checksum and
    /// returns the number of octets written (`buffer_len()`).
    pub fn emit(&self, buf: &mut [u8]) -> Result<usize, Error> {
        with_body!(self, body => emit_body(body, buf))
    }

    /// `emit` into a fresh vector.
    pub fn to_bytes(&self) -> Result<Vec<u8>, Error> {
        let mut out = vec![0u8; self.buffer_len()];
        self.emit(&mut out)?;
        Ok(out)
    }
}

macro_rules! impl_from_body {
    ($($variant:ident),*) => {
        $(impl From<$variant> for Message {
            fn from(body: $variant) -> Message {
                Message::$variant(body)
            }
        })*
    };
}
impl_from_body!(
    I1,
    R1,
    I2,
    R2,
    R1bis,
    I2bis,
    UpdateRequest,
    UpdateAck,
    Keepalive,
    Probe
);

impl From<ErrorMessage> for Message {
    fn from(body: ErrorMessage) -> Message {
        Message::Error(body)
    }
}
