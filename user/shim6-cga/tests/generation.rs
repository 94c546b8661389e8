//! Generate → verify round trips.

mod common;

use common::{addr, der_of, key_1024, prefix, with_iid_octet_flipped, with_prefix};
use shim6_cga::generate::MAX_COLLISION_COUNT;
use shim6_cga::hash::sec_bits_of;
use shim6_cga::{
    cga_address, generate_cga, next_collision, verify_cga, CgaParams, Extension, GenerateError,
    SearchOptions, Sec, VerifyError,
};

#[test]
fn sec_0_round_trip() {
    let key = der_of(key_1024());
    let generated = generate_cga(
        prefix("2001:db8:1::/64"),
        &key,
        Sec::ZERO,
        vec![],
        &SearchOptions::default(),
    )
    .unwrap();
    assert_eq!(generated.modifiers_tried, 0);
    assert_eq!(sec_bits_of(&generated.address), 0);
    assert_eq!(&generated.address.octets()[..8], &prefix("2001:db8:1::/64"));
    let verified = verify_cga(generated.address, &generated.params.encode()).unwrap();
    assert_eq!(verified.sec, Sec::ZERO);
    assert_eq!(verified.params.public_key, key);
}

#[test]
fn sec_1_round_trip_with_all_threads() {
    let key = der_of(key_1024());
    let generated = generate_cga(
        prefix("2001:db8:2::/64"),
        &key,
        Sec::ONE,
        vec![],
        &SearchOptions::default(),
    )
    .unwrap();
    assert_eq!(sec_bits_of(&generated.address), 1);
    let encoded = generated.params.encode();
    assert_eq!(
        verify_cga(generated.address, &encoded).unwrap().sec,
        Sec::ONE
    );
    assert_eq!(
        verify_cga(with_iid_octet_flipped(generated.address, 4), &encoded).unwrap_err(),
        VerifyError::Hash1Mismatch
    );
    assert!(matches!(
        verify_cga(
            with_prefix(generated.address, prefix("2001:db8:3::/64")),
            &encoded
        ),
        Err(VerifyError::SubnetPrefixMismatch { .. })
    ));
}

#[test]
fn unknown_extensions_are_kept_and_hashed() {
    let key = der_of(key_1024());
    let extension = Extension::new(0xfffd, vec![9, 9, 9]).unwrap();
    let generated = generate_cga(
        prefix("2001:db8:4::/64"),
        &key,
        Sec::ZERO,
        vec![extension],
        &SearchOptions::default(),
    )
    .unwrap();
    let mut encoded = generated.params.encode();
    assert_eq!(&encoded[encoded.len() - 7..], &[0xff, 0xfd, 0, 3, 9, 9, 9]);
    assert!(verify_cga(generated.address, &encoded).is_ok());
    let last = encoded.len() - 1;
    encoded[last] = 8;
    assert_eq!(
        verify_cga(generated.address, &encoded).unwrap_err(),
        VerifyError::Hash1Mismatch
    );
}

#[test]
fn collision_count_steps_to_two_then_gives_up() {
    let key = der_of(key_1024());
    let first = generate_cga(
        prefix("2001:db8:5::/64"),
        &key,
        Sec::ZERO,
        vec![],
        &SearchOptions::default(),
    )
    .unwrap();
    let (second_address, second) = next_collision(&first.params, Sec::ZERO).unwrap();
    let (third_address, third) = next_collision(&second, Sec::ZERO).unwrap();
    assert_eq!(third.collision_count, MAX_COLLISION_COUNT);
    assert_ne!(second_address, first.address);
    assert_ne!(third_address, second_address);
    assert!(verify_cga(third_address, &third.encode()).is_ok());
    assert_eq!(
        next_collision(&third, Sec::ZERO).unwrap_err(),
        GenerateError::TooManyCollisions
    );
}

#[test]
fn modifier_reused_on_another_prefix_still_verifies() {
    let key = der_of(key_1024());
    let generated = generate_cga(
        prefix("2001:db8:6::/64"),
        &key,
        Sec::ONE,
        vec![],
        &SearchOptions::default(),
    )
    .unwrap();
    let mut moved = generated.params.clone();
    moved.subnet_prefix = prefix("2001:db8:7::/64");
    let moved_address = cga_address(&moved, Sec::ONE);
    assert_eq!(
        verify_cga(moved_address, &moved.encode()).unwrap().sec,
        Sec::ONE
    );
}

#[test]
fn rejects_a_public_key_that_is_not_one_der_sequence() {
    let mut key = der_of(key_1024());
    key.push(0);
    let outcome = generate_cga(
        prefix("2001:db8:8::/64"),
        &key,
        Sec::ZERO,
        vec![],
        &SearchOptions::default(),
    );
    assert!(matches!(outcome, Err(GenerateError::BadPublicKey(_))));
    let outcome = generate_cga(
        prefix("2001:db8:8::/64"),
        &[0x04, 0x00],
        Sec::ZERO,
        vec![],
        &SearchOptions::default(),
    );
    assert!(matches!(outcome, Err(GenerateError::BadPublicKey(_))));
}

#[test]
fn decoded_generated_params_round_trip() {
    let key = der_of(key_1024());
    let generated = generate_cga(
        prefix("2001:db8:9::/64"),
        &key,
        Sec::ZERO,
        vec![],
        &SearchOptions::default(),
    )
    .unwrap();
    assert_eq!(
        CgaParams::decode(&generated.params.encode()).unwrap(),
        generated.params
    );
    assert_eq!(
        addr("2001:db8:9::").octets()[..8],
        generated.address.octets()[..8]
    );
}
