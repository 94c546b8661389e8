//! Malformed control messages: each must give a specific `Err`.

use super::{hex, refresh_checksum};
use crate::wire::*;

fn keepalive() -> Vec<u8> {
    hex(&["3b 01 42 00 82 bc 00 00 00 00 00 42 00 00 00 00"])
}

#[test]
fn every_truncation_of_a_valid_message_is_an_error() {
    let bytes = hex(&["3b 01 01 00 22 f8 12 34 56 78 9a bc de ad be ef"]);
    for len in 0..bytes.len() {
        let err = Message::parse(&bytes[..len]).unwrap_err();
        let expected = if len < 8 {
            Error::Truncated
        } else {
            Error::BadHdrExtLen
        };
        assert_eq!(err, expected, "len {len}");
    }
}

#[test]
fn hdr_ext_len_past_end_of_buffer() {
    let mut bytes = keepalive();
    bytes[1] = 2;
    assert_eq!(Message::parse(&bytes), Err(Error::BadHdrExtLen));
}

#[test]
fn hdr_ext_len_too_small_for_message_type() {
    // Keepalive with Hdr Ext Len 0: only 8 octets, a Keepalive needs 16.
    let bytes = hex(&["3b 00 42 00 82 ff 00 00"]);
    assert_eq!(Message::parse(&bytes), Err(Error::BadHdrExtLen));
    // I2 needs 24 octets, I2bis 32.
    for (msg_type, hel) in [(3u8, 1u8), (6, 2)] {
        let mut bytes = vec![0u8; (usize::from(hel) + 1) * 8];
        bytes[0] = 59;
        bytes[1] = hel;
        bytes[2] = msg_type;
        refresh_checksum(&mut bytes);
        assert_eq!(
            Message::parse(&bytes),
            Err(Error::BadHdrExtLen),
            "type {msg_type}"
        );
    }
}

#[test]
fn bad_checksum() {
    let mut bytes = keepalive();
    bytes[5] ^= 0x01;
    assert_eq!(Message::parse(&bytes), Err(Error::BadChecksum));
    let mut bytes = keepalive();
    bytes[11] = 0x43;
    assert_eq!(Message::parse(&bytes), Err(Error::BadChecksum));
}

#[test]
fn p_bit_set_is_not_a_control_message() {
    // The digest's payload header example.
    assert_eq!(
        Message::parse(&hex(&["06 00 92 34 56 78 9a bc"])),
        Err(Error::NotControl)
    );
    let mut bytes = keepalive();
    bytes[2] |= 0x80;
    assert_eq!(Message::parse(&bytes), Err(Error::NotControl));
}

#[test]
fn s_bit_set_is_hip() {
    let mut bytes = keepalive();
    bytes[3] = 0x01;
    refresh_checksum(&mut bytes);
    assert_eq!(Message::parse(&bytes), Err(Error::NotShim6));
}

#[test]
fn unknown_message_types() {
    for msg_type in [0u8, 7, 59, 63, 69, 127] {
        let mut bytes = keepalive();
        bytes[2] = msg_type;
        refresh_checksum(&mut bytes);
        assert_eq!(
            Message::parse(&bytes),
            Err(Error::UnknownMessageType(msg_type))
        );
    }
}

fn probe_header(counts: u8, sta: u8, hel: u8) -> Vec<u8> {
    let mut bytes = vec![0u8; (usize::from(hel) + 1) * 8];
    bytes[..4].copy_from_slice(&[59, hel, 67, 0]);
    bytes[12] = counts;
    bytes[13] = sta << 6;
    refresh_checksum(&mut bytes);
    bytes
}

#[test]
fn probe_report_counts_beyond_header() {
    // Psent = 1, Precvd = 1 need 96 octets; HEL 6 gives 56.
    assert_eq!(
        Message::parse(&probe_header(0x11, 0, 6)),
        Err(Error::BadHdrExtLen)
    );
    // Psent = 15 with no reports at all.
    assert_eq!(
        Message::parse(&probe_header(0x0f, 0, 1)),
        Err(Error::BadHdrExtLen)
    );
    // Exactly enough room parses.
    assert!(Message::parse(&probe_header(0x11, 0, 11)).is_ok());
}

#[test]
fn probe_with_psent_zero_or_sta_three() {
    assert!(matches!(
        Message::parse(&probe_header(0x10, 0, 6)),
        Err(Error::InvalidField(_))
    ));
    assert!(matches!(
        Message::parse(&probe_header(0x01, 3, 6)),
        Err(Error::InvalidField(_))
    ));
}

#[test]
fn probe_may_carry_options_after_reports() {
    let mut bytes = probe_header(0x01, 1, 7);
    bytes[56..64].copy_from_slice(&hex(&["80 02 00 01 aa 00 00 00"]));
    refresh_checksum(&mut bytes);
    let Message::Probe(probe) = Message::parse(&bytes).unwrap() else {
        panic!("not a Probe")
    };
    assert_eq!(probe.state, ReapState::Exploring);
    assert_eq!(probe.options.unknown.len(), 1);
}

#[test]
fn context_tag_constructor_rejects_48_bit_values() {
    assert!(ContextTag::new(1 << 47).is_none());
    assert_eq!(
        ContextTag::new((1 << 47) - 1).map(ContextTag::get),
        Some((1 << 47) - 1)
    );
    assert!(ContextTag::try_from(u64::MAX).is_err());
}

#[test]
fn emit_rejects_unencodable_messages() {
    let tag = ContextTag::new(1).unwrap();
    // 16 sent reports do not fit the Psent nibble.
    let report = ProbeReport {
        src: "::1".parse().unwrap(),
        dst: "::2".parse().unwrap(),
        nonce: 0,
        data: 0,
    };
    let probe = Message::Probe(Probe {
        receiver_tag: tag,
        state: ReapState::Operational,
        sent: vec![report; 16],
        received: vec![],
        options: Options::default(),
    });
    assert_eq!(probe.to_bytes(), Err(Error::TooLong));
    // A header larger than Hdr Ext Len can describe (2048 octets).
    let huge = Message::R1(R1 {
        initiator_nonce: 0,
        responder_nonce: 0,
        options: Options {
            responder_validator: Some(vec![0; 2100]),
            ..Options::default()
        },
    });
    assert_eq!(huge.to_bytes(), Err(Error::TooLong));
    // Error Code is 7 bits.
    let error = Message::Error(ErrorMessage {
        code: 128,
        pointer: 0,
        packet_in_error: vec![],
    });
    assert!(matches!(error.to_bytes(), Err(Error::InvalidField(_))));
    // Short output buffer.
    let ka = Message::Keepalive(Keepalive {
        receiver_tag: tag,
        options: Options::default(),
    });
    assert_eq!(ka.emit(&mut [0u8; 15]), Err(Error::BufferTooSmall));
}

#[test]
fn control_view_checks_length() {
    assert_eq!(
        ControlPacket::new_checked(&[0u8; 7][..]).unwrap_err(),
        Error::Truncated
    );
    let mut bytes = keepalive();
    bytes[1] = 1;
    let view = ControlPacket::new_checked(&bytes[..]).unwrap();
    assert_eq!(view.header_len(), 16);
    assert_eq!(view.msg_type(), 66);
    assert!(!view.p_bit());
    assert_eq!(view.context_tag_at(6).unwrap().get(), 0x42);
    assert_eq!(view.context_tag_at(12), Err(Error::Truncated));
}

#[test]
fn error_reply_gives_code_and_pointer() {
    assert_eq!(
        Error::UnknownMessageType(9).error_reply(),
        Some((error_code::UNKNOWN_MESSAGE_TYPE, 2))
    );
    let critical = Error::UnknownCriticalOption {
        option_type: 16385,
        offset: 24,
    };
    assert_eq!(
        critical.error_reply(),
        Some((error_code::UNRECOGNIZED_CRITICAL_OPTION, 24))
    );
    assert_eq!(Error::BadChecksum.error_reply(), None);
    assert_eq!(
        Error::BadOptionLength {
            option_type: 2,
            offset: 16
        }
        .error_reply(),
        None
    );
}
