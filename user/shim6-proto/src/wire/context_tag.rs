//! The 47-bit Shim6 context tag (RFC 5533 §4.1).

use core::fmt;

/// A 47-bit context tag. The constructor rejects values with bit 47 or
/// above set, so every `ContextTag` fits the wire field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct ContextTag(u64);

impl ContextTag {
    /// Largest representable tag.
    pub const MAX: u64 = (1 << 47) - 1;

    /// Returns `None` when `value` does not fit in 47 bits.
    pub const fn new(value: u64) -> Option<ContextTag> {
        if value <= Self::MAX {
            Some(ContextTag(value))
        } else {
            None
        }
    }

    /// Keeps the low 47 bits; used where the top bit on the wire is the
    /// reserved R bit or the P bit and must be ignored.
    pub const fn from_masked(value: u64) -> ContextTag {
        ContextTag(value & Self::MAX)
    }

    pub const fn get(self) -> u64 {
        self.0
    }

    /// Decodes the 6 octets that hold a tag; the top bit (R or P) is ignored.
    pub fn from_wire(octets: [u8; 6]) -> ContextTag {
        let mut wide = [0u8; 8];
        wide[2..].copy_from_slice(&octets);
        ContextTag::from_masked(u64::from_be_bytes(wide))
    }

    /// The 6 octets of the tag with the top bit clear; the caller ORs in P
    /// when writing a payload header.
    pub fn to_wire(self) -> [u8; 6] {
        let wide = self.0.to_be_bytes();
        [wide[2], wide[3], wide[4], wide[5], wide[6], wide[7]]
    }
}

impl fmt::Display for ContextTag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:#014x}", self.0)
    }
}

impl From<ContextTag> for u64 {
    fn from(tag: ContextTag) -> u64 {
        tag.0
    }
}

impl TryFrom<u64> for ContextTag {
    type Error = super::Error;
    fn try_from(value: u64) -> Result<Self, Self::Error> {
        ContextTag::new(value).ok_or(super::Error::InvalidField("context tag wider than 47 bits"))
    }
}
