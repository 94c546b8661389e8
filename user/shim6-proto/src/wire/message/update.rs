//! Update Request and Update Acknowledgement (RFC 5533 §5.10, §5.11).

use super::super::{ContextTag, ControlPacket, Error, OptionSet, Options};
use super::body::Body;
use super::establishment::LOCATOR_OPTIONS;
use super::msg_type;

const TAG_AT: usize = 6;
const NONCE_AT: usize = 12;

/// Update Request (type 64): carries the receiver's tag.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpdateRequest {
    pub receiver_tag: ContextTag,
    /// Same across retransmissions of one update.
    pub request_nonce: u32,
    pub options: Options,
}

/// Update Acknowledgement (type 65): echoes the Request Nonce. No options
/// are defined; unknown non-critical ones are kept in `options.unknown`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UpdateAck {
    pub receiver_tag: ContextTag,
    pub request_nonce: u32,
    pub options: Options,
}

impl Body for UpdateRequest {
    const TYPE: u8 = msg_type::UPDATE_REQUEST;
    const FIXED_LEN: usize = 16;
    const ALLOWED: OptionSet = LOCATOR_OPTIONS;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        Ok(UpdateRequest { receiver_tag: p.context_tag_at(TAG_AT)?, request_nonce: p.u32_at(NONCE_AT)?, options })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        p.set_context_tag_at(TAG_AT, self.receiver_tag)?;
        p.set_u32_at(NONCE_AT, self.request_nonce)
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for UpdateAck {
    const TYPE: u8 = msg_type::UPDATE_ACK;
    const FIXED_LEN: usize = 16;
    const ALLOWED: OptionSet = OptionSet::NONE;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        Ok(UpdateAck { receiver_tag: p.context_tag_at(TAG_AT)?, request_nonce: p.u32_at(NONCE_AT)?, options })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        p.set_context_tag_at(TAG_AT, self.receiver_tag)?;
        p.set_u32_at(NONCE_AT, self.request_nonce)
    }

    fn options(&self) -> &Options {
        &self.options
    }
}
