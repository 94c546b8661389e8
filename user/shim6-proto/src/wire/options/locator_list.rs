//! Locator List option, type 2 (RFC 5533 §5.15.2).
//!
//! Contents: Generation (4), N (1), N verification-method octets, zero
//! padding so the locators start 8-aligned, then N 16-octet locators. Unlike
//! every other option, the internal padding is counted in Length.

use std::net::Ipv6Addr;

use super::super::field;
use super::super::Error;

/// How a locator is bound to the ULID. Values follow the §5.15.2 table
/// (1 = HBA, 2 = CGA); §17 of the RFC lists them reversed, Wireshark and
/// LinShim6 agree with §5.15.2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum VerificationMethod {
    Hba,
    Cga,
    /// Any other value (reserved, future or experimental); the caller decides
    /// whether to reject the list (Error code 2).
    Other(u8),
}

impl VerificationMethod {
    pub const HBA: u8 = 1;
    pub const CGA: u8 = 2;
}

impl From<u8> for VerificationMethod {
    fn from(value: u8) -> Self {
        match value {
            Self::HBA => VerificationMethod::Hba,
            Self::CGA => VerificationMethod::Cga,
            other => VerificationMethod::Other(other),
        }
    }
}

impl From<VerificationMethod> for u8 {
    fn from(method: VerificationMethod) -> u8 {
        match method {
            VerificationMethod::Hba => VerificationMethod::HBA,
            VerificationMethod::Cga => VerificationMethod::CGA,
            VerificationMethod::Other(other) => other,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Locator {
    pub addr: Ipv6Addr,
    pub method: VerificationMethod,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct LocatorList {
    pub generation: u32,
    /// Order matters: Locator Preferences refer to locators by position.
    pub locators: Vec<Locator>,
}

const GENERATION_LEN: usize = 4;
const COUNT_LEN: usize = 1;

impl LocatorList {
    /// Offset of the first locator inside the contents; derived from N, not
    /// from Length (the padding is `7 - N mod 8`).
    fn locators_offset(count: usize) -> usize {
        // Relative to the option start the locators begin at
        // pad8(4 + 4 + 1 + N); the contents start 4 octets later.
        field::pad8(4 + GENERATION_LEN + COUNT_LEN + count) - 4
    }

    /// Length field value for `count` locators.
    pub(crate) fn contents_len_for(count: usize) -> usize {
        Self::locators_offset(count) + 16 * count
    }

    pub fn contents_len(&self) -> usize {
        Self::contents_len_for(self.locators.len())
    }

    /// `offset` is the option's position in the header, used in errors.
    pub(crate) fn parse(contents: &[u8], offset: usize) -> Result<LocatorList, Error> {
        let bad = Error::BadOptionLength {
            option_type: super::option_type::LOCATOR_LIST,
            offset,
        };
        let generation = field::u32_at(contents, 0).map_err(|_| bad)?;
        let count = usize::from(*contents.get(GENERATION_LEN).ok_or(bad)?);
        if contents.len() != Self::contents_len_for(count) {
            return Err(bad);
        }
        let methods = field::slice(contents, GENERATION_LEN + COUNT_LEN, count).map_err(|_| bad)?;
        let first = Self::locators_offset(count);
        let mut locators = Vec::with_capacity(count);
        for (index, method) in methods.iter().enumerate() {
            let addr = field::ipv6_at(contents, first + 16 * index).map_err(|_| bad)?;
            locators.push(Locator {
                addr,
                method: VerificationMethod::from(*method),
            });
        }
        Ok(LocatorList {
            generation,
            locators,
        })
    }

    /// Writes the contents into `out`, which is exactly `contents_len()` long
    /// and zeroed.
    pub(crate) fn emit(&self, out: &mut [u8]) -> Result<(), Error> {
        let count = u8::try_from(self.locators.len()).map_err(|_| Error::TooLong)?;
        field::put(out, 0, &self.generation.to_be_bytes())?;
        field::put(out, GENERATION_LEN, &[count])?;
        let first = Self::locators_offset(self.locators.len());
        for (index, locator) in self.locators.iter().enumerate() {
            field::put(
                out,
                GENERATION_LEN + COUNT_LEN + index,
                &[u8::from(locator.method)],
            )?;
            field::put(out, first + 16 * index, &locator.addr.octets())?;
        }
        Ok(())
    }
}
