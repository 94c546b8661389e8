//! Option-level tests: the TLV header, padding, the Locator List's counted
//! internal padding and the critical-bit rule.

use super::{hex, refresh_checksum};
use crate::wire::*;

/// An Update Request (fixed part 16 octets) carrying `options`, with Hdr
/// Ext Len and checksum filled in.
fn update_request_with(options: &[&str]) -> Vec<u8> {
    let mut bytes = hex(&["3b 00 40 00 00 00 00 00 00 00 00 01 00 00 00 07"]);
    bytes.extend(hex(options));
    bytes[1] = u8::try_from(bytes.len() / 8 - 1).unwrap();
    refresh_checksum(&mut bytes);
    bytes
}

#[test]
fn option_view_reads_type_critical_and_length() {
    let bytes = hex(&["80 03 00 02 01 02 00 00"]);
    let view = OptionPacket::new_checked(&bytes[..]).unwrap();
    assert_eq!(view.option_type(), 16385);
    assert!(view.critical());
    assert_eq!(view.length(), 2);
    assert_eq!(view.total_len(), 8);
    assert_eq!(view.contents(), &[1, 2]);
    // Length 5 needs 16 octets with padding; 12 is too short.
    let short = hex(&["00 08 00 05 01 02 03 04 05 00 00 00"]);
    assert!(OptionPacket::new_checked(&short[..]).is_err());
}

#[test]
fn padding_rule_matches_the_digest_examples() {
    // Option totals from the digest: Length 4 -> 8, 20 -> 24, 36 -> 40,
    // 94 -> 104, 128 -> 136, 256 -> 264.
    for (length, total) in [
        (4usize, 8usize),
        (20, 24),
        (36, 40),
        (94, 104),
        (128, 136),
        (256, 264),
    ] {
        let options = Options {
            cga_signature: Some(vec![0; length]),
            ..Options::default()
        };
        assert_eq!(options.buffer_len(), total, "Length {length}");
    }
}

#[test]
fn locator_list_length_counts_internal_padding() {
    // N = 1: 4 gen + 1 N + 1 method + 6 pad + 16 = 28 (0x1c); total 32.
    let list = LocatorList {
        generation: 1,
        locators: vec![Locator {
            addr: "2001:db8::1".parse().unwrap(),
            method: VerificationMethod::Hba,
        }],
    };
    let options = Options {
        locator_list: Some(list.clone()),
        ..Options::default()
    };
    let mut out = vec![0u8; options.buffer_len()];
    options.emit(&mut out).unwrap();
    assert_eq!(
        out,
        hex(&[
            "00 04 00 1c",             // type 2, Length 28
            "00 00 00 01 01 01 00 00", // gen 1, N 1, HBA, 6 pad ...
            "00 00 00 00",
            "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
        ])
    );
    // N = 8: methods fill 9+8 = 17 octets -> pad 7 -> locators at 24.
    let eight = LocatorList {
        generation: 0,
        locators: vec![list.locators[0]; 8],
    };
    let options = Options {
        locator_list: Some(eight),
        ..Options::default()
    };
    assert_eq!(options.buffer_len(), 4 + 4 + 1 + 8 + 7 + 128);
}

#[test]
fn locator_list_with_wrong_length_is_rejected() {
    // Length 0x2b (one short of 44) for N = 2.
    let bytes = update_request_with(&[
        "00 04 00 2b 00 00 00 07 02 02 01 00 00 00 00 00",
        "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01",
        "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 01",
    ]);
    assert_eq!(
        Message::parse(&bytes),
        Err(Error::BadOptionLength {
            option_type: 2,
            offset: 16
        })
    );
}

#[test]
fn locator_list_count_larger_than_length_is_rejected() {
    // N = 3 but room for two locators only.
    let bytes = update_request_with(&[
        "00 04 00 2c 00 00 00 07 03 02 01 00 00 00 00 00",
        "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01",
        "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 01",
    ]);
    assert!(matches!(
        Message::parse(&bytes),
        Err(Error::BadOptionLength { option_type: 2, .. })
    ));
}

#[test]
fn unknown_verification_method_is_kept_for_the_caller() {
    let bytes = update_request_with(&[
        "00 04 00 1c 00 00 00 01 01 c9 00 00 00 00 00 00", // N=1, method 201 (experimental)
        "20 01 0d b8 00 00 00 00 00 00 00 00 00 00 00 01",
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let list = msg.options().locator_list.clone().unwrap();
    assert_eq!(list.locators[0].method, VerificationMethod::Other(201));
}

#[test]
fn verification_method_numbers() {
    assert_eq!(u8::from(VerificationMethod::Hba), 1);
    assert_eq!(u8::from(VerificationMethod::Cga), 2);
    assert_eq!(VerificationMethod::from(2), VerificationMethod::Cga);
}

#[test]
fn ulid_pair_length_must_be_36() {
    let mut bytes = hex(&[
        "3b 06 01 00 00 00 00 00 00 00 01 00 00 00 00 01", // I1, HEL 6 (56 octets)
        "00 0c 00 20 00 00 00 00",                         // ULID Pair with Length 32 (wrong)
        "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01",
        "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 01",
    ]);
    refresh_checksum(&mut bytes);
    assert_eq!(
        Message::parse(&bytes),
        Err(Error::BadOptionLength {
            option_type: 6,
            offset: 16
        })
    );
}

#[test]
fn fii_and_keepalive_timeout_lengths_must_be_4() {
    let mut fii = hex(&[
        "3b 02 01 00 00 00 00 00 00 00 01 00 00 00 00 01",
        "00 0e 00 03 00 00 00 00",
    ]);
    refresh_checksum(&mut fii);
    assert_eq!(
        Message::parse(&fii),
        Err(Error::BadOptionLength {
            option_type: 7,
            offset: 16
        })
    );
    let ka = update_request_with(&["00 14 00 02 00 1e 00 00"]);
    assert_eq!(
        Message::parse(&ka),
        Err(Error::BadOptionLength {
            option_type: 10,
            offset: 16
        })
    );
}

#[test]
fn preferences_length_not_a_multiple_of_element_len() {
    // E = 3 but 4 element octets.
    let bytes = update_request_with(&["00 06 00 09 00 00 00 01 03 01 02 03 04 00 00 00"]);
    assert_eq!(
        Message::parse(&bytes),
        Err(Error::BadOptionLength {
            option_type: 3,
            offset: 16
        })
    );
}

#[test]
fn preferences_element_len_zero_is_rejected() {
    let bytes = update_request_with(&["00 06 00 05 00 00 00 01 00 00 00 00 00 00 00 00"]);
    assert!(matches!(
        Message::parse(&bytes),
        Err(Error::InvalidField(_))
    ));
}

#[test]
fn option_running_past_the_header_is_rejected() {
    // Validator claims 9 octets (16 with padding) in an 8-octet slot.
    let mut bytes = hex(&[
        "3b 02 02 00 00 00 00 00 00 00 00 01 00 00 00 02",
        "00 02 00 09 01 02 03 04",
    ]);
    refresh_checksum(&mut bytes);
    assert_eq!(
        Message::parse(&bytes),
        Err(Error::BadOptionLength {
            option_type: 1,
            offset: 16
        })
    );
}

#[test]
fn unknown_critical_option_reports_type_and_offset() {
    let bytes = hex(&[
        "3b 02 01 00 41 f5",       // HEL 2 (24 octets), type 1 I1, checksum
        "00 00 00 00 01 00",       // Initiator Context Tag 0x100
        "00 00 00 01",             // Initiator Nonce 1
        "80 03 00 02 01 02 00 00", // unknown type 16385 with C=1, Length 2, 2 pad (at offset 16)
    ]);
    let err = Message::parse(&bytes).unwrap_err();
    assert_eq!(
        err,
        Error::UnknownCriticalOption {
            option_type: 16385,
            offset: 16
        }
    );
    assert!(err.to_string().contains("16385"));
}

#[test]
fn known_option_not_allowed_in_message_follows_the_c_bit() {
    // Responder Validator in an I1 with C = 0: skipped, kept as unknown.
    let skipped = hex(&[
        "3b 02 01 00 17 2b",       // HEL 2, type 1 I1, checksum
        "00 00 00 00 01 00",       // Initiator Context Tag
        "00 00 00 01",             // Initiator Nonce
        "00 02 00 02 ab cd 00 00", // Responder Validator (not allowed in I1), C=0
    ]);
    let msg = Message::parse(&skipped).unwrap();
    assert_eq!(msg.options().responder_validator, None);
    assert_eq!(
        msg.options().unknown,
        vec![UnknownOption {
            option_type: 1,
            critical: false,
            data: vec![0xab, 0xcd]
        }]
    );
    // Same with C = 1: error code 1 material.
    let critical = hex(&[
        "3b 02 01 00 17 2a",       // HEL 2, type 1 I1, checksum
        "00 00 00 00 01 00",       // Initiator Context Tag
        "00 00 00 01",             // Initiator Nonce
        "00 03 00 02 ab cd 00 00", // Responder Validator with C=1, not allowed in I1
    ]);
    assert_eq!(
        Message::parse(&critical),
        Err(Error::UnknownCriticalOption {
            option_type: 1,
            offset: 16
        })
    );
}

#[test]
fn duplicate_known_option_is_rejected() {
    let bytes = update_request_with(&["00 14 00 04 00 00 00 1e", "00 14 00 04 00 00 00 1f"]);
    assert_eq!(
        Message::parse(&bytes),
        Err(Error::DuplicateOption {
            option_type: 10,
            offset: 24
        })
    );
}

#[test]
fn find_option_offset_locates_an_option_for_error_pointers() {
    let bytes = update_request_with(&[
        "00 14 00 04 00 00 00 1e",
        "00 06 00 06 00 00 00 01 01 00 00 00 00 00 00 00",
    ]);
    assert_eq!(
        find_option_offset(&bytes, 16, option_type::LOCATOR_PREFERENCES),
        Some(24)
    );
    assert_eq!(
        find_option_offset(&bytes, 16, option_type::KEEPALIVE_TIMEOUT),
        Some(16)
    );
    assert_eq!(
        find_option_offset(&bytes, 16, option_type::LOCATOR_LIST),
        None
    );
}

#[test]
fn option_set_membership() {
    let set = OptionSet::NONE.with(option_type::ULID_PAIR);
    assert!(set.contains(6));
    assert!(!set.contains(7));
    assert!(!set.contains(16385));
}
