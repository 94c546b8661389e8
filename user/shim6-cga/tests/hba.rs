//! HBA sets (RFC 5535).

mod common;

use common::{der_of, key_1024, prefix, with_iid_octet_flipped, with_prefix};
use shim6_cga::hash::sec_bits_of;
use shim6_cga::{
    generate_cga, generate_hba_set, verify_cga, verify_hba_member, CgaParams, GenerateError,
    HbaKey, SearchOptions, Sec, VerifyError,
};

fn three_prefixes() -> Vec<[u8; 8]> {
    vec![
        prefix("2001:db8:1::/64"),
        prefix("2001:db8:2::/64"),
        prefix("2001:db8:3::/64"),
    ]
}

#[test]
fn cga_compatible_set_every_member_verifies() {
    let key = der_of(key_1024());
    let set = generate_hba_set(
        &three_prefixes(),
        Sec::ONE,
        HbaKey::Cga(&key),
        &SearchOptions::default(),
    )
    .unwrap();
    assert_eq!(set.addresses.len(), 3);
    let ulid_params = set.params[0].encode();
    let multi_prefix = set.params[0].multi_prefix().unwrap().unwrap();
    assert!(multi_prefix.public_key_present);
    assert_eq!(multi_prefix.prefixes, three_prefixes());
    for (index, address) in set.addresses.iter().enumerate() {
        assert_eq!(&address.octets()[..8], &three_prefixes()[index]);
        assert_eq!(sec_bits_of(address), 1);
        // Against the ULID's parameters (prefix swapped in) …
        assert_eq!(
            verify_hba_member(*address, &ulid_params).unwrap().sec,
            Sec::ONE
        );
        // … and as a plain CGA with its own parameters (RFC 5535 §7.1).
        assert!(verify_cga(*address, &set.params[index].encode()).is_ok());
    }
    assert_eq!(set.params[0].public_key, key);
}

#[test]
fn pure_set_every_member_verifies() {
    let set = generate_hba_set(
        &three_prefixes(),
        Sec::ZERO,
        HbaKey::Pure,
        &SearchOptions::default(),
    )
    .unwrap();
    let params = set.params[1].encode();
    assert!(
        !set.params[1]
            .multi_prefix()
            .unwrap()
            .unwrap()
            .public_key_present
    );
    for address in &set.addresses {
        assert!(verify_hba_member(*address, &params).is_ok());
    }
}

#[test]
fn addresses_outside_the_set_do_not_verify() {
    let set = generate_hba_set(
        &three_prefixes(),
        Sec::ZERO,
        HbaKey::Pure,
        &SearchOptions::default(),
    )
    .unwrap();
    let params = set.params[0].encode();
    let member = set.addresses[1];
    assert_eq!(
        verify_hba_member(with_prefix(member, prefix("2001:db8:4::/64")), &params).unwrap_err(),
        VerifyError::PrefixNotInSet(common::addr("2001:db8:4::"))
    );
    // The IID of one member under another member's prefix is not that member.
    assert_eq!(
        verify_hba_member(with_prefix(member, three_prefixes()[2]), &params).unwrap_err(),
        VerifyError::Hash1Mismatch
    );
    assert_eq!(
        verify_hba_member(with_iid_octet_flipped(member, 7), &params).unwrap_err(),
        VerifyError::Hash1Mismatch
    );
}

#[test]
fn changing_the_prefix_list_changes_every_address() {
    let set = generate_hba_set(
        &three_prefixes(),
        Sec::ZERO,
        HbaKey::Pure,
        &SearchOptions::default(),
    )
    .unwrap();
    let mut tampered: CgaParams = set.params[0].clone();
    let mut list = tampered.multi_prefix().unwrap().unwrap();
    list.prefixes[2] = prefix("2001:db8:99::/64");
    tampered.extensions = vec![list.to_extension().unwrap()];
    for address in &set.addresses[..2] {
        assert_eq!(
            verify_hba_member(*address, &tampered.encode()).unwrap_err(),
            VerifyError::Hash1Mismatch
        );
    }
}

#[test]
fn plain_cga_params_define_no_set() {
    let key = der_of(key_1024());
    let cga = generate_cga(
        prefix("2001:db8:1::/64"),
        &key,
        Sec::ZERO,
        vec![],
        &SearchOptions::default(),
    )
    .unwrap();
    assert_eq!(
        verify_hba_member(cga.address, &cga.params.encode()).unwrap_err(),
        VerifyError::NotAnHbaSet
    );
}

#[test]
fn bad_prefix_lists_are_refused() {
    let options = SearchOptions::default();
    assert_eq!(
        generate_hba_set(&[], Sec::ZERO, HbaKey::Pure, &options).unwrap_err(),
        GenerateError::NoPrefixes
    );
    let twice = [prefix("2001:db8:1::/64"), prefix("2001:db8:1::/64")];
    assert!(matches!(
        generate_hba_set(&twice, Sec::ZERO, HbaKey::Pure, &options),
        Err(GenerateError::DuplicatePrefix(_))
    ));
}
