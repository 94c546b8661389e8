//! RSA key handling: generation, PEM files, and the DER form the CGA
//! Parameters carry.

use rsa::pkcs1::DecodeRsaPrivateKey;
use rsa::pkcs8::{
    DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey, LineEnding,
};
use rsa::traits::PublicKeyParts;
use rsa::{RsaPrivateKey, RsaPublicKey};
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum KeyError {
    #[error("RSA key generation failed: {0}")]
    Generation(String),
    #[error("cannot encode the key: {0}")]
    Encoding(String),
    #[error("not a PEM RSA private key (PKCS#8 or PKCS#1): {0}")]
    BadPrivateKeyPem(String),
    #[error("the public key field is not a DER RSA SubjectPublicKeyInfo: {0}")]
    BadPublicKeyDer(String),
}

pub fn generate_rsa_key(bits: usize) -> Result<RsaPrivateKey, KeyError> {
    RsaPrivateKey::new(&mut rand::thread_rng(), bits)
        .map_err(|e| KeyError::Generation(e.to_string()))
}

/// The DER SubjectPublicKeyInfo (rsaEncryption, NULL parameters) that goes
/// into the Public Key field of the CGA Parameters.
pub fn public_key_der(key: &RsaPublicKey) -> Result<Vec<u8>, KeyError> {
    key.to_public_key_der()
        .map(|doc| doc.as_bytes().to_vec())
        .map_err(|e| KeyError::Encoding(e.to_string()))
}

pub fn public_key_from_der(der: &[u8]) -> Result<RsaPublicKey, KeyError> {
    RsaPublicKey::from_public_key_der(der).map_err(|e| KeyError::BadPublicKeyDer(e.to_string()))
}

pub fn key_bits(key: &RsaPublicKey) -> usize {
    key.n().bits()
}

pub fn private_key_to_pem(key: &RsaPrivateKey) -> Result<String, KeyError> {
    key.to_pkcs8_pem(LineEnding::LF)
        .map(|pem| pem.to_string())
        .map_err(|e| KeyError::Encoding(e.to_string()))
}

/// Accepts PKCS#8 ("PRIVATE KEY") and PKCS#1 ("RSA PRIVATE KEY") PEM, the
/// two forms OpenSSL commonly writes.
pub fn private_key_from_pem(pem: &str) -> Result<RsaPrivateKey, KeyError> {
    match RsaPrivateKey::from_pkcs8_pem(pem) {
        Ok(key) => Ok(key),
        Err(pkcs8_error) => RsaPrivateKey::from_pkcs1_pem(pem).map_err(|pkcs1_error| {
            KeyError::BadPrivateKeyPem(format!("{pkcs8_error}; {pkcs1_error}"))
        }),
    }
}
