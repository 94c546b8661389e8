//! Shim6 wire format (RFC 5533 §5) and REAP messages (RFC 5534 §5).
//!
//! Two layers, in the style of smoltcp:
//! * zero-copy views over a byte buffer (`PayloadHeader`, `ControlPacket`,
//!   `OptionPacket`) with checked constructors and field accessors/setters;
//! * owned representations (`PayloadRepr`, `Message` and its per-message
//!   structs, `Options`) with `parse()`, `buffer_len()` and `emit()`.
//!
//! Every parser returns `Err(Error)` on malformed input; nothing here panics
//! on bytes received from the network.

mod checksum;
mod context_tag;
mod control;
mod error;
mod field;
mod message;
mod options;
mod payload;

#[cfg(test)]
mod tests;

pub use checksum::internet_checksum;
pub use context_tag::ContextTag;
pub use control::{ControlPacket, CONTROL_HEADER_LEN};
pub use error::Error;
pub use message::{
    error_code, msg_type, ErrorMessage, ErrorPacket, I1Packet, I2Packet, I2bis, I2bisPacket,
    Keepalive, KeepalivePacket, Message, Probe, ProbePacket, ProbeReport, R1Packet, R1bis,
    R1bisPacket, R2Packet, ReapState, UpdateAck, UpdateAckPacket, UpdateRequest,
    UpdateRequestPacket, I1, I2, MAX_PROBE_REPORTS, PROBE_REPORT_LEN, R1, R2,
};
pub use options::{
    find_option_offset, option_type, Locator, LocatorList, LocatorPreference, LocatorPreferences,
    OptionPacket, OptionSet, Options, UlidPair, UnknownOption, VerificationMethod,
    PREF_FLAG_BROKEN, PREF_FLAG_TRANSIENT,
};
pub use payload::{PayloadHeader, PayloadRepr, PAYLOAD_HEADER_LEN};

/// IPv6 Next Header value for Shim6 (both payload and control headers).
pub const IPPROTO_SHIM6: u8 = 140;
/// Next Header carried inside every control message ("No Next Header").
pub const IPPROTO_NONE: u8 = 59;
/// Largest control packet including the IPv6 header (RFC 5533 §5.1).
pub const MAX_CONTROL_PACKET: usize = 1280;
/// Largest Shim6 header the 8-bit Hdr Ext Len can describe.
pub const MAX_SHIM6_HEADER_LEN: usize = (u8::MAX as usize + 1) * 8;
