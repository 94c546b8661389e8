//! Zero-copy, per-message views (smoltcp style) over a control message.
//! Each view's `check_len` guarantees that the fixed fields it reads are
//! inside the header announced by Hdr Ext Len; after that the accessors
//! cannot index out of bounds. Message type, P bit and checksum are the
//! caller's business (dispatch on `ControlPacket::msg_type` first).

use super::super::{ContextTag, ControlPacket, Error};
use super::msg_type;

fn tag_at(header: &[u8], at: usize) -> ContextTag {
    ContextTag::from_wire([
        header[at],
        header[at + 1],
        header[at + 2],
        header[at + 3],
        header[at + 4],
        header[at + 5],
    ])
}

fn u32_at(header: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
}

fn u16_at(header: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([header[at], header[at + 1]])
}

/// Clears the reserved R bit along with writing the tag.
fn set_tag_at(header: &mut [u8], at: usize, tag: ContextTag) {
    header[at..at + 6].copy_from_slice(&tag.to_wire());
}

fn set_u32_at(header: &mut [u8], at: usize, value: u32) {
    header[at..at + 4].copy_from_slice(&value.to_be_bytes());
}

fn set_u16_at(header: &mut [u8], at: usize, value: u16) {
    header[at..at + 2].copy_from_slice(&value.to_be_bytes());
}

/// Defines a view with a fixed part of `$min_len` octets and the listed
/// fields (`tag`, `u32` or `u16` at an octet offset).
macro_rules! control_view {
    (
        $(#[$doc:meta])*
        $name:ident, $msg_type:expr, $min_len:expr,
        { $( $kind:ident $getter:ident, $setter:ident @ $offset:expr; )* }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name<T: AsRef<[u8]>> {
            packet: ControlPacket<T>,
        }

        impl<T: AsRef<[u8]>> $name<T> {
            /// Message type this view is meant for.
            pub const MSG_TYPE: u8 = $msg_type;
            /// Octets before the options.
            pub const FIXED_LEN: usize = $min_len;

            /// Wraps without checking; accessors may panic on a short
            /// buffer. Use `new_checked` for bytes from the network.
            pub const fn new_unchecked(buffer: T) -> Self {
                $name { packet: ControlPacket::new_unchecked(buffer) }
            }

            pub fn new_checked(buffer: T) -> Result<Self, Error> {
                let view = Self::new_unchecked(buffer);
                view.check_len()?;
                Ok(view)
            }

            /// The header announced by Hdr Ext Len is in the buffer and is
            /// at least `FIXED_LEN` long.
            pub fn check_len(&self) -> Result<(), Error> {
                self.packet.check_len()?;
                if self.packet.header_len() < Self::FIXED_LEN {
                    return Err(Error::BadHdrExtLen);
                }
                Ok(())
            }

            /// The common header fields (type, lengths, checksum).
            pub fn control(&self) -> &ControlPacket<T> {
                &self.packet
            }

            pub fn into_inner(self) -> T {
                self.packet.into_inner()
            }

            /// Octets from the end of the fixed part to the end of the
            /// header: the options (for a Probe, its reports come first; for
            /// an Error, this is the packet in error).
            pub fn after_fixed(&self) -> &[u8] {
                &self.packet.header()[Self::FIXED_LEN..]
            }

            $(control_view!(@get $kind $getter $offset);)*
        }

        impl<T: AsRef<[u8]> + AsMut<[u8]>> $name<T> {
            pub fn control_mut(&mut self) -> &mut ControlPacket<T> {
                &mut self.packet
            }

            pub fn after_fixed_mut(&mut self) -> &mut [u8] {
                &mut self.packet.header_mut()[Self::FIXED_LEN..]
            }

            $(control_view!(@set $kind $setter $offset);)*
        }
    };
    (@get tag $getter:ident $offset:expr) => {
        pub fn $getter(&self) -> ContextTag {
            tag_at(self.packet.header(), $offset)
        }
    };
    (@get u32 $getter:ident $offset:expr) => {
        pub fn $getter(&self) -> u32 {
            u32_at(self.packet.header(), $offset)
        }
    };
    (@get u16 $getter:ident $offset:expr) => {
        pub fn $getter(&self) -> u16 {
            u16_at(self.packet.header(), $offset)
        }
    };
    (@set tag $setter:ident $offset:expr) => {
        pub fn $setter(&mut self, value: ContextTag) {
            set_tag_at(self.packet.header_mut(), $offset, value)
        }
    };
    (@set u32 $setter:ident $offset:expr) => {
        pub fn $setter(&mut self, value: u32) {
            set_u32_at(self.packet.header_mut(), $offset, value)
        }
    };
    (@set u16 $setter:ident $offset:expr) => {
        pub fn $setter(&mut self, value: u16) {
            set_u16_at(self.packet.header_mut(), $offset, value)
        }
    };
}

control_view!(
    /// I1, RFC 5533 §5.4.
    I1Packet, msg_type::I1, 16, {
        tag initiator_context_tag, set_initiator_context_tag @ 6;
        u32 initiator_nonce, set_initiator_nonce @ 12;
    }
);

control_view!(
    /// R1, RFC 5533 §5.5 (octets 6-7 reserved).
    R1Packet, msg_type::R1, 16, {
        u32 initiator_nonce, set_initiator_nonce @ 8;
        u32 responder_nonce, set_responder_nonce @ 12;
    }
);

control_view!(
    /// I2, RFC 5533 §5.6 (octets 20-23 reserved).
    I2Packet, msg_type::I2, 24, {
        tag initiator_context_tag, set_initiator_context_tag @ 6;
        u32 initiator_nonce, set_initiator_nonce @ 12;
        u32 responder_nonce, set_responder_nonce @ 16;
    }
);

control_view!(
    /// R2, RFC 5533 §5.7.
    R2Packet, msg_type::R2, 16, {
        tag responder_context_tag, set_responder_context_tag @ 6;
        u32 initiator_nonce, set_initiator_nonce @ 12;
    }
);

control_view!(
    /// R1bis, RFC 5533 §5.8.
    R1bisPacket, msg_type::R1BIS, 16, {
        tag packet_context_tag, set_packet_context_tag @ 6;
        u32 responder_nonce, set_responder_nonce @ 12;
    }
);

control_view!(
    /// I2bis, RFC 5533 §5.9: the Packet Context Tag starts at octet 26,
    /// after 49 reserved bits (its top bit is the last reserved bit).
    I2bisPacket, msg_type::I2BIS, 32, {
        tag initiator_context_tag, set_initiator_context_tag @ 6;
        u32 initiator_nonce, set_initiator_nonce @ 12;
        u32 responder_nonce, set_responder_nonce @ 16;
        tag packet_context_tag, set_packet_context_tag @ 26;
    }
);

control_view!(
    /// Update Request, RFC 5533 §5.10.
    UpdateRequestPacket, msg_type::UPDATE_REQUEST, 16, {
        tag receiver_context_tag, set_receiver_context_tag @ 6;
        u32 request_nonce, set_request_nonce @ 12;
    }
);

control_view!(
    /// Update Acknowledgement, RFC 5533 §5.11.
    UpdateAckPacket, msg_type::UPDATE_ACK, 16, {
        tag receiver_context_tag, set_receiver_context_tag @ 6;
        u32 request_nonce, set_request_nonce @ 12;
    }
);

control_view!(
    /// Keepalive, RFC 5534 §5.1 (octets 12-15 reserved).
    KeepalivePacket, msg_type::KEEPALIVE, 16, {
        tag receiver_context_tag, set_receiver_context_tag @ 6;
    }
);

control_view!(
    /// Error, RFC 5533 §5.14: the Error Code is `control().type_specific()`.
    ErrorPacket, msg_type::ERROR, 8, {
        u16 pointer, set_pointer @ 6;
    }
);

impl<T: AsRef<[u8]>> ErrorPacket<T> {
    pub fn error_code(&self) -> u8 {
        self.packet.type_specific()
    }

    /// Everything after the Pointer, padding included.
    pub fn packet_in_error(&self) -> &[u8] {
        self.after_fixed()
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> ErrorPacket<T> {
    /// Writes the 7-bit code with S = 0.
    pub fn set_error_code(&mut self, code: u8) {
        self.packet.set_type_specific(code);
    }
}

control_view!(
    /// Probe, RFC 5534 §5.2. `FIXED_LEN` excludes the reports; `check_len`
    /// does not look at them, `check_reports_len` does.
    ProbePacket, msg_type::PROBE, 16, {
        tag receiver_context_tag, set_receiver_context_tag @ 6;
    }
);

const PROBE_COUNTS_AT: usize = 12;
const PROBE_STATE_AT: usize = 13;

impl<T: AsRef<[u8]>> ProbePacket<T> {
    /// High nibble of octet 12.
    pub fn precvd(&self) -> u8 {
        self.packet.header()[PROBE_COUNTS_AT] >> 4
    }

    /// Low nibble of octet 12.
    pub fn psent(&self) -> u8 {
        self.packet.header()[PROBE_COUNTS_AT] & 0x0f
    }

    /// Top two bits of octet 13, not yet validated (3 is undefined).
    pub fn sta(&self) -> u8 {
        self.packet.header()[PROBE_STATE_AT] >> 6
    }

    /// Octet offset where the options start, after all reports.
    pub fn reports_end(&self) -> usize {
        Self::FIXED_LEN + super::PROBE_REPORT_LEN * usize::from(self.psent() + self.precvd())
    }

    /// The reports announced by Psent and Precvd fit in the header.
    pub fn check_reports_len(&self) -> Result<(), Error> {
        if self.reports_end() > self.packet.header_len() {
            return Err(Error::BadHdrExtLen);
        }
        Ok(())
    }

    /// The options after the reports (empty if the reports overrun).
    pub fn options_area(&self) -> &[u8] {
        self.packet
            .header()
            .get(self.reports_end()..)
            .unwrap_or_default()
    }

    /// The 40 octets of report `index` (sent reports first, then received),
    /// or `None` past the announced reports or the header.
    pub fn report(&self, index: usize) -> Option<&[u8]> {
        if index >= usize::from(self.psent() + self.precvd()) {
            return None;
        }
        let at = Self::FIXED_LEN + super::PROBE_REPORT_LEN * index;
        self.packet.header().get(at..at + super::PROBE_REPORT_LEN)
    }
}

impl<T: AsRef<[u8]> + AsMut<[u8]>> ProbePacket<T> {
    /// Both counts are 4-bit; larger values are masked.
    pub fn set_counts(&mut self, precvd: u8, psent: u8) {
        self.packet.header_mut()[PROBE_COUNTS_AT] = ((precvd & 0x0f) << 4) | (psent & 0x0f);
    }

    /// Writes Sta and clears the reserved bits of octet 13.
    pub fn set_sta(&mut self, sta: u8) {
        self.packet.header_mut()[PROBE_STATE_AT] = (sta & 0x03) << 6;
    }
}
