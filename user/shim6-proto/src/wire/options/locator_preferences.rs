//! Locator Preferences option, type 3 (RFC 5533 §5.15.3).
//!
//! Contents: Generation (4), Element Len E (1), then one E-octet element per
//! locator of the list with that generation. E = 1: Flags; E = 2: Flags,
//! Priority; E = 3: Flags, Priority, Weight. Larger E keeps those three
//! octets first; the rest is undefined and ignored (emitted as zero).

use super::super::field;
use super::super::Error;

/// The locator is known not to work.
pub const PREF_FLAG_BROKEN: u8 = 0x01;
/// The locator is less stable (e.g. a care-of address).
pub const PREF_FLAG_TRANSIENT: u8 = 0x02;

/// One element. Fields beyond the element length are zero after parsing
/// and are not written by `emit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct LocatorPreference {
    pub flags: u8,
    pub priority: u8,
    pub weight: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct LocatorPreferences {
    pub generation: u32,
    /// Element Len, 1..=255 (1, 2 and 3 are the formats the RFC defines).
    pub element_len: u8,
    pub elements: Vec<LocatorPreference>,
}

const HEAD_LEN: usize = 5;

impl LocatorPreferences {
    pub fn contents_len(&self) -> usize {
        HEAD_LEN + usize::from(self.element_len) * self.elements.len()
    }

    pub(crate) fn parse(contents: &[u8], offset: usize) -> Result<LocatorPreferences, Error> {
        let bad = Error::BadOptionLength {
            option_type: super::option_type::LOCATOR_PREFERENCES,
            offset,
        };
        let generation = field::u32_at(contents, 0).map_err(|_| bad)?;
        let element_len = *contents.get(4).ok_or(bad)?;
        if element_len == 0 {
            return Err(Error::InvalidField("Locator Preferences element length 0"));
        }
        let body = contents.get(HEAD_LEN..).ok_or(bad)?;
        let chunks = body.chunks_exact(usize::from(element_len));
        if !chunks.remainder().is_empty() {
            return Err(bad);
        }
        let elements = chunks
            .map(|element| LocatorPreference {
                flags: element.first().copied().unwrap_or(0),
                priority: element.get(1).copied().unwrap_or(0),
                weight: element.get(2).copied().unwrap_or(0),
            })
            .collect();
        Ok(LocatorPreferences {
            generation,
            element_len,
            elements,
        })
    }

    pub(crate) fn emit(&self, out: &mut [u8]) -> Result<(), Error> {
        if self.element_len == 0 {
            return Err(Error::InvalidField("Locator Preferences element length 0"));
        }
        field::put(out, 0, &self.generation.to_be_bytes())?;
        field::put(out, 4, &[self.element_len])?;
        let width = usize::from(self.element_len);
        for (index, element) in self.elements.iter().enumerate() {
            let bytes = [element.flags, element.priority, element.weight];
            let used = width.min(bytes.len());
            field::put(out, HEAD_LEN + index * width, &bytes[..used])?;
        }
        Ok(())
    }
}
