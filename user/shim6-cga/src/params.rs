//! The CGA Parameters data structure (RFC 3972 §3) and its extension fields
//! (RFC 4581 §2).

use crate::address::{prefix_as_address, Prefix64};
use crate::der::der_sequence_len;
use crate::multi_prefix::{MultiPrefix, MULTI_PREFIX_EXT_TYPE};
use std::net::Ipv6Addr;
use thiserror::Error;

pub const MODIFIER_LEN: usize = 16;
pub const SUBNET_PREFIX_LEN: usize = 8;
/// Modifier, subnet prefix and collision count: everything before the key.
pub const FIXED_PART_LEN: usize = MODIFIER_LEN + SUBNET_PREFIX_LEN + 1;
const EXTENSION_HEADER_LEN: usize = 4;

/// Why a byte string is not a well-formed CGA Parameters data structure.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum ParamsError {
    #[error("CGA parameters too short: {len} octets, the fixed part alone is 25")]
    TooShort { len: usize },
    #[error("CGA parameters have no public key after the collision count")]
    MissingPublicKey,
    #[error("public key is not a DER SEQUENCE (first octet {tag:#04x})")]
    PublicKeyNotSequence { tag: u8 },
    #[error(
        "public key uses an unsupported DER length form (length octet {first_length_octet:#04x})"
    )]
    PublicKeyLengthForm { first_length_octet: u8 },
    #[error("public key truncated: DER says {declared} octets, only {available} present")]
    PublicKeyTruncated { declared: usize, available: usize },
    #[error("extension field at offset {offset} is truncated")]
    ExtensionTruncated { offset: usize },
    #[error("extension data of {len} octets does not fit the 16-bit length field")]
    ExtensionTooLong { len: usize },
    #[error("Multi-Prefix extension has bad data length {len} (must be 4 + 8·n)")]
    MultiPrefixBadLength { len: usize },
    #[error("more than one Multi-Prefix extension")]
    DuplicateMultiPrefix,
}

/// One RFC 4581 extension field. Unknown types are kept verbatim: they are
/// ignored by this crate but are still covered by Hash1 and Hash2.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Extension {
    ext_type: u16,
    data: Vec<u8>,
}

impl Extension {
    pub fn new(ext_type: u16, data: Vec<u8>) -> Result<Extension, ParamsError> {
        if data.len() > usize::from(u16::MAX) {
            return Err(ParamsError::ExtensionTooLong { len: data.len() });
        }
        Ok(Extension { ext_type, data })
    }

    pub fn ext_type(&self) -> u16 {
        self.ext_type
    }

    pub fn data(&self) -> &[u8] {
        &self.data
    }

    fn encode_into(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.ext_type.to_be_bytes());
        // `new` guarantees the length fits.
        out.extend_from_slice(&(self.data.len() as u16).to_be_bytes());
        out.extend_from_slice(&self.data);
    }
}

/// A decoded CGA Parameters data structure.
///
/// `decode` followed by `encode` reproduces the input exactly, so hashes can
/// be computed from either form.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CgaParams {
    pub modifier: [u8; MODIFIER_LEN],
    pub subnet_prefix: Prefix64,
    pub collision_count: u8,
    /// DER SubjectPublicKeyInfo, exactly as carried (one DER SEQUENCE).
    pub public_key: Vec<u8>,
    pub extensions: Vec<Extension>,
}

impl CgaParams {
    pub fn decode(bytes: &[u8]) -> Result<CgaParams, ParamsError> {
        if bytes.len() < FIXED_PART_LEN {
            return Err(ParamsError::TooShort { len: bytes.len() });
        }
        let mut modifier = [0u8; MODIFIER_LEN];
        modifier.copy_from_slice(&bytes[..MODIFIER_LEN]);
        let mut subnet_prefix = [0u8; SUBNET_PREFIX_LEN];
        subnet_prefix.copy_from_slice(&bytes[MODIFIER_LEN..MODIFIER_LEN + SUBNET_PREFIX_LEN]);
        let collision_count = bytes[FIXED_PART_LEN - 1];

        let key_and_rest = &bytes[FIXED_PART_LEN..];
        let key_len = der_sequence_len(key_and_rest)?;
        let public_key = key_and_rest[..key_len].to_vec();
        let extensions = decode_extensions(&key_and_rest[key_len..], FIXED_PART_LEN + key_len)?;

        Ok(CgaParams {
            modifier,
            subnet_prefix,
            collision_count,
            public_key,
            extensions,
        })
    }

    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(FIXED_PART_LEN + self.public_key.len() + 64);
        out.extend_from_slice(&self.modifier);
        out.extend_from_slice(&self.subnet_prefix);
        out.push(self.collision_count);
        out.extend_from_slice(&self.public_key);
        out.extend(self.encoded_extensions());
        out
    }

    /// The Extension Fields area as it appears after the public key.
    pub fn encoded_extensions(&self) -> Vec<u8> {
        encode_extensions(&self.extensions)
    }

    /// The Multi-Prefix extension, if present. `decode` has already checked
    /// its shape, so only hand-built parameters can fail here.
    pub fn multi_prefix(&self) -> Result<Option<MultiPrefix>, ParamsError> {
        let mut found = None;
        for extension in &self.extensions {
            if extension.ext_type == MULTI_PREFIX_EXT_TYPE {
                if found.is_some() {
                    return Err(ParamsError::DuplicateMultiPrefix);
                }
                found = Some(MultiPrefix::from_extension_data(&extension.data)?);
            }
        }
        Ok(found)
    }

    pub fn subnet_prefix_address(&self) -> Ipv6Addr {
        prefix_as_address(&self.subnet_prefix)
    }
}

pub(crate) fn encode_extensions(extensions: &[Extension]) -> Vec<u8> {
    let mut out = Vec::new();
    for extension in extensions {
        extension.encode_into(&mut out);
    }
    out
}

/// `base_offset` is the area's offset in the whole structure, for error messages.
fn decode_extensions(mut area: &[u8], base_offset: usize) -> Result<Vec<Extension>, ParamsError> {
    let mut extensions = Vec::new();
    let mut offset = base_offset;
    let mut seen_multi_prefix = false;
    while !area.is_empty() {
        if area.len() < EXTENSION_HEADER_LEN {
            return Err(ParamsError::ExtensionTruncated { offset });
        }
        let ext_type = u16::from_be_bytes([area[0], area[1]]);
        let data_len = usize::from(u16::from_be_bytes([area[2], area[3]]));
        let end = EXTENSION_HEADER_LEN + data_len;
        if area.len() < end {
            return Err(ParamsError::ExtensionTruncated { offset });
        }
        let data = area[EXTENSION_HEADER_LEN..end].to_vec();
        if ext_type == MULTI_PREFIX_EXT_TYPE {
            if seen_multi_prefix {
                return Err(ParamsError::DuplicateMultiPrefix);
            }
            seen_multi_prefix = true;
            MultiPrefix::from_extension_data(&data)?;
        }
        extensions.push(Extension { ext_type, data });
        area = &area[end..];
        offset += end;
    }
    Ok(extensions)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn minimal_key() -> Vec<u8> {
        vec![0x30, 0x03, 0x02, 0x01, 0x05]
    }

    fn sample() -> CgaParams {
        CgaParams {
            modifier: [7; 16],
            subnet_prefix: [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1],
            collision_count: 1,
            public_key: minimal_key(),
            extensions: vec![Extension::new(0xfffd, vec![1, 2, 3]).unwrap()],
        }
    }

    #[test]
    fn encodes_fields_at_rfc_offsets() {
        let bytes = sample().encode();
        assert_eq!(&bytes[..16], &[7; 16]);
        assert_eq!(&bytes[16..24], &[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1]);
        assert_eq!(bytes[24], 1);
        assert_eq!(&bytes[25..30], &minimal_key()[..]);
        assert_eq!(&bytes[30..], &[0xff, 0xfd, 0x00, 0x03, 1, 2, 3]);
        assert_eq!(CgaParams::decode(&bytes).unwrap(), sample());
    }

    #[test]
    fn rejects_truncation_everywhere() {
        let bytes = sample().encode();
        assert_eq!(
            CgaParams::decode(&bytes[..24]),
            Err(ParamsError::TooShort { len: 24 })
        );
        assert_eq!(
            CgaParams::decode(&bytes[..25]),
            Err(ParamsError::MissingPublicKey)
        );
        assert!(matches!(
            CgaParams::decode(&bytes[..28]),
            Err(ParamsError::PublicKeyTruncated { .. })
        ));
        assert_eq!(
            CgaParams::decode(&bytes[..32]),
            Err(ParamsError::ExtensionTruncated { offset: 30 })
        );
        assert_eq!(
            CgaParams::decode(&bytes[..36]),
            Err(ParamsError::ExtensionTruncated { offset: 30 })
        );
    }

    #[test]
    fn rejects_malformed_or_duplicate_multi_prefix() {
        let mut params = sample();
        params.extensions =
            vec![Extension::new(MULTI_PREFIX_EXT_TYPE, vec![0x80, 0, 0, 0, 1, 2, 3]).unwrap()];
        assert_eq!(
            CgaParams::decode(&params.encode()),
            Err(ParamsError::MultiPrefixBadLength { len: 7 })
        );
        let good = Extension::new(
            MULTI_PREFIX_EXT_TYPE,
            vec![0x80, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8],
        )
        .unwrap();
        params.extensions = vec![good.clone(), good];
        assert_eq!(
            CgaParams::decode(&params.encode()),
            Err(ParamsError::DuplicateMultiPrefix)
        );
        assert_eq!(
            params.multi_prefix(),
            Err(ParamsError::DuplicateMultiPrefix)
        );
    }

    #[test]
    fn extension_length_is_bounded() {
        assert_eq!(
            Extension::new(1, vec![0; 65536]),
            Err(ParamsError::ExtensionTooLong { len: 65536 })
        );
        assert!(Extension::new(1, vec![0; 65535]).is_ok());
    }
}
