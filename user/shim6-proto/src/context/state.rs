//! Context states of RFC 5533 §6.2 / Appendix B.

use core::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContextState {
    Idle,
    I1Sent,
    I2Sent,
    I2bisSent,
    Established,
    /// Establishment failed (no answer); held for NO_R1_HOLDDOWN_TIME.
    EFailed,
    /// The peer does not speak Shim6 (ICMP); held for ICMP_HOLDDOWN_TIME.
    NoSupport,
}

impl ContextState {
    /// The Appendix B spelling.
    pub const fn rfc_name(self) -> &'static str {
        match self {
            ContextState::Idle => "IDLE",
            ContextState::I1Sent => "I1-SENT",
            ContextState::I2Sent => "I2-SENT",
            ContextState::I2bisSent => "I2BIS-SENT",
            ContextState::Established => "ESTABLISHED",
            ContextState::EFailed => "E-FAILED",
            ContextState::NoSupport => "NO-SUPPORT",
        }
    }

    /// States that hold the peer's tag and locators and so carry payload.
    pub const fn has_peer_state(self) -> bool {
        matches!(self, ContextState::Established | ContextState::I2bisSent)
    }

    /// States that are only a negative cache: treated like IDLE on receipt.
    pub const fn is_holddown(self) -> bool {
        matches!(self, ContextState::EFailed | ContextState::NoSupport)
    }
}

impl fmt::Display for ContextState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.rfc_name())
    }
}
