//! One hand-built vector per control message: parse it, check every field,
//! and check that emitting the parsed value gives the same bytes.

use std::net::Ipv6Addr;

use super::{hex, tag};
use crate::wire::*;

fn addr(s: &str) -> Ipv6Addr {
    s.parse().expect("test address")
}

/// Emitting `msg` must reproduce `bytes` exactly (zero padding, checksum).
fn assert_emits(msg: &Message, bytes: &[u8]) {
    assert_eq!(msg.buffer_len(), bytes.len());
    assert_eq!(msg.to_bytes().unwrap(), bytes);
}

#[test]
fn i1_digest_example() {
    let bytes = hex(&[
        "3b 01 01 00",       // NH 59, HEL 1, P=0 type 1, Reserved1/S
        "22 f8",             // checksum
        "12 34 56 78 9a bc", // R=0, Initiator Context Tag
        "de ad be ef",       // Initiator Nonce
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let Message::I1(i1) = &msg else {
        panic!("not an I1: {msg:?}")
    };
    assert_eq!(i1.initiator_tag.get(), 0x1234_5678_9abc);
    assert_eq!(i1.initiator_nonce, 0xdead_beef);
    assert!(i1.options.is_empty());
    assert_eq!(msg.msg_type(), msg_type::I1);
    assert_emits(&msg, &bytes);
}

#[test]
fn i1_with_ulid_pair_and_fii() {
    let bytes = hex(&[
        "3b 07 01 00 67 3b",       // HEL 7 (64 octets), type 1 I1, checksum
        "00 00 00 00 01 00",       // Initiator Context Tag 0x100
        "00 00 00 01",             // Initiator Nonce 1
        "00 0c 00 24 00 00 00 00", // ULID Pair, Length 36
        "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01", // sender ULID
        "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 01", // receiver ULID
        "00 0e 00 04 00 00 00 03", // FII 3
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let Message::I1(i1) = &msg else {
        panic!("not an I1")
    };
    assert_eq!(i1.initiator_tag, tag(0x100));
    assert_eq!(
        i1.options.ulid_pair,
        Some(UlidPair {
            sender: addr("2001:db8:1::1"),
            receiver: addr("2001:db8:2::1")
        })
    );
    assert_eq!(i1.options.forked_instance_id, Some(3));
    assert_emits(&msg, &bytes);
}

#[test]
fn r1_with_validator() {
    let bytes = hex(&[
        "3b 03 02 00 53 5b 00 00", // NH 59, HEL 3 (32 octets), type 2, checksum, Reserved2
        "01 02 03 04",             // Initiator Nonce 0x01020304
        "a1 b2 c3 d4",             // Responder Nonce 0xa1b2c3d4
        "00 02 00 0c",             // option type 1 (Responder Validator) C=0, Length 12
        "56 56 56 56 56 56 56 56 56 56 56 56", // validator: 12 x 0x56
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let Message::R1(r1) = &msg else {
        panic!("not an R1")
    };
    assert_eq!(r1.initiator_nonce, 0x0102_0304);
    assert_eq!(r1.responder_nonce, 0xa1b2_c3d4);
    assert_eq!(
        r1.options.responder_validator.as_deref(),
        Some(&[0x56; 12][..])
    );
    assert_eq!(msg.context_tag(), None);
    assert_emits(&msg, &bytes);
}

fn i2_vector() -> Vec<u8> {
    hex(&[
        "3b 18 03 00 a9 58",       // NH 59, HEL 24 (200 octets), type 3, checksum
        "00 00 00 00 ab cd",       // R=0, Initiator Context Tag 0xabcd
        "11 11 11 11",             // Initiator Nonce
        "22 22 22 22",             // Responder Nonce
        "00 00 00 00",             // Reserved2
        "00 02 00 04 de ad be ef", // Responder Validator, Length 4, de ad be ef
        "00 04 00 2c 00 00 00 07 02 02 01 00 00 00 00 00", // Locator List, Length 44: gen 7, N=2, CGA, HBA, 5 pad
        "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01", // locator 2001:db8:1::1
        "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 01", // locator 2001:db8:2::1
        "00 06 00 07 00 00 00 07 01 01 02 00 00 00 00 00", // Locator Preferences, Length 7: gen 7, E=1, BROKEN, TRANSIENT, 5 pad
        "00 08 00 05 a0 a1 a2 a3 a4 00 00 00 00 00 00 00", // CGA PDS, Length 5, 7 pad
        "00 0a 00 10 b0 b1 b2 b3 b4 b5 b6 b7 b8 b9 ba bb bc bd be bf 00 00 00 00", // CGA Signature, Length 16, 4 pad
        "00 0c 00 24 00 00 00 00", // ULID Pair, Length 36, Reserved
        "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01", // sender ULID 2001:db8:1::1
        "20 01 0d b8 00 ff 00 00 00 00 00 00 00 00 00 02", // receiver ULID 2001:db8:ff::2
        "00 0e 00 04 00 00 00 09", // Forked Instance Identifier, Length 4, FII 9
        "00 14 00 04 00 00 00 1e", // Keepalive Timeout, Length 4, Reserved, 30 s
        "80 02 00 03 c1 c2 c3 00", // unknown experimental type 16385 C=0, Length 3, 1 pad
    ])
}

#[test]
fn i2_with_every_option() {
    let bytes = i2_vector();
    let msg = Message::parse(&bytes).unwrap();
    let Message::I2(i2) = &msg else {
        panic!("not an I2")
    };
    assert_eq!(i2.initiator_tag, tag(0xabcd));
    assert_eq!(i2.initiator_nonce, 0x1111_1111);
    assert_eq!(i2.responder_nonce, 0x2222_2222);
    let o = &i2.options;
    assert_eq!(
        o.responder_validator.as_deref(),
        Some(&[0xde, 0xad, 0xbe, 0xef][..])
    );
    assert_eq!(
        o.locator_list,
        Some(LocatorList {
            generation: 7,
            locators: vec![
                Locator {
                    addr: addr("2001:db8:1::1"),
                    method: VerificationMethod::Cga
                },
                Locator {
                    addr: addr("2001:db8:2::1"),
                    method: VerificationMethod::Hba
                },
            ],
        })
    );
    let prefs = o.locator_preferences.as_ref().unwrap();
    assert_eq!((prefs.generation, prefs.element_len), (7, 1));
    assert_eq!(
        prefs.elements,
        vec![
            LocatorPreference {
                flags: PREF_FLAG_BROKEN,
                priority: 0,
                weight: 0
            },
            LocatorPreference {
                flags: PREF_FLAG_TRANSIENT,
                priority: 0,
                weight: 0
            },
        ]
    );
    assert_eq!(
        o.cga_parameters.as_deref(),
        Some(&[0xa0, 0xa1, 0xa2, 0xa3, 0xa4][..])
    );
    assert_eq!(o.cga_signature.as_ref().map(Vec::len), Some(16));
    assert_eq!(o.cga_signature.as_ref().unwrap()[15], 0xbf);
    assert_eq!(o.ulid_pair.unwrap().receiver, addr("2001:db8:ff::2"));
    assert_eq!(o.forked_instance_id, Some(9));
    assert_eq!(o.keepalive_timeout, Some(30));
    assert_eq!(
        o.unknown,
        vec![UnknownOption {
            option_type: 16385,
            critical: false,
            data: vec![0xc1, 0xc2, 0xc3]
        }]
    );
    assert_emits(&msg, &bytes);
}

#[test]
fn r2_ignores_r_bit_and_reads_three_octet_preferences() {
    let bytes = hex(&[
        "3b 03 04 00 2d d4",          // HEL 3 (32 octets), type 4 R2, checksum
        "80 00 00 00 00 05",          // R bit SET (must be ignored), Responder Context Tag 5
        "77 77 77 77",                // Initiator Nonce
        "00 06 00 0b 00 00 00 03 03", // Locator Preferences, Length 11: gen 3, E=3
        "01 0a 14 02 0b 15 00", // elem1 BROKEN prio 10 weight 20, elem2 TRANSIENT prio 11 weight 21, 1 pad
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let Message::R2(r2) = &msg else {
        panic!("not an R2")
    };
    assert_eq!(r2.responder_tag, tag(5));
    assert_eq!(r2.initiator_nonce, 0x7777_7777);
    let prefs = r2.options.locator_preferences.as_ref().unwrap();
    assert_eq!(prefs.generation, 3);
    assert_eq!(prefs.element_len, 3);
    assert_eq!(
        prefs.elements,
        vec![
            LocatorPreference {
                flags: 1,
                priority: 10,
                weight: 20
            },
            LocatorPreference {
                flags: 2,
                priority: 11,
                weight: 21
            },
        ]
    );
    // Re-emission clears the reserved R bit, so only the checksum and
    // octet 6 differ from the input.
    let out = msg.to_bytes().unwrap();
    assert_eq!(out[6], 0x00);
    assert_eq!(out[7..], bytes[7..]);
    assert_eq!(Message::parse(&out).unwrap(), msg);
}

#[test]
fn r2_with_two_octet_preferences() {
    let bytes = hex(&[
        "3b 03 04 00 b3 e1",          // HEL 3, type 4 R2, checksum
        "00 00 00 00 00 06",          // Responder Context Tag 6
        "00 00 00 01",                // Initiator Nonce 1
        "00 06 00 09 00 00 00 04 02", // Locator Preferences, Length 9: gen 4, E=2
        "00 05 01 06 00 00 00",       // elem1 flags 0 prio 5, elem2 BROKEN prio 6, 3 pad
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let prefs = msg.options().locator_preferences.clone().unwrap();
    assert_eq!(prefs.element_len, 2);
    assert_eq!(
        prefs.elements,
        vec![
            LocatorPreference {
                flags: 0,
                priority: 5,
                weight: 0
            },
            LocatorPreference {
                flags: 1,
                priority: 6,
                weight: 0
            },
        ]
    );
    assert_emits(&msg, &bytes);
}

#[test]
fn r1bis_with_largest_tag() {
    let bytes = hex(&[
        "3b 03 05 00 2f 9d", // HEL 3, type 5 R1bis, checksum
        "7f ff ff ff ff ff", // Packet Context Tag = 2^47-1 (largest)
        "00 00 00 42",       // Responder Nonce 0x42
        "00 02 00 08 01 02 03 04 05 06 07 08 00 00 00 00", // Responder Validator, Length 8, 4 pad
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let Message::R1bis(r1bis) = &msg else {
        panic!("not an R1bis")
    };
    assert_eq!(r1bis.packet_tag.get(), ContextTag::MAX);
    assert_eq!(r1bis.responder_nonce, 0x42);
    assert_eq!(
        r1bis.options.responder_validator.as_deref(),
        Some(&[1, 2, 3, 4, 5, 6, 7, 8][..])
    );
    assert_emits(&msg, &bytes);
}

#[test]
fn i2bis_packet_tag_after_49_reserved_bits() {
    let bytes = hex(&[
        "3b 04 06 00 e2 d0",       // HEL 4 (40 octets), type 6 I2bis, checksum
        "00 00 00 00 00 01",       // Initiator Context Tag 1
        "aa aa aa aa",             // Initiator Nonce
        "bb bb bb bb",             // Responder Nonce
        "ff ff ff ff ff ff",       // Reserved2 octets 20-25 (all ones: must be ignored)
        "80 00 00 00 09 99",       // MSB = last Reserved2 bit (set), Packet Context Tag 0x999
        "00 02 00 04 ca fe ba be", // Responder Validator, Length 4
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let Message::I2bis(m) = &msg else {
        panic!("not an I2bis")
    };
    assert_eq!(m.initiator_tag, tag(1));
    assert_eq!(m.initiator_nonce, 0xaaaa_aaaa);
    assert_eq!(m.responder_nonce, 0xbbbb_bbbb);
    assert_eq!(m.packet_tag, tag(0x999));
    assert_eq!(
        m.options.responder_validator.as_deref(),
        Some(&[0xca, 0xfe, 0xba, 0xbe][..])
    );
    // Emission zeroes the reserved bits.
    let out = msg.to_bytes().unwrap();
    assert_eq!(&out[20..27], &[0u8; 7]);
    assert_eq!(&out[27..], &bytes[27..]);
}

#[test]
fn update_request_with_digest_locator_list() {
    let bytes = hex(&[
        "3b 07 40 00 b9 95", // HEL 7 (64 octets), type 64 Update Request, checksum
        "00 00 12 34 56 78", // Receiver Context Tag 0x12345678
        "01 02 03 04",       // Request Nonce
        "00 04 00 2c 00 00 00 07 02 02 01 00 00 00 00 00", // digest example: Locator List gen 7, N=2, CGA, HBA
        "20 01 0d b8 00 01 00 00 00 00 00 00 00 00 00 01", // 2001:db8:1::1
        "20 01 0d b8 00 02 00 00 00 00 00 00 00 00 00 01", // 2001:db8:2::1
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let Message::UpdateRequest(m) = &msg else {
        panic!("not an Update Request")
    };
    assert_eq!(m.receiver_tag, tag(0x1234_5678));
    assert_eq!(m.request_nonce, 0x0102_0304);
    let list = m.options.locator_list.as_ref().unwrap();
    assert_eq!(list.generation, 7);
    assert_eq!(list.locators.len(), 2);
    assert_eq!(list.locators[0].method, VerificationMethod::Cga);
    assert_eq!(list.locators[1].addr, addr("2001:db8:2::1"));
    assert_emits(&msg, &bytes);
}

#[test]
fn update_ack() {
    let bytes = hex(&[
        "3b 01 41 00 17 4c", // HEL 1, type 65 Update Ack, checksum
        "00 00 12 34 56 78", // Receiver Context Tag
        "01 02 03 04",       // Request Nonce (copied)
    ]);
    let msg = Message::parse(&bytes).unwrap();
    assert_eq!(
        msg,
        Message::UpdateAck(UpdateAck {
            receiver_tag: tag(0x1234_5678),
            request_nonce: 0x0102_0304,
            options: Options::default(),
        })
    );
    assert_emits(&msg, &bytes);
}

#[test]
fn keepalive_digest_example() {
    let bytes = hex(&[
        "3b 01 42 00",       // NH 59, HEL 1, type 66
        "82 bc",             // checksum
        "00 00 00 00 00 42", // Receiver Context Tag 0x42
        "00 00 00 00",       // Reserved2
    ]);
    let msg = Message::parse(&bytes).unwrap();
    assert_eq!(
        msg,
        Message::Keepalive(Keepalive {
            receiver_tag: tag(0x42),
            options: Options::default()
        })
    );
    assert_emits(&msg, &bytes);
}

#[test]
fn probe_with_one_sent_and_one_received_report() {
    let bytes = hex(&[
        "3b 0b 43 00 b5 dc", // HEL 11 (96 octets), type 67 Probe, checksum
        "00 00 00 00 00 77", // Receiver Context Tag 0x77
        "11 80 00 00", // Precvd=1 (high nibble), Psent=1 (low nibble); Sta=2 InboundOk (top bits 10)
        "20 01 0d b8 00 0a 00 00 00 00 00 00 00 00 00 01", // sent[0].src 2001:db8:a::1
        "20 01 0d b8 00 0b 00 00 00 00 00 00 00 00 00 01", // sent[0].dst 2001:db8:b::1
        "00 00 01 01 00 00 00 00", // sent[0] nonce 0x101, data 0
        "20 01 0d b8 00 0b 00 00 00 00 00 00 00 00 00 02", // received[0].src 2001:db8:b::2
        "20 01 0d b8 00 0a 00 00 00 00 00 00 00 00 00 02", // received[0].dst 2001:db8:a::2
        "00 00 02 02 00 00 00 09", // received[0] nonce 0x202, data 9
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let expected = Probe {
        receiver_tag: tag(0x77),
        state: ReapState::InboundOk,
        sent: vec![ProbeReport {
            src: addr("2001:db8:a::1"),
            dst: addr("2001:db8:b::1"),
            nonce: 0x101,
            data: 0,
        }],
        received: vec![ProbeReport {
            src: addr("2001:db8:b::2"),
            dst: addr("2001:db8:a::2"),
            nonce: 0x202,
            data: 9,
        }],
        options: Options::default(),
    };
    assert_eq!(msg, Message::Probe(expected));
    assert_emits(&msg, &bytes);
}

#[test]
fn probe_nibble_order_precvd_high_psent_low() {
    // Psent = 2, Precvd = 0 -> octet 12 = 0x02, Sta Exploring -> octet 13 = 0x40.
    let report = ProbeReport {
        src: addr("::1"),
        dst: addr("::2"),
        nonce: 1,
        data: 0,
    };
    let probe = Message::Probe(Probe {
        receiver_tag: tag(1),
        state: ReapState::Exploring,
        sent: vec![report, report],
        received: vec![],
        options: Options::default(),
    });
    let bytes = probe.to_bytes().unwrap();
    assert_eq!(bytes.len(), 16 + 80);
    assert_eq!(bytes[1], 11);
    assert_eq!(bytes[12], 0x02);
    assert_eq!(bytes[13], 0x40);
}

#[test]
fn error_message_code_and_pointer() {
    let bytes = hex(&[
        "3b 02 44 02 66 b1", // HEL 2 (24 octets), type 68 Error, Error Code 1 (octet 3 = 1<<1), checksum
        "00 38",             // Pointer 0x38
        "60 00 00 00 00 18 8c 40", // packet in error: start of an IPv6 header ...
        "20 01 0d b8 00 00 00 00", // ... (truncated copy)
    ]);
    let msg = Message::parse(&bytes).unwrap();
    let Message::Error(e) = &msg else {
        panic!("not an Error")
    };
    assert_eq!(e.code, error_code::UNRECOGNIZED_CRITICAL_OPTION);
    assert_eq!(e.pointer, 0x38);
    assert_eq!(e.packet_in_error, bytes[8..].to_vec());
    assert_emits(&msg, &bytes);
}

#[test]
fn error_message_pads_packet_in_error_and_truncates_to_minimum_mtu() {
    let msg = Message::Error(ErrorMessage::new(
        error_code::UNKNOWN_MESSAGE_TYPE,
        2,
        &[0xab; 3],
    ));
    let bytes = msg.to_bytes().unwrap();
    assert_eq!(bytes.len(), 16);
    assert_eq!(bytes[3], 0);
    assert_eq!(&bytes[8..], &[0xab, 0xab, 0xab, 0, 0, 0, 0, 0]);
    let big = ErrorMessage::new(0, 0, &[1u8; 4000]);
    // 1280 - 40 (IPv6) - 8 (Error header) octets of the invoking packet.
    assert_eq!(big.packet_in_error.len(), 1232);
    assert_eq!(Message::Error(big).buffer_len() + 40, 1280);
}

#[test]
fn message_ignores_octets_after_hdr_ext_len() {
    let mut bytes = hex(&["3b 01 42 00 82 bc 00 00 00 00 00 42 00 00 00 00"]);
    bytes.extend_from_slice(&[0xff; 8]);
    assert!(matches!(Message::parse(&bytes), Ok(Message::Keepalive(_))));
}
