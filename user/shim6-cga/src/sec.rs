//! The Sec parameter (RFC 3972 §2, RFC 4982).

use thiserror::Error;

/// A Sec value this crate can generate and verify.
///
/// RFC 4982 turned Sec into a registry index; only 0, 1 and 2 are assigned
/// (SHA-1 with 0, 16 or 32 zero bits of Hash2). Values 3–7 are refused rather
/// than guessed (digest conflict 10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Sec(u8);

/// A Sec value outside 0..=2.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
#[error("Sec {0} is not supported (only Sec 0, 1 and 2 are defined for SHA-1 CGAs, RFC 4982)")]
pub struct UnsupportedSec(pub u8);

impl Sec {
    pub const ZERO: Sec = Sec(0);
    pub const ONE: Sec = Sec(1);
    pub const TWO: Sec = Sec(2);

    pub fn new(value: u8) -> Result<Sec, UnsupportedSec> {
        if value <= 2 {
            Ok(Sec(value))
        } else {
            Err(UnsupportedSec(value))
        }
    }

    pub fn value(self) -> u8 {
        self.0
    }

    /// Number of leading zero bits Hash2 must have.
    pub fn hash2_zero_bits(self) -> u32 {
        16 * u32::from(self.0)
    }

    /// Number of leading zero octets Hash2 must have (16·Sec bits is whole octets).
    pub fn hash2_zero_octets(self) -> usize {
        2 * usize::from(self.0)
    }
}

impl TryFrom<u8> for Sec {
    type Error = UnsupportedSec;
    fn try_from(value: u8) -> Result<Self, Self::Error> {
        Sec::new(value)
    }
}

impl std::fmt::Display for Sec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}
