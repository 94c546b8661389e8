//! Property tests for the CGA Parameters codec.

use proptest::prelude::*;
use shim6_cga::{verify_cga, CgaParams, Extension, MultiPrefix};
use std::net::Ipv6Addr;

/// A DER SEQUENCE of the given content length, exercising all three length forms.
fn der_sequence(content: Vec<u8>) -> Vec<u8> {
    let mut out = vec![0x30];
    match content.len() {
        len @ 0..=0x7f => out.push(len as u8),
        len @ 0x80..=0xff => out.extend([0x81, len as u8]),
        len => out.extend([0x82, (len >> 8) as u8, len as u8]),
    }
    out.extend(content);
    out
}

fn arbitrary_extension() -> impl Strategy<Value = Extension> {
    prop_oneof![
        // Any type except Multi-Prefix, any data.
        (
            any::<u16>().prop_filter("not multi-prefix", |t| *t != 0x0012),
            prop::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(ext_type, data)| Extension::new(ext_type, data).unwrap()),
        (any::<bool>(), prop::collection::vec(any::<[u8; 8]>(), 0..5)).prop_map(
            |(public_key_present, prefixes)| MultiPrefix {
                public_key_present,
                prefixes
            }
            .to_extension()
            .unwrap()
        ),
    ]
}

fn arbitrary_params() -> impl Strategy<Value = CgaParams> {
    (
        any::<[u8; 16]>(),
        any::<[u8; 8]>(),
        any::<u8>(),
        prop::collection::vec(any::<u8>(), 0..300),
        prop::collection::vec(arbitrary_extension(), 0..4),
    )
        .prop_map(
            |(modifier, subnet_prefix, collision_count, key_content, mut extensions)| {
                // At most one Multi-Prefix extension is well-formed.
                let mut seen = false;
                extensions
                    .retain(|e| !(e.ext_type() == 0x0012 && std::mem::replace(&mut seen, true)));
                CgaParams {
                    modifier,
                    subnet_prefix,
                    collision_count,
                    public_key: der_sequence(key_content),
                    extensions,
                }
            },
        )
}

proptest! {
    #[test]
    fn encode_then_decode_is_identity(params in arbitrary_params()) {
        let encoded = params.encode();
        prop_assert_eq!(CgaParams::decode(&encoded).unwrap(), params);
    }

    #[test]
    fn decode_then_encode_reproduces_accepted_input(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Ok(params) = CgaParams::decode(&bytes) {
            prop_assert_eq!(params.encode(), bytes);
        }
    }

    #[test]
    fn decode_and_verify_never_panic_on_arbitrary_bytes(bytes in prop::collection::vec(any::<u8>(), 0..400), address in any::<[u8; 16]>()) {
        let _ = CgaParams::decode(&bytes);
        let _ = verify_cga(Ipv6Addr::from(address), &bytes);
        let _ = shim6_cga::verify_hba_member(Ipv6Addr::from(address), &bytes);
    }

    #[test]
    fn decode_never_panics_on_params_shaped_bytes(prefix in prop::collection::vec(any::<u8>(), 25..26), tail in prop::collection::vec(any::<u8>(), 0..80)) {
        // Start the key area with a SEQUENCE tag so the fuzzing reaches the length and extension parsers.
        let mut bytes = prefix;
        bytes.push(0x30);
        bytes.extend(tail);
        if let Ok(params) = CgaParams::decode(&bytes) {
            prop_assert_eq!(params.encode(), bytes);
        }
    }
}
