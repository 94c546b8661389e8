//! Update Request and Update Acknowledgement (RFC 5533 §5.10, §5.11).

use super::super::{ContextTag, ControlPacket, Error, OptionSet, Options};
use super::body::Body;
use super::establishment::LOCATOR_OPTIONS;
use super::msg_type;
use super::views::{UpdateAckPacket, UpdateRequestPacket};

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
    const FIXED_LEN: usize = UpdateRequestPacket::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = LOCATOR_OPTIONS;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = UpdateRequestPacket::new_checked(p.header())?;
        Ok(UpdateRequest {
            receiver_tag: v.receiver_context_tag(),
            request_nonce: v.request_nonce(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = UpdateRequestPacket::new_checked(p.header_mut())?;
        v.set_receiver_context_tag(self.receiver_tag);
        v.set_request_nonce(self.request_nonce);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}

impl Body for UpdateAck {
    const TYPE: u8 = msg_type::UPDATE_ACK;
    const FIXED_LEN: usize = UpdateAckPacket::<&[u8]>::FIXED_LEN;
    const ALLOWED: OptionSet = OptionSet::NONE;

    fn parse_fields(p: &ControlPacket<&[u8]>, options: Options) -> Result<Self, Error> {
        let v = UpdateAckPacket::new_checked(p.header())?;
        Ok(UpdateAck {
            receiver_tag: v.receiver_context_tag(),
            request_nonce: v.request_nonce(),
            options,
        })
    }

    fn emit_fields(&self, p: &mut ControlPacket<&mut [u8]>) -> Result<(), Error> {
        let mut v = UpdateAckPacket::new_checked(p.header_mut())?;
        v.set_receiver_context_tag(self.receiver_tag);
        v.set_request_nonce(self.request_nonce);
        Ok(())
    }

    fn options(&self) -> &Options {
        &self.options
    }
}
