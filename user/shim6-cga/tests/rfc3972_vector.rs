//! RFC 3972 Appendix A.

mod common;

use common::addr;
use shim6_cga::hash::{hash1, hash2_of_params};
use shim6_cga::{
    cga_address, generate_cga_from, verify_cga, CgaParams, SearchOptions, Sec, VerifyError,
};
use std::net::Ipv6Addr;

const PARAMS: &[u8] = include_bytes!("data/rfc3972-appendix-a.params");
const ADDRESS: &str = "fe80::3c4a:5bf6:ffb4:ca6c";

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn decodes_the_vector() {
    assert_eq!(PARAMS.len(), 119);
    let params = CgaParams::decode(PARAMS).unwrap();
    assert_eq!(hex(&params.modifier), "89a8a8b2e858d8b8f2633f44d2d4ce9b");
    assert_eq!(params.subnet_prefix, [0xfe, 0x80, 0, 0, 0, 0, 0, 0]);
    assert_eq!(params.collision_count, 0);
    assert_eq!(params.public_key.len(), 94);
    assert!(params.extensions.is_empty());
    assert_eq!(params.encode(), PARAMS);
}

#[test]
fn hashes_match_the_rfc() {
    let params = CgaParams::decode(PARAMS).unwrap();
    assert_eq!(hex(&hash1(PARAMS)), "fd4a5bf6ffb4ca6c");
    assert_eq!(
        hex(&hash2_of_params(&params)),
        "000001ca680b83888d0912dffcce"
    );
}

#[test]
fn gives_the_rfc_address_at_sec_1() {
    let params = CgaParams::decode(PARAMS).unwrap();
    assert_eq!(cga_address(&params, Sec::ONE), addr(ADDRESS));
}

#[test]
fn generation_from_the_rfc_start_modifier_reproduces_the_vector() {
    let params = CgaParams::decode(PARAMS).unwrap();
    let mut start = params.modifier;
    start[15] -= 1; // the RFC's starting modifier ends in 9a
    let options = SearchOptions {
        threads: 1,
        ..SearchOptions::default()
    };
    let generated = generate_cga_from(
        start,
        params.subnet_prefix,
        &params.public_key,
        Sec::ONE,
        vec![],
        &options,
    )
    .unwrap();
    assert_eq!(generated.address, addr(ADDRESS));
    assert_eq!(generated.params.encode(), PARAMS);
    assert_eq!(generated.modifiers_tried, 2);
}

#[test]
fn verifies() {
    let verified = verify_cga(addr(ADDRESS), PARAMS).unwrap();
    assert_eq!(verified.sec, Sec::ONE);
}

#[test]
fn every_changed_octet_fails() {
    for index in 0..PARAMS.len() {
        let mut changed = PARAMS.to_vec();
        changed[index] ^= 0x01;
        let outcome = verify_cga(addr(ADDRESS), &changed);
        assert!(
            outcome.is_err(),
            "octet {index} changed but verification passed"
        );
        let expected_kind = match index {
            16..=23 => matches!(outcome, Err(VerifyError::SubnetPrefixMismatch { .. })),
            24 => matches!(outcome, Err(VerifyError::Hash1Mismatch)), // count 1 is legal
            _ => matches!(
                outcome,
                Err(VerifyError::Hash1Mismatch | VerifyError::Malformed(_))
            ),
        };
        assert!(expected_kind, "octet {index}: {outcome:?}");
    }
}

#[test]
fn claiming_sec_2_fails_on_hash2() {
    let mut octets = addr(ADDRESS).octets();
    octets[8] = (octets[8] & 0x1f) | (2 << 5);
    assert_eq!(
        verify_cga(Ipv6Addr::from(octets), PARAMS).unwrap_err(),
        VerifyError::Hash2Insufficient {
            sec: 2,
            zero_bits: 23
        }
    );
}

#[test]
fn claiming_sec_3_to_7_is_unsupported() {
    for sec in 3u8..=7 {
        let mut octets = addr(ADDRESS).octets();
        octets[8] = (octets[8] & 0x1f) | (sec << 5);
        assert_eq!(
            verify_cga(Ipv6Addr::from(octets), PARAMS).unwrap_err(),
            VerifyError::UnsupportedSec(sec)
        );
    }
}

#[test]
fn each_verification_step_has_its_own_error() {
    let mut bad_count = PARAMS.to_vec();
    bad_count[24] = 3;
    assert_eq!(
        verify_cga(addr(ADDRESS), &bad_count).unwrap_err(),
        VerifyError::InvalidCollisionCount(3)
    );
    assert!(matches!(
        verify_cga(addr("fe81::3c4a:5bf6:ffb4:ca6c"), PARAMS),
        Err(VerifyError::SubnetPrefixMismatch { .. })
    ));
    assert_eq!(
        verify_cga(addr("fe80::3c4a:5bf6:ffb4:ca6d"), PARAMS).unwrap_err(),
        VerifyError::Hash1Mismatch
    );
    assert!(matches!(
        verify_cga(addr(ADDRESS), &PARAMS[..60]),
        Err(VerifyError::Malformed(_))
    ));
    // The u and g bits are ignored by the comparison.
    assert!(verify_cga(addr("fe80::3f4a:5bf6:ffb4:ca6c"), PARAMS).is_ok());
}
