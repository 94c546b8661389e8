//! Shim6 options (RFC 5533 §5.15, RFC 5534 §5.3): the `Options` container,
//! the parse loop with the critical-bit rule, and emission with padding.

mod locator_list;
mod locator_preferences;
mod option_packet;
mod ulid_pair;

pub use locator_list::{Locator, LocatorList, VerificationMethod};
pub use locator_preferences::{
    LocatorPreference, LocatorPreferences, PREF_FLAG_BROKEN, PREF_FLAG_TRANSIENT,
};
pub use option_packet::OptionPacket;
pub use ulid_pair::UlidPair;

use super::field;
use super::Error;
use option_packet::{total_len, OPTION_HEADER_LEN};

/// Option type numbers (the 15-bit value, before the shift by the C bit).
pub mod option_type {
    pub const RESPONDER_VALIDATOR: u16 = 1;
    pub const LOCATOR_LIST: u16 = 2;
    pub const LOCATOR_PREFERENCES: u16 = 3;
    pub const CGA_PARAMETERS: u16 = 4;
    pub const CGA_SIGNATURE: u16 = 5;
    pub const ULID_PAIR: u16 = 6;
    pub const FORKED_INSTANCE_ID: u16 = 7;
    /// RFC 5534 §5.3.
    pub const KEEPALIVE_TIMEOUT: u16 = 10;
}

/// Set of known option types a message may carry. A known option outside
/// the set is handled like an unknown one (RFC 5533 §5.15).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct OptionSet(u16);

impl OptionSet {
    pub const NONE: OptionSet = OptionSet(0);

    pub const fn with(self, option_type: u16) -> OptionSet {
        OptionSet(self.0 | (1 << option_type))
    }

    pub const fn contains(self, option_type: u16) -> bool {
        option_type < 16 && self.0 & (1 << option_type) != 0
    }
}

/// An option this codec does not interpret (or that is not allowed in the
/// message it came in). Parsing only ever yields non-critical ones; a
/// critical one is an `Error::UnknownCriticalOption`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct UnknownOption {
    pub option_type: u16,
    pub critical: bool,
    /// Contents without padding.
    pub data: Vec<u8>,
}

/// Options of one control message. Known options appear at most once;
/// emission order is the field order below, then `unknown` in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Options {
    /// Type 1: opaque to everyone but the responder that made it.
    pub responder_validator: Option<Vec<u8>>,
    /// Type 2.
    pub locator_list: Option<LocatorList>,
    /// Type 3.
    pub locator_preferences: Option<LocatorPreferences>,
    /// Type 4: the RFC 3972 CGA Parameters of the sender's ULID, raw.
    pub cga_parameters: Option<Vec<u8>>,
    /// Type 5: RSASSA-PKCS1-v1_5 signature, raw.
    pub cga_signature: Option<Vec<u8>>,
    /// Type 6.
    pub ulid_pair: Option<UlidPair>,
    /// Type 7: never sent when zero.
    pub forked_instance_id: Option<u32>,
    /// Type 10: the sender's Send Timeout in seconds.
    pub keepalive_timeout: Option<u16>,
    /// Non-critical options that were skipped, kept for the caller.
    pub unknown: Vec<UnknownOption>,
}

const FII_LEN: usize = 4;
const KEEPALIVE_TIMEOUT_LEN: usize = 4;

fn store<T>(slot: &mut Option<T>, value: T, option_type: u16, offset: usize) -> Result<(), Error> {
    if slot.is_some() {
        return Err(Error::DuplicateOption {
            option_type,
            offset,
        });
    }
    *slot = Some(value);
    Ok(())
}

impl Options {
    /// No options at all.
    pub const EMPTY: Options = Options {
        responder_validator: None,
        locator_list: None,
        locator_preferences: None,
        cga_parameters: None,
        cga_signature: None,
        ulid_pair: None,
        forked_instance_id: None,
        keepalive_timeout: None,
        unknown: Vec::new(),
    };

    pub fn is_empty(&self) -> bool {
        *self == Options::default()
    }

    /// Parses the options in `header[start..]`; `header` is the whole Shim6
    /// header so that error offsets count from its first octet.
    pub fn parse(header: &[u8], start: usize, allowed: OptionSet) -> Result<Options, Error> {
        let mut options = Options::default();
        let mut offset = start;
        while offset < header.len() {
            let rest = header.get(offset..).ok_or(Error::Truncated)?;
            let word = field::u16_at(rest, 0)?;
            let option_type = word >> 1;
            let critical = word & 1 != 0;
            let bad = Error::BadOptionLength {
                option_type,
                offset,
            };
            let length = field::u16_at(rest, 2).map_err(|_| bad)?;
            let total = total_len(length);
            if total > rest.len() {
                return Err(bad);
            }
            let contents = field::slice(rest, OPTION_HEADER_LEN, usize::from(length))?;
            options.parse_one(option_type, critical, contents, offset, allowed)?;
            offset += total;
        }
        Ok(options)
    }

    fn parse_one(
        &mut self,
        option_type: u16,
        critical: bool,
        contents: &[u8],
        offset: usize,
        allowed: OptionSet,
    ) -> Result<(), Error> {
        use self::option_type as t;
        if !allowed.contains(option_type) {
            if critical {
                return Err(Error::UnknownCriticalOption {
                    option_type,
                    offset,
                });
            }
            self.unknown.push(UnknownOption {
                option_type,
                critical,
                data: contents.to_vec(),
            });
            return Ok(());
        }
        let bad = Error::BadOptionLength {
            option_type,
            offset,
        };
        match option_type {
            t::RESPONDER_VALIDATOR => store(
                &mut self.responder_validator,
                contents.to_vec(),
                option_type,
                offset,
            ),
            t::LOCATOR_LIST => {
                let list = LocatorList::parse(contents, offset)?;
                store(&mut self.locator_list, list, option_type, offset)
            }
            t::LOCATOR_PREFERENCES => {
                let prefs = LocatorPreferences::parse(contents, offset)?;
                store(&mut self.locator_preferences, prefs, option_type, offset)
            }
            t::CGA_PARAMETERS => store(
                &mut self.cga_parameters,
                contents.to_vec(),
                option_type,
                offset,
            ),
            t::CGA_SIGNATURE => store(
                &mut self.cga_signature,
                contents.to_vec(),
                option_type,
                offset,
            ),
            t::ULID_PAIR => {
                let pair = UlidPair::parse(contents, offset)?;
                store(&mut self.ulid_pair, pair, option_type, offset)
            }
            t::FORKED_INSTANCE_ID => {
                if contents.len() != FII_LEN {
                    return Err(bad);
                }
                let fii = field::u32_at(contents, 0)?;
                store(&mut self.forked_instance_id, fii, option_type, offset)
            }
            t::KEEPALIVE_TIMEOUT => {
                if contents.len() != KEEPALIVE_TIMEOUT_LEN {
                    return Err(bad);
                }
                // Octets 0-1 are reserved.
                let seconds = field::u16_at(contents, 2)?;
                store(&mut self.keepalive_timeout, seconds, option_type, offset)
            }
            // An `OptionSet` only ever holds the types above; anything else
            // was filtered out before the match.
            _ => Err(Error::UnknownCriticalOption {
                option_type,
                offset,
            }),
        }
    }

    /// Octets the options take on the wire, padding included.
    pub fn buffer_len(&self) -> usize {
        let padded = |contents: usize| field::pad8(OPTION_HEADER_LEN + contents);
        self.responder_validator
            .as_ref()
            .map_or(0, |v| padded(v.len()))
            + self
                .locator_list
                .as_ref()
                .map_or(0, |l| padded(l.contents_len()))
            + self
                .locator_preferences
                .as_ref()
                .map_or(0, |p| padded(p.contents_len()))
            + self.cga_parameters.as_ref().map_or(0, |p| padded(p.len()))
            + self.cga_signature.as_ref().map_or(0, |s| padded(s.len()))
            + self
                .ulid_pair
                .map_or(0, |_| padded(ulid_pair::ULID_PAIR_LEN))
            + self.forked_instance_id.map_or(0, |_| padded(FII_LEN))
            + self
                .keepalive_timeout
                .map_or(0, |_| padded(KEEPALIVE_TIMEOUT_LEN))
            + self
                .unknown
                .iter()
                .map(|u| padded(u.data.len()))
                .sum::<usize>()
    }

    /// Writes the options at the start of `out` (which must be zeroed so the
    /// padding is zero) and returns the number of octets written.
    pub fn emit(&self, out: &mut [u8]) -> Result<usize, Error> {
        use self::option_type as t;
        let mut writer = OptionWriter { out, offset: 0 };
        if let Some(v) = &self.responder_validator {
            writer.write(t::RESPONDER_VALIDATOR, false, v.len(), |c| {
                field::put(c, 0, v)
            })?;
        }
        if let Some(list) = &self.locator_list {
            writer.write(t::LOCATOR_LIST, false, list.contents_len(), |c| {
                list.emit(c)
            })?;
        }
        if let Some(prefs) = &self.locator_preferences {
            writer.write(t::LOCATOR_PREFERENCES, false, prefs.contents_len(), |c| {
                prefs.emit(c)
            })?;
        }
        if let Some(pds) = &self.cga_parameters {
            writer.write(t::CGA_PARAMETERS, false, pds.len(), |c| {
                field::put(c, 0, pds)
            })?;
        }
        if let Some(sig) = &self.cga_signature {
            writer.write(t::CGA_SIGNATURE, false, sig.len(), |c| {
                field::put(c, 0, sig)
            })?;
        }
        if let Some(pair) = &self.ulid_pair {
            writer.write(t::ULID_PAIR, false, ulid_pair::ULID_PAIR_LEN, |c| {
                pair.emit(c)
            })?;
        }
        if let Some(fii) = self.forked_instance_id {
            writer.write(t::FORKED_INSTANCE_ID, false, FII_LEN, |c| {
                field::put(c, 0, &fii.to_be_bytes())
            })?;
        }
        if let Some(seconds) = self.keepalive_timeout {
            writer.write(t::KEEPALIVE_TIMEOUT, false, KEEPALIVE_TIMEOUT_LEN, |c| {
                field::put(c, 2, &seconds.to_be_bytes())
            })?;
        }
        for unknown in &self.unknown {
            writer.write(
                unknown.option_type,
                unknown.critical,
                unknown.data.len(),
                |c| field::put(c, 0, &unknown.data),
            )?;
        }
        Ok(writer.offset)
    }
}

/// Appends TLVs to a zeroed buffer, keeping each one 8-aligned.
struct OptionWriter<'a> {
    out: &'a mut [u8],
    offset: usize,
}

impl OptionWriter<'_> {
    fn write(
        &mut self,
        option_type: u16,
        critical: bool,
        contents_len: usize,
        fill: impl FnOnce(&mut [u8]) -> Result<(), Error>,
    ) -> Result<(), Error> {
        if option_type > 0x7fff {
            return Err(Error::InvalidField("option type wider than 15 bits"));
        }
        let length = u16::try_from(contents_len).map_err(|_| Error::TooLong)?;
        let end = self.offset + total_len(length);
        let slot = self
            .out
            .get_mut(self.offset..end)
            .ok_or(Error::BufferTooSmall)?;
        let mut packet = OptionPacket::new_unchecked(slot);
        packet.set_type_and_critical(option_type, critical);
        packet.set_length(length);
        fill(packet.contents_mut())?;
        self.offset = end;
        Ok(())
    }
}

/// Offset (from the start of the Shim6 header) of the first option of type
/// `wanted` in a control message, for building the Pointer of an Error
/// message (codes 2-4 point into an option). `None` when absent or when the
/// message is malformed.
pub fn find_option_offset(message: &[u8], options_start: usize, wanted: u16) -> Option<usize> {
    let hdr_ext_len = usize::from(*message.get(1)?);
    let header = message.get(..(hdr_ext_len + 1) * 8)?;
    let mut offset = options_start;
    while offset < header.len() {
        let word = field::u16_at(header, offset).ok()?;
        let length = field::u16_at(header, offset + 2).ok()?;
        if word >> 1 == wanted {
            return Some(offset);
        }
        offset += total_len(length);
    }
    None
}
