//! Context establishment and recovery messages: I1, R1, I2, R2, R1bis,
//! I2bis (RFC 5533 §5.4-§5.9).

use super::super::options::option_type as opt;
use super::super::{ContextTag, ControlPacket, Error, OptionSet, Options};
use super::body::Body;
use super::msg_type;

/// Options that may accompany a locator list (I2, I2bis, R2, Update Request).
pub(crate) const LOCATOR_OPTIONS: OptionSet = OptionSet::NONE
    .with(opt::LOCATOR_LIST)
    .with(opt::LOCATOR_PREFERENCES)
    .with(opt::CGA_PARAMETERS)
    .with(opt::CGA_SIGNATURE)
    .with(opt::KEEPALIVE_TIMEOUT);

const INITIATOR_OPTIONS: OptionSet = LOCATOR_OPTIONS
    .with(opt::RESPONDER_VALIDATOR)
    .with(opt::ULID_PAIR)
    .with(opt::FORKED_INSTANCE_ID);

/// Offsets of the fixed fields shared by several messages.
mod at {
    pub const TAG: usize = 6;
    pub const WORD3: usize = 12;
    pub const WORD4: usize = 16;
    pub const R1_INITIATOR_NONCE: usize = 8;
    pub const I2BIS_PACKET_TAG: usize = 26;
}

/// I1 (type 1): starts an exchange; carries the initiator's own tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct I1 {
    pub initiator_tag: ContextTag,
    pub initiator_nonce: u32,
    pub options: Options,
}

/// R1 (type 2): stateless answer to I1; no context tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct R1 {
    pub initiator_nonce: u32,
    pub responder_nonce: u32,
    pub options: Options,
}

/// I2 (type 3).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct I2 {
    pub initiator_tag: ContextTag,
    pub initiator_nonce: u32,
    pub responder_nonce: u32,
    pub options: Options,
}

/// R2 (type 4): carries the responder's own tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct R2 {
    pub responder_tag: ContextTag,
    pub initiator_nonce: u32,
    pub options: Options,
}

/// R1bis (type 5): "I have no context for this tag".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct R1bis {
    pub packet_tag: ContextTag,
    pub responder_nonce: u32,
    pub options: Options,
}

/// I2bis (type 6): the Packet Context Tag sits at octet 26 after a 49-bit
/// reserved field.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct I2bis {
    pub initiator_tag: ContextTag,
    pub initiator_nonce: u32,
    pub responder_nonce: u32,
    pub packet_tag: ContextTag,
    pub options: Options,
}

impl Body for I1 {
    const TYPE: u8 = msg_type::I1;
    const FIXED_LEN: usize = 16;
    const ALLOWED: OptionSet = OptionSet::NONE.with(opt::ULID_PAIR).with(opt::FORKED_INSTANCE_ID);

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        Ok(I1 { initiator_tag: p.context_tag_at(at::TAG)?, initiator_nonce: p.u32_at(at::WORD3)?, options })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        p.set_context_tag_at(at::TAG, self.initiator_tag)?;
        p.set_u32_at(at::WORD3, self.initiator_nonce)
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for R1 {
    const TYPE: u8 = msg_type::R1;
    const FIXED_LEN: usize = 16;
    const ALLOWED: OptionSet = OptionSet::NONE.with(opt::RESPONDER_VALIDATOR);

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        Ok(R1 {
            initiator_nonce: p.u32_at(at::R1_INITIATOR_NONCE)?,
            responder_nonce: p.u32_at(at::WORD3)?,
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        p.set_u32_at(at::R1_INITIATOR_NONCE, self.initiator_nonce)?;
        p.set_u32_at(at::WORD3, self.responder_nonce)
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for I2 {
    const TYPE: u8 = msg_type::I2;
    const FIXED_LEN: usize = 24;
    const ALLOWED: OptionSet = INITIATOR_OPTIONS;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        Ok(I2 {
            initiator_tag: p.context_tag_at(at::TAG)?,
            initiator_nonce: p.u32_at(at::WORD3)?,
            responder_nonce: p.u32_at(at::WORD4)?,
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        p.set_context_tag_at(at::TAG, self.initiator_tag)?;
        p.set_u32_at(at::WORD3, self.initiator_nonce)?;
        p.set_u32_at(at::WORD4, self.responder_nonce)
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for R2 {
    const TYPE: u8 = msg_type::R2;
    const FIXED_LEN: usize = 16;
    const ALLOWED: OptionSet = LOCATOR_OPTIONS;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        Ok(R2 { responder_tag: p.context_tag_at(at::TAG)?, initiator_nonce: p.u32_at(at::WORD3)?, options })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        p.set_context_tag_at(at::TAG, self.responder_tag)?;
        p.set_u32_at(at::WORD3, self.initiator_nonce)
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for R1bis {
    const TYPE: u8 = msg_type::R1BIS;
    const FIXED_LEN: usize = 16;
    const ALLOWED: OptionSet = OptionSet::NONE.with(opt::RESPONDER_VALIDATOR);

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        Ok(R1bis { packet_tag: p.context_tag_at(at::TAG)?, responder_nonce: p.u32_at(at::WORD3)?, options })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        p.set_context_tag_at(at::TAG, self.packet_tag)?;
        p.set_u32_at(at::WORD3, self.responder_nonce)
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for I2bis {
    const TYPE: u8 = msg_type::I2BIS;
    const FIXED_LEN: usize = 32;
    const ALLOWED: OptionSet = INITIATOR_OPTIONS;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        Ok(I2bis {
            initiator_tag: p.context_tag_at(at::TAG)?,
            initiator_nonce: p.u32_at(at::WORD3)?,
            responder_nonce: p.u32_at(at::WORD4)?,
            packet_tag: p.context_tag_at(at::I2BIS_PACKET_TAG)?,
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        p.set_context_tag_at(at::TAG, self.initiator_tag)?;
        p.set_u32_at(at::WORD3, self.initiator_nonce)?;
        p.set_u32_at(at::WORD4, self.responder_nonce)?;
        p.set_context_tag_at(at::I2BIS_PACKET_TAG, self.packet_tag)
    }

    fn options(&self) -> &Options {
        &self.options
    }
}
