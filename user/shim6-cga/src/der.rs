//! The little DER the CGA Parameters need: the length of the Public Key field,
//! and the stand-in "key" of a pure HBA set.

use crate::params::ParamsError;
use rand::RngCore;

const SEQUENCE_TAG: u8 = 0x30;

/// Length in octets of the DER SEQUENCE at the start of `bytes` (tag, length
/// octets and content). The Public Key field has no length of its own in the
/// CGA Parameters, so this is the only way to find where extensions start.
pub(crate) fn der_sequence_len(bytes: &[u8]) -> Result<usize, ParamsError> {
    let tag = *bytes.first().ok_or(ParamsError::MissingPublicKey)?;
    if tag != SEQUENCE_TAG {
        return Err(ParamsError::PublicKeyNotSequence { tag });
    }
    let first_length_octet = *bytes.get(1).ok_or(ParamsError::PublicKeyTruncated {
        declared: 2,
        available: bytes.len(),
    })?;
    let (header_len, content_len) = match first_length_octet {
        short @ 0x00..=0x7f => (2, usize::from(short)),
        0x81 => {
            let len = *bytes.get(2).ok_or(ParamsError::PublicKeyTruncated {
                declared: 3,
                available: bytes.len(),
            })?;
            (3, usize::from(len))
        }
        0x82 => {
            let hi = *bytes.get(2).ok_or(ParamsError::PublicKeyTruncated {
                declared: 4,
                available: bytes.len(),
            })?;
            let lo = *bytes.get(3).ok_or(ParamsError::PublicKeyTruncated {
                declared: 4,
                available: bytes.len(),
            })?;
            (4, usize::from(u16::from_be_bytes([hi, lo])))
        }
        // Indefinite length (0x80) is not DER; three or more length octets
        // would describe a key far larger than any IPv6 packet.
        other => {
            return Err(ParamsError::PublicKeyLengthForm {
                first_length_octet: other,
            })
        }
    };
    let total = header_len + content_len;
    if total > bytes.len() {
        return Err(ParamsError::PublicKeyTruncated {
            declared: total,
            available: bytes.len(),
        });
    }
    Ok(total)
}

/// Octets of random data in a pure-HBA Extended Modifier (RFC 5535 §6: 384 bits).
pub const EXTENDED_MODIFIER_LEN: usize = 48;

/// A random 384-bit Extended Modifier dressed as an RSA SubjectPublicKeyInfo
/// (rsaEncryption, NULL parameters), for the Public Key field of a pure HBA set.
///
/// RFC 5535 asks for the RSAPublicKey format but leaves the exponent open
/// (digest conflict 9). We put the random value in the modulus and use the
/// conventional exponent 65537; verifiers only hash these bytes and never
/// use them as a key, so any well-formed choice interoperates.
pub fn random_extended_modifier_key<R: RngCore + ?Sized>(rng: &mut R) -> Vec<u8> {
    let mut random = [0u8; EXTENDED_MODIFIER_LEN];
    rng.fill_bytes(&mut random);
    encode_rsa_spki(&random, &[0x01, 0x00, 0x01])
}

/// DER SubjectPublicKeyInfo for rsaEncryption with the given unsigned
/// big-endian modulus and exponent (both short enough for short-form lengths).
fn encode_rsa_spki(modulus: &[u8], exponent: &[u8]) -> Vec<u8> {
    const RSA_ENCRYPTION_ALGORITHM: [u8; 15] = [
        0x30, 0x0d, // AlgorithmIdentifier SEQUENCE
        0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
        0x01, // OID 1.2.840.113549.1.1.1
        0x05, 0x00, // NULL parameters
    ];
    let mut rsa_public_key = Vec::new();
    rsa_public_key.extend(der_unsigned_integer(modulus));
    rsa_public_key.extend(der_unsigned_integer(exponent));
    let rsa_public_key = der_wrap(SEQUENCE_TAG, &rsa_public_key);

    let mut bit_string_content = vec![0x00]; // no unused bits
    bit_string_content.extend(rsa_public_key);

    let mut spki = RSA_ENCRYPTION_ALGORITHM.to_vec();
    spki.extend(der_wrap(0x03, &bit_string_content));
    der_wrap(SEQUENCE_TAG, &spki)
}

fn der_unsigned_integer(value: &[u8]) -> Vec<u8> {
    let mut content = Vec::with_capacity(value.len() + 1);
    // A set top bit would make the INTEGER negative.
    if value.first().is_some_and(|&b| b & 0x80 != 0) {
        content.push(0x00);
    }
    content.extend_from_slice(value);
    der_wrap(0x02, &content)
}

fn der_wrap(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    if content.len() < 0x80 {
        out.push(content.len() as u8);
    } else {
        // Only reached for contents below 256 octets in this module.
        out.push(0x81);
        out.push(content.len() as u8);
    }
    out.extend_from_slice(content);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sequence_length_forms() {
        assert_eq!(der_sequence_len(&[0x30, 0x01, 0xaa, 0xbb]).unwrap(), 3);
        let mut long = vec![0x30, 0x81, 0x80];
        long.extend([0u8; 0x80]);
        assert_eq!(der_sequence_len(&long).unwrap(), 0x83);
        let mut longer = vec![0x30, 0x82, 0x01, 0x00];
        longer.extend([0u8; 0x100]);
        assert_eq!(der_sequence_len(&longer).unwrap(), 0x104);
        assert_eq!(
            der_sequence_len(&[0x31, 0x00]),
            Err(ParamsError::PublicKeyNotSequence { tag: 0x31 })
        );
        assert_eq!(
            der_sequence_len(&[0x30, 0x80]),
            Err(ParamsError::PublicKeyLengthForm {
                first_length_octet: 0x80
            })
        );
        assert!(matches!(
            der_sequence_len(&[0x30, 0x05, 0x00]),
            Err(ParamsError::PublicKeyTruncated {
                declared: 7,
                available: 3
            })
        ));
    }

    #[test]
    fn extended_modifier_key_is_one_der_sequence_and_random() {
        let mut rng = rand::thread_rng();
        let a = random_extended_modifier_key(&mut rng);
        let b = random_extended_modifier_key(&mut rng);
        assert_eq!(der_sequence_len(&a).unwrap(), a.len());
        assert_ne!(a, b);
        // Parsable as an RSA public key structure: rsaEncryption OID present.
        assert_eq!(
            &a[4..17],
            &[0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00]
        );
    }
}
