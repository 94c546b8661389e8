//! The Multi-Prefix CGA extension (RFC 5535 §5), type 0x0012.

use crate::address::Prefix64;
use crate::params::{Extension, ParamsError};

pub const MULTI_PREFIX_EXT_TYPE: u16 = 0x0012;

/// The P flag and reserved bits occupy the first 4 data octets.
const FLAGS_LEN: usize = 4;
const P_FLAG: u8 = 0x80;
/// Largest prefix count whose data length still fits 16 bits.
pub const MAX_PREFIXES: usize = (u16::MAX as usize - FLAGS_LEN) / 8;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct MultiPrefix {
    /// P flag: true if the Public Key field holds a real key (CGA-compatible
    /// HBA set), false if it holds a random Extended Modifier (pure HBA).
    pub public_key_present: bool,
    pub prefixes: Vec<Prefix64>,
}

impl MultiPrefix {
    /// Parses the extension data (the octets after type and length).
    /// Reserved bits are ignored, as RFC 5535 asks.
    pub fn from_extension_data(data: &[u8]) -> Result<MultiPrefix, ParamsError> {
        if data.len() < FLAGS_LEN || (data.len() - FLAGS_LEN) % 8 != 0 {
            return Err(ParamsError::MultiPrefixBadLength { len: data.len() });
        }
        let public_key_present = data[0] & P_FLAG != 0;
        let prefixes = data[FLAGS_LEN..]
            .chunks_exact(8)
            .map(|chunk| {
                let mut prefix = [0u8; 8];
                prefix.copy_from_slice(chunk);
                prefix
            })
            .collect();
        Ok(MultiPrefix {
            public_key_present,
            prefixes,
        })
    }

    pub fn to_extension(&self) -> Result<Extension, ParamsError> {
        let mut data = Vec::with_capacity(FLAGS_LEN + 8 * self.prefixes.len());
        data.extend_from_slice(&[if self.public_key_present { P_FLAG } else { 0 }, 0, 0, 0]);
        for prefix in &self.prefixes {
            data.extend_from_slice(prefix);
        }
        Extension::new(MULTI_PREFIX_EXT_TYPE, data)
    }

    pub fn contains(&self, prefix: &Prefix64) -> bool {
        self.prefixes.contains(prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::encode_extensions;

    #[test]
    fn matches_the_digest_example() {
        let set = MultiPrefix {
            public_key_present: true,
            prefixes: vec![
                [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0],
                [0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0],
            ],
        };
        let bytes = encode_extensions(&[set.to_extension().unwrap()]);
        assert_eq!(
            bytes,
            [
                0x00, 0x12, 0x00, 0x14, 0x80, 0, 0, 0, 0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0x20,
                0x01, 0x0d, 0xb8, 0, 2, 0, 0
            ]
        );
        assert_eq!(MultiPrefix::from_extension_data(&bytes[4..]).unwrap(), set);
    }

    #[test]
    fn p_flag_and_reserved_bits() {
        let pure =
            MultiPrefix::from_extension_data(&[0x7f, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8])
                .unwrap();
        assert!(!pure.public_key_present);
        assert!(pure.contains(&[1, 2, 3, 4, 5, 6, 7, 8]));
        assert!(!pure.contains(&[1, 2, 3, 4, 5, 6, 7, 9]));
        assert_eq!(
            MultiPrefix::from_extension_data(&[0x80, 0, 0]),
            Err(ParamsError::MultiPrefixBadLength { len: 3 })
        );
    }

    #[test]
    fn too_many_prefixes_is_an_error() {
        let set = MultiPrefix {
            public_key_present: false,
            prefixes: vec![[0; 8]; MAX_PREFIXES + 1],
        };
        assert!(matches!(
            set.to_extension(),
            Err(ParamsError::ExtensionTooLong { .. })
        ));
        let set = MultiPrefix {
            public_key_present: false,
            prefixes: vec![[0; 8]; MAX_PREFIXES],
        };
        assert!(set.to_extension().is_ok());
    }
}
