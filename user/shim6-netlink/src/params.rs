//! The `get-params` reply: the thresholds of the context-establishment
//! trigger.

use crate::decode::{expect_command, Fields};
use crate::error::ParseError;
use crate::family::{attr, cmd};
use crate::message::OwnedGenlMessage;

/// When traffic to a peer asks for a context (an `evt-trigger`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Params {
    /// Bytes exchanged with a peer before the trigger fires.
    pub trigger_bytes: u32,
    /// Seconds of traffic with a peer before the trigger fires.
    pub trigger_seconds: u32,
}

impl Params {
    pub fn parse(reply: &OwnedGenlMessage) -> Result<Self, ParseError> {
        expect_command(reply, cmd::GET_PARAMS)?;
        let fields = Fields::collect("get-params reply", reply)?;
        Ok(Params {
            trigger_bytes: fields.u32(attr::TRIGGER_BYTES)?,
            trigger_seconds: fields.u32(attr::TRIGGER_SECONDS)?,
        })
    }
}
