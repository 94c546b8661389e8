//! CGA signatures (RFC 3972 §6) with the Shim6 input (RFC 5533 §5.15.5):
//! RSASSA-PKCS1-v1_5 with SHA-1 over tag ‖ Locator List Generation ‖
//! the CGA-method locators in list order.

use crate::key::{key_bits, public_key_from_der};
use crate::locator_check::METHOD_CGA;
use rsa::{Pkcs1v15Sign, RsaPrivateKey, RsaPublicKey};
use sha1::{Digest, Sha1};
use std::net::Ipv6Addr;
use thiserror::Error;

/// The Shim6 CGA Message Type tag (RFC 5533 §5.15.5).
pub const SHIM6_CGA_TAG: [u8; 16] = [
    0x4a, 0x30, 0x56, 0x62, 0x48, 0x58, 0x57, 0x4b, 0x36, 0x55, 0x41, 0x6f, 0x50, 0x6a, 0x6d, 0x48,
];

/// Shim6 refuses smaller RSA keys for CGA signatures (RFC 5533 §16).
pub const MIN_SHIM6_RSA_BITS: usize = 1024;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum SignatureError {
    #[error("RSA key of {bits} bits is below the {MIN_SHIM6_RSA_BITS}-bit minimum for Shim6")]
    KeyTooSmall { bits: usize },
    #[error("the CGA parameters' public key is not a usable RSA key: {0}")]
    BadPublicKey(String),
    #[error("signing failed: {0}")]
    Signing(String),
    #[error("the CGA signature does not verify")]
    Invalid,
}

/// The octets a Shim6 CGA signature covers: tag ‖ message.
pub fn signature_input(generation: u32, cga_locators: &[Ipv6Addr]) -> Vec<u8> {
    let mut input = SHIM6_CGA_TAG.to_vec();
    input.extend(signed_message(generation, cga_locators));
    input
}

/// The message part M: generation (big-endian) ‖ the locators' 16 octets each.
fn signed_message(generation: u32, cga_locators: &[Ipv6Addr]) -> Vec<u8> {
    let mut message = Vec::with_capacity(4 + 16 * cga_locators.len());
    message.extend_from_slice(&generation.to_be_bytes());
    for locator in cga_locators {
        message.extend_from_slice(&locator.octets());
    }
    message
}

/// The locators of a list whose method is CGA, in list order. Collected with
/// their own index so HBA entries in between never shift them.
pub fn cga_method_locators(locators: &[(Ipv6Addr, u8)]) -> Vec<Ipv6Addr> {
    locators
        .iter()
        .filter(|(_, method)| *method == METHOD_CGA)
        .map(|(address, _)| *address)
        .collect()
}

/// Signs the given CGA-method locators (already selected, in list order).
pub fn sign_cga_locators(
    key: &RsaPrivateKey,
    generation: u32,
    cga_locators: &[Ipv6Addr],
) -> Result<Vec<u8>, SignatureError> {
    sign_with_tag(
        key,
        &SHIM6_CGA_TAG,
        &signed_message(generation, cga_locators),
    )
}

/// Signs a whole Locator List given as (locator, verification method) pairs:
/// only the CGA-method entries are covered.
pub fn sign_locator_list(
    key: &RsaPrivateKey,
    generation: u32,
    locators: &[(Ipv6Addr, u8)],
) -> Result<Vec<u8>, SignatureError> {
    sign_cga_locators(key, generation, &cga_method_locators(locators))
}

/// Verifies a Shim6 CGA signature with the DER public key from the CGA Parameters.
pub fn verify_cga_locators_signature(
    public_key_der: &[u8],
    generation: u32,
    cga_locators: &[Ipv6Addr],
    signature: &[u8],
) -> Result<(), SignatureError> {
    let key = public_key_from_der(public_key_der)
        .map_err(|e| SignatureError::BadPublicKey(e.to_string()))?;
    verify_with_tag(
        &key,
        &SHIM6_CGA_TAG,
        &signed_message(generation, cga_locators),
        signature,
    )
}

/// RFC 3972 §6 signature for any 128-bit type tag and message.
pub fn sign_with_tag(
    key: &RsaPrivateKey,
    tag: &[u8; 16],
    message: &[u8],
) -> Result<Vec<u8>, SignatureError> {
    check_key_size(&key.to_public_key())?;
    key.sign(Pkcs1v15Sign::new::<Sha1>(), &tagged_digest(tag, message))
        .map_err(|e| SignatureError::Signing(e.to_string()))
}

/// RFC 3972 §6 verification (the CGA check of the address is separate).
pub fn verify_with_tag(
    key: &RsaPublicKey,
    tag: &[u8; 16],
    message: &[u8],
    signature: &[u8],
) -> Result<(), SignatureError> {
    check_key_size(key)?;
    key.verify(
        Pkcs1v15Sign::new::<Sha1>(),
        &tagged_digest(tag, message),
        signature,
    )
    .map_err(|_| SignatureError::Invalid)
}

fn tagged_digest(tag: &[u8; 16], message: &[u8]) -> [u8; 20] {
    let mut hasher = Sha1::new();
    hasher.update(tag);
    hasher.update(message);
    hasher.finalize().into()
}

fn check_key_size(key: &RsaPublicKey) -> Result<(), SignatureError> {
    let bits = key_bits(key);
    if bits < MIN_SHIM6_RSA_BITS {
        return Err(SignatureError::KeyTooSmall { bits });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_is_tag_generation_and_cga_locators_only() {
        let a: Ipv6Addr = "2001:db8:1::a".parse().unwrap();
        let b: Ipv6Addr = "2001:db8:2::b".parse().unwrap();
        let c: Ipv6Addr = "2001:db8:3::c".parse().unwrap();
        let list = [(a, METHOD_CGA), (b, 1), (c, METHOD_CGA)];
        let selected = cga_method_locators(&list);
        assert_eq!(selected, vec![a, c]);
        let input = signature_input(0x0102_0304, &selected);
        assert_eq!(input.len(), 16 + 4 + 32);
        assert_eq!(&input[..16], &SHIM6_CGA_TAG);
        assert_eq!(&input[16..20], &[1, 2, 3, 4]);
        assert_eq!(&input[20..36], &a.octets());
        assert_eq!(&input[36..52], &c.octets());
    }
}
