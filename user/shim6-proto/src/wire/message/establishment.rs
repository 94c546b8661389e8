//! Context establishment and recovery messages: I1, R1, I2, R2, R1bis,
//! I2bis (RFC 5533 §5.4-§5.9).

use super::super::options::option_type as opt;
use super::super::{ContextTag, ControlPacket, Error, OptionSet, Options};
use super::body::Body;
use super::msg_type;
use super::views::{I1Packet, I2Packet, I2bisPacket, R1Packet, R1bisPacket, R2Packet};

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
    const FIXED_LEN: usize = I1Packet::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = OptionSet::NONE
        .with(opt::ULID_PAIR)
        .with(opt::FORKED_INSTANCE_ID);

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = I1Packet::new_checked(p.header())?;
        Ok(I1 {
            initiator_tag: v.initiator_context_tag(),
            initiator_nonce: v.initiator_nonce(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = I1Packet::new_checked(p.header_mut())?;
        v.set_initiator_context_tag(self.initiator_tag);
        v.set_initiator_nonce(self.initiator_nonce);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for R1 {
    const TYPE: u8 = msg_type::R1;
    const FIXED_LEN: usize = R1Packet::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = OptionSet::NONE.with(opt::RESPONDER_VALIDATOR);

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = R1Packet::new_checked(p.header())?;
        Ok(R1 {
            initiator_nonce: v.initiator_nonce(),
            responder_nonce: v.responder_nonce(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = R1Packet::new_checked(p.header_mut())?;
        v.set_initiator_nonce(self.initiator_nonce);
        v.set_responder_nonce(self.responder_nonce);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for I2 {
    const TYPE: u8 = msg_type::I2;
    const FIXED_LEN: usize = I2Packet::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = INITIATOR_OPTIONS;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = I2Packet::new_checked(p.header())?;
        Ok(I2 {
            initiator_tag: v.initiator_context_tag(),
            initiator_nonce: v.initiator_nonce(),
            responder_nonce: v.responder_nonce(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = I2Packet::new_checked(p.header_mut())?;
        v.set_initiator_context_tag(self.initiator_tag);
        v.set_initiator_nonce(self.initiator_nonce);
        v.set_responder_nonce(self.responder_nonce);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for R2 {
    const TYPE: u8 = msg_type::R2;
    const FIXED_LEN: usize = R2Packet::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = LOCATOR_OPTIONS;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = R2Packet::new_checked(p.header())?;
        Ok(R2 {
            responder_tag: v.responder_context_tag(),
            initiator_nonce: v.initiator_nonce(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = R2Packet::new_checked(p.header_mut())?;
        v.set_responder_context_tag(self.responder_tag);
        v.set_initiator_nonce(self.initiator_nonce);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for R1bis {
    const TYPE: u8 = msg_type::R1BIS;
    const FIXED_LEN: usize = R1bisPacket::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = OptionSet::NONE.with(opt::RESPONDER_VALIDATOR);

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = R1bisPacket::new_checked(p.header())?;
        Ok(R1bis {
            packet_tag: v.packet_context_tag(),
            responder_nonce: v.responder_nonce(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = R1bisPacket::new_checked(p.header_mut())?;
        v.set_packet_context_tag(self.packet_tag);
        v.set_responder_nonce(self.responder_nonce);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for I2bis {
    const TYPE: u8 = msg_type::I2BIS;
    const FIXED_LEN: usize = I2bisPacket::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = INITIATOR_OPTIONS;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = I2bisPacket::new_checked(p.header())?;
        Ok(I2bis {
            initiator_tag: v.initiator_context_tag(),
            initiator_nonce: v.initiator_nonce(),
            responder_nonce: v.responder_nonce(),
            packet_tag: v.packet_context_tag(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = I2bisPacket::new_checked(p.header_mut())?;
        v.set_initiator_context_tag(self.initiator_tag);
        v.set_initiator_nonce(self.initiator_nonce);
        v.set_responder_nonce(self.responder_nonce);
        v.set_packet_context_tag(self.packet_tag);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}
