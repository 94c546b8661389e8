//! End-to-end checks of a received Locator List.

mod common;

use common::{addr, der_of, key_1024, other_key_1024, prefix, with_iid_octet_flipped, with_prefix};
use shim6_cga::{
    check_locator_list, generate_cga, generate_hba_set, sign_locator_list, HbaKey, HbaSet,
    LocatorListError, SearchOptions, Sec, SignatureError, VerificationMethod, VerifyError,
    METHOD_CGA, METHOD_HBA,
};
use std::net::Ipv6Addr;

fn cga_compatible_set() -> HbaSet {
    let prefixes = [
        prefix("2001:db8:1::/64"),
        prefix("2001:db8:2::/64"),
        prefix("2001:db8:3::/64"),
    ];
    generate_hba_set(
        &prefixes,
        Sec::ONE,
        HbaKey::Cga(&der_of(key_1024())),
        &SearchOptions::default(),
    )
    .unwrap()
}

fn pure_set() -> HbaSet {
    let prefixes = [prefix("2001:db8:1::/64"), prefix("2001:db8:2::/64")];
    generate_hba_set(
        &prefixes,
        Sec::ZERO,
        HbaKey::Pure,
        &SearchOptions::default(),
    )
    .unwrap()
}

#[test]
fn mixed_list_passes_with_per_locator_results() {
    let set = cga_compatible_set();
    let ulid = set.addresses[0];
    let list = [
        (set.addresses[1], METHOD_HBA),
        (addr("2001:db8:77::1"), METHOD_CGA), // outside the set: covered by the signature
        (set.addresses[2], METHOD_HBA),
        (addr("2001:db8:78::1"), METHOD_CGA),
    ];
    let signature = sign_locator_list(key_1024(), 5, &list).unwrap();
    let checked =
        check_locator_list(ulid, &set.params[0].encode(), 5, &list, Some(&signature)).unwrap();
    assert_eq!(checked.len(), 4);
    assert_eq!(checked[0].method, VerificationMethod::Hba);
    assert_eq!(checked[1].method, VerificationMethod::Cga);
    assert_eq!(checked[3].address, addr("2001:db8:78::1"));
    assert!(checked.iter().all(|locator| locator.sec == Sec::ONE));
}

#[test]
fn plain_cga_ulid_with_signed_locators_passes() {
    let key = der_of(key_1024());
    let ulid = generate_cga(
        prefix("2001:db8:a::/64"),
        &key,
        Sec::ZERO,
        vec![],
        &SearchOptions::default(),
    )
    .unwrap();
    let list = [
        (ulid.address, METHOD_CGA),
        (addr("2001:db8:b::5"), METHOD_CGA),
    ];
    let signature = sign_locator_list(key_1024(), u32::MAX, &list).unwrap();
    let checked = check_locator_list(
        ulid.address,
        &ulid.params.encode(),
        u32::MAX,
        &list,
        Some(&signature),
    )
    .unwrap();
    assert_eq!(checked.len(), 2);
    assert_eq!(checked[0].sec, Sec::ZERO);
}

#[test]
fn bad_signatures_are_rejected() {
    let set = cga_compatible_set();
    let params = set.params[0].encode();
    let list = [
        (set.addresses[1], METHOD_HBA),
        (addr("2001:db8:77::1"), METHOD_CGA),
    ];
    let signature = sign_locator_list(key_1024(), 5, &list).unwrap();
    assert_eq!(
        check_locator_list(set.addresses[0], &params, 6, &list, Some(&signature)).unwrap_err(),
        LocatorListError::BadSignature(SignatureError::Invalid)
    );
    let forged = sign_locator_list(other_key_1024(), 5, &list).unwrap();
    assert_eq!(
        check_locator_list(set.addresses[0], &params, 5, &list, Some(&forged)).unwrap_err(),
        LocatorListError::BadSignature(SignatureError::Invalid)
    );
    assert_eq!(
        check_locator_list(set.addresses[0], &params, 5, &list, None).unwrap_err(),
        LocatorListError::MissingSignature
    );
}

#[test]
fn hba_locator_outside_the_set_is_rejected() {
    let set = cga_compatible_set();
    let params = set.params[0].encode();
    let outsider = with_prefix(set.addresses[1], prefix("2001:db8:4::/64"));
    let list = [(set.addresses[1], METHOD_HBA), (outsider, METHOD_HBA)];
    assert_eq!(
        check_locator_list(set.addresses[0], &params, 1, &list, None).unwrap_err(),
        LocatorListError::NotInHbaSet {
            index: 1,
            address: outsider,
            reason: VerifyError::PrefixNotInSet(addr("2001:db8:4::"))
        }
    );
    let forged_iid = with_iid_octet_flipped(set.addresses[2], 3);
    let list = [(forged_iid, METHOD_HBA)];
    assert!(matches!(
        check_locator_list(set.addresses[0], &params, 1, &list, None),
        Err(LocatorListError::NotInHbaSet {
            index: 0,
            reason: VerifyError::Hash1Mismatch,
            ..
        })
    ));
}

#[test]
fn pure_hba_accepts_members_but_cannot_back_cga_locators() {
    let set = pure_set();
    let params = set.params[0].encode();
    let members: Vec<(Ipv6Addr, u8)> = set.addresses.iter().map(|a| (*a, METHOD_HBA)).collect();
    assert_eq!(
        check_locator_list(set.addresses[0], &params, 1, &members, None)
            .unwrap()
            .len(),
        2
    );
    let list = [
        (set.addresses[1], METHOD_HBA),
        (addr("2001:db8:5::1"), METHOD_CGA),
    ];
    assert_eq!(
        check_locator_list(set.addresses[0], &params, 1, &list, Some(&[0u8; 128])).unwrap_err(),
        LocatorListError::CgaWithoutPublicKey { index: 1 }
    );
}

#[test]
fn method_problems_name_the_locator() {
    let set = pure_set();
    let params = set.params[0].encode();
    let list = [(set.addresses[1], METHOD_HBA), (set.addresses[0], 3)];
    assert_eq!(
        check_locator_list(set.addresses[0], &params, 1, &list, None).unwrap_err(),
        LocatorListError::UnknownMethod {
            index: 1,
            method: 3
        }
    );

    let key = der_of(key_1024());
    let cga = generate_cga(
        prefix("2001:db8:c::/64"),
        &key,
        Sec::ZERO,
        vec![],
        &SearchOptions::default(),
    )
    .unwrap();
    let list = [(cga.address, METHOD_HBA)];
    assert_eq!(
        check_locator_list(cga.address, &cga.params.encode(), 1, &list, None).unwrap_err(),
        LocatorListError::HbaWithoutMultiPrefix { index: 0 }
    );
}

#[test]
fn params_must_verify_for_the_ulid() {
    let set = cga_compatible_set();
    let params = set.params[0].encode();
    let list = [(set.addresses[1], METHOD_HBA)];
    let wrong_ulid = with_iid_octet_flipped(set.addresses[0], 6);
    assert_eq!(
        check_locator_list(wrong_ulid, &params, 1, &list, None).unwrap_err(),
        LocatorListError::UlidNotVerified(VerifyError::Hash1Mismatch)
    );
    assert!(matches!(
        check_locator_list(set.addresses[0], &params[..40], 1, &list, None),
        Err(LocatorListError::MalformedParams(_))
    ));
}
