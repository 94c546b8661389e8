//! Shim6 CGA signatures (RFC 5533 §5.15.5).

mod common;

use common::{addr, der_of, key_1024, other_key_1024};
use shim6_cga::{
    generate_rsa_key, sign_cga_locators, sign_locator_list, verify_cga_locators_signature,
    SignatureError, METHOD_CGA, METHOD_HBA,
};
use std::net::Ipv6Addr;

fn locators() -> Vec<Ipv6Addr> {
    vec![addr("2001:db8:1::1"), addr("2001:db8:2::2")]
}

#[test]
fn valid_signature_verifies_and_has_modulus_length() {
    let signature = sign_cga_locators(key_1024(), 7, &locators()).unwrap();
    assert_eq!(signature.len(), 128);
    assert_eq!(
        verify_cga_locators_signature(&der_of(key_1024()), 7, &locators(), &signature),
        Ok(())
    );
}

#[test]
fn tampered_generation_fails() {
    let signature = sign_cga_locators(key_1024(), 7, &locators()).unwrap();
    assert_eq!(
        verify_cga_locators_signature(&der_of(key_1024()), 8, &locators(), &signature),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn tampered_locator_or_order_fails() {
    let signature = sign_cga_locators(key_1024(), 7, &locators()).unwrap();
    let mut changed = locators();
    changed[1] = addr("2001:db8:2::3");
    assert_eq!(
        verify_cga_locators_signature(&der_of(key_1024()), 7, &changed, &signature),
        Err(SignatureError::Invalid)
    );
    let mut reordered = locators();
    reordered.reverse();
    assert_eq!(
        verify_cga_locators_signature(&der_of(key_1024()), 7, &reordered, &signature),
        Err(SignatureError::Invalid)
    );
    let mut flipped = signature.clone();
    flipped[0] ^= 1;
    assert_eq!(
        verify_cga_locators_signature(&der_of(key_1024()), 7, &locators(), &flipped),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn wrong_key_fails() {
    let signature = sign_cga_locators(key_1024(), 7, &locators()).unwrap();
    assert_eq!(
        verify_cga_locators_signature(&der_of(other_key_1024()), 7, &locators(), &signature),
        Err(SignatureError::Invalid)
    );
}

#[test]
fn list_signing_covers_only_cga_locators_in_order() {
    let list = [
        (addr("2001:db8:1::1"), METHOD_CGA),
        (addr("2001:db8:9::9"), METHOD_HBA),
        (addr("2001:db8:2::2"), METHOD_CGA),
    ];
    let signature = sign_locator_list(key_1024(), 42, &list).unwrap();
    assert_eq!(
        verify_cga_locators_signature(&der_of(key_1024()), 42, &locators(), &signature),
        Ok(())
    );
}

#[test]
fn small_keys_and_garbage_keys_are_refused() {
    let small = generate_rsa_key(512).unwrap();
    assert_eq!(
        sign_cga_locators(&small, 1, &locators()),
        Err(SignatureError::KeyTooSmall { bits: 512 })
    );
    assert!(matches!(
        verify_cga_locators_signature(&[0x30, 0x00], 1, &locators(), &[0u8; 128]),
        Err(SignatureError::BadPublicKey(_))
    ));
}
