//! Property tests: parse(emit(x)) == x for every message type, and parse
//! never panics on arbitrary bytes.

use std::net::Ipv6Addr;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;

use crate::wire::*;

fn tag() -> impl Strategy<Value = ContextTag> {
    (0..=ContextTag::MAX).prop_map(ContextTag::from_masked)
}

fn addr() -> impl Strategy<Value = Ipv6Addr> {
    any::<u128>().prop_map(Ipv6Addr::from)
}

fn bytes(max: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<u8>(), 0..max)
}

fn locator_list() -> impl Strategy<Value = LocatorList> {
    let locator = (addr(), any::<u8>()).prop_map(|(addr, method)| Locator {
        addr,
        method: VerificationMethod::from(method),
    });
    (any::<u32>(), vec(locator, 0..6)).prop_map(|(generation, locators)| LocatorList {
        generation,
        locators,
    })
}

fn locator_preferences() -> impl Strategy<Value = LocatorPreferences> {
    (any::<u32>(), 1u8..=5, vec(any::<(u8, u8, u8)>(), 0..6)).prop_map(
        |(generation, element_len, raw)| {
            // Octets beyond the element length are not on the wire.
            let elements = raw
                .into_iter()
                .map(|(flags, priority, weight)| LocatorPreference {
                    flags,
                    priority: if element_len >= 2 { priority } else { 0 },
                    weight: if element_len >= 3 { weight } else { 0 },
                })
                .collect();
            LocatorPreferences {
                generation,
                element_len,
                elements,
            }
        },
    )
}

fn unknown_options() -> impl Strategy<Value = Vec<UnknownOption>> {
    // Experimental range, never a known type; parsing only keeps C = 0.
    let one = (16384u16..=32767, bytes(20)).prop_map(|(option_type, data)| UnknownOption {
        option_type,
        critical: false,
        data,
    });
    vec(one, 0..3)
}

/// Options restricted to what `allowed` permits, so that parsing puts every
/// one back in the same field.
fn options(allowed: OptionSet) -> impl Strategy<Value = Options> {
    use option_type as t;
    (
        (
            option::of(bytes(40)),
            option::of(locator_list()),
            option::of(locator_preferences()),
        ),
        (
            option::of(bytes(100)),
            option::of(bytes(140)),
            option::of((addr(), addr())),
        ),
        (
            option::of(any::<u32>()),
            option::of(any::<u16>()),
            unknown_options(),
        ),
    )
        .prop_map(
            move |((validator, list, prefs), (pds, sig, pair), (fii, ka, unknown))| {
                let keep = |ty: u16| allowed.contains(ty);
                Options {
                    responder_validator: validator.filter(|_| keep(t::RESPONDER_VALIDATOR)),
                    locator_list: list.filter(|_| keep(t::LOCATOR_LIST)),
                    locator_preferences: prefs.filter(|_| keep(t::LOCATOR_PREFERENCES)),
                    cga_parameters: pds.filter(|_| keep(t::CGA_PARAMETERS)),
                    cga_signature: sig.filter(|_| keep(t::CGA_SIGNATURE)),
                    ulid_pair: pair
                        .map(|(sender, receiver)| UlidPair { sender, receiver })
                        .filter(|_| keep(t::ULID_PAIR)),
                    forked_instance_id: fii.filter(|_| keep(t::FORKED_INSTANCE_ID)),
                    keepalive_timeout: ka.filter(|_| keep(t::KEEPALIVE_TIMEOUT)),
                    unknown,
                }
            },
        )
}

fn all_of(types: &[u16]) -> OptionSet {
    types.iter().fold(OptionSet::NONE, |set, &ty| set.with(ty))
}

const LOCATOR: [u16; 5] = [2, 3, 4, 5, 10];
const INITIATOR: [u16; 8] = [1, 2, 3, 4, 5, 6, 7, 10];

fn report() -> impl Strategy<Value = ProbeReport> {
    (addr(), addr(), any::<u32>(), any::<u32>()).prop_map(|(src, dst, nonce, data)| ProbeReport {
        src,
        dst,
        nonce,
        data,
    })
}

fn reap_state() -> impl Strategy<Value = ReapState> {
    prop_oneof![
        Just(ReapState::Operational),
        Just(ReapState::Exploring),
        Just(ReapState::InboundOk)
    ]
}

fn message() -> impl Strategy<Value = Message> {
    let none = OptionSet::NONE;
    prop_oneof![
        (tag(), any::<u32>(), options(all_of(&[6, 7]))).prop_map(
            |(initiator_tag, initiator_nonce, options)| I1 {
                initiator_tag,
                initiator_nonce,
                options
            }
            .into()
        ),
        (any::<u32>(), any::<u32>(), options(all_of(&[1]))).prop_map(
            |(initiator_nonce, responder_nonce, options)| R1 {
                initiator_nonce,
                responder_nonce,
                options
            }
            .into()
        ),
        (
            tag(),
            any::<u32>(),
            any::<u32>(),
            options(all_of(&INITIATOR))
        )
            .prop_map(
                |(initiator_tag, initiator_nonce, responder_nonce, options)| I2 {
                    initiator_tag,
                    initiator_nonce,
                    responder_nonce,
                    options
                }
                .into()
            ),
        (tag(), any::<u32>(), options(all_of(&LOCATOR))).prop_map(
            |(responder_tag, initiator_nonce, options)| R2 {
                responder_tag,
                initiator_nonce,
                options
            }
            .into()
        ),
        (tag(), any::<u32>(), options(all_of(&[1]))).prop_map(
            |(packet_tag, responder_nonce, options)| R1bis {
                packet_tag,
                responder_nonce,
                options
            }
            .into()
        ),
        (
            tag(),
            any::<u32>(),
            any::<u32>(),
            tag(),
            options(all_of(&INITIATOR))
        )
            .prop_map(
                |(initiator_tag, initiator_nonce, responder_nonce, packet_tag, options)| I2bis {
                    initiator_tag,
                    initiator_nonce,
                    responder_nonce,
                    packet_tag,
                    options
                }
                .into()
            ),
        (tag(), any::<u32>(), options(all_of(&LOCATOR))).prop_map(
            |(receiver_tag, request_nonce, options)| UpdateRequest {
                receiver_tag,
                request_nonce,
                options
            }
            .into()
        ),
        (tag(), any::<u32>(), options(none)).prop_map(|(receiver_tag, request_nonce, options)| {
            UpdateAck {
                receiver_tag,
                request_nonce,
                options,
            }
            .into()
        }),
        (tag(), options(none)).prop_map(|(receiver_tag, options)| Keepalive {
            receiver_tag,
            options
        }
        .into()),
        (
            tag(),
            reap_state(),
            vec(report(), 1..=15),
            vec(report(), 0..=15),
            options(none)
        )
            .prop_map(|(receiver_tag, state, sent, received, options)| Probe {
                receiver_tag,
                state,
                sent,
                received,
                options
            }
            .into()),
        (0u8..=127, any::<u16>(), vec(any::<u8>(), 0..40)).prop_map(
            |(code, pointer, mut packet_in_error)| {
                // Emission pads to 8 octets; give whole 8-octet units back.
                packet_in_error.truncate(packet_in_error.len() / 8 * 8);
                ErrorMessage {
                    code,
                    pointer,
                    packet_in_error,
                }
                .into()
            }
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn parse_inverts_emit(msg in message()) {
        let bytes = msg.to_bytes().unwrap();
        prop_assert_eq!(bytes.len(), msg.buffer_len());
        prop_assert_eq!(bytes.len() % 8, 0);
        prop_assert_eq!(usize::from(bytes[1]), bytes.len() / 8 - 1);
        prop_assert_eq!(internet_checksum(&bytes), 0);
        prop_assert_eq!(bytes[2], msg.msg_type());
        prop_assert_eq!(Message::parse(&bytes).unwrap(), msg);
    }

    #[test]
    fn payload_parse_inverts_emit(next_header in any::<u8>(), tag in tag()) {
        let repr = PayloadRepr { next_header, context_tag: tag };
        let bytes = repr.to_bytes();
        prop_assert!(bytes[2] & 0x80 != 0);
        prop_assert_eq!(PayloadRepr::parse(&bytes).unwrap(), repr);
    }

    #[test]
    fn parse_never_panics(data in vec(any::<u8>(), 0..400)) {
        let _ = Message::parse(&data);
        let _ = PayloadRepr::parse(&data);
        let _ = Options::parse(&data, 0, OptionSet::NONE.with(1).with(2).with(3).with(4).with(5).with(6).with(7).with(10));
    }

    /// Random bytes rarely pass the checksum; fixing it up drives the
    /// fuzz input into the type and option parsers.
    #[test]
    fn parse_never_panics_with_valid_checksum(msg_type in 0u8..128, hel in 0u8..20, body in vec(any::<u8>(), 0..200)) {
        let len = (usize::from(hel) + 1) * 8;
        let mut data = vec![0u8; len];
        for (slot, byte) in data.iter_mut().zip(body.iter().chain(std::iter::repeat(&0))) {
            *slot = *byte;
        }
        data[1] = hel;
        data[2] = msg_type;
        data[3] &= 0xfe;
        data[4] = 0;
        data[5] = 0;
        let sum = internet_checksum(&data);
        data[4..6].copy_from_slice(&sum.to_be_bytes());
        if let Ok(msg) = Message::parse(&data) {
            // Whatever parses must re-encode to something that parses the same.
            let again = msg.to_bytes().unwrap();
            prop_assert_eq!(Message::parse(&again).unwrap(), msg);
        }
    }
}
