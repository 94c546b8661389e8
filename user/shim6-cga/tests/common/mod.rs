//! Keys shared by the tests of one binary (RSA key generation is the slow part).
#![allow(dead_code)]

use shim6_cga::{generate_rsa_key, public_key_der, RsaPrivateKey};
use std::net::Ipv6Addr;
use std::sync::OnceLock;

pub fn key_1024() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| generate_rsa_key(1024).expect("RSA-1024"))
}

pub fn other_key_1024() -> &'static RsaPrivateKey {
    static KEY: OnceLock<RsaPrivateKey> = OnceLock::new();
    KEY.get_or_init(|| generate_rsa_key(1024).expect("RSA-1024"))
}

pub fn der_of(key: &RsaPrivateKey) -> Vec<u8> {
    public_key_der(&key.to_public_key()).expect("DER")
}

pub fn prefix(text: &str) -> [u8; 8] {
    shim6_cga::parse_prefix64(text).expect("prefix")
}

pub fn addr(text: &str) -> Ipv6Addr {
    text.parse().expect("address")
}

/// The same address with one interface-identifier octet changed.
pub fn with_iid_octet_flipped(address: Ipv6Addr, octet: usize) -> Ipv6Addr {
    let mut octets = address.octets();
    octets[8 + octet] ^= 0x01;
    Ipv6Addr::from(octets)
}

/// The same interface identifier under another /64.
pub fn with_prefix(address: Ipv6Addr, new_prefix: [u8; 8]) -> Ipv6Addr {
    let mut octets = address.octets();
    octets[..8].copy_from_slice(&new_prefix);
    Ipv6Addr::from(octets)
}
