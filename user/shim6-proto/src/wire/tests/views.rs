//! Per-message zero-copy views: accessors on hand-built bytes, setters, and
//! length checks.

use super::{hex, tag};
use crate::wire::*;

#[test]
fn i1_view_reads_digest_example() {
    let bytes = hex(&["3b 01 01 00 22 f8 12 34 56 78 9a bc de ad be ef"]);
    let view = I1Packet::new_checked(&bytes[..]).unwrap();
    assert_eq!(view.control().msg_type(), I1Packet::<&[u8]>::MSG_TYPE);
    assert_eq!(view.initiator_context_tag(), tag(0x1234_5678_9abc));
    assert_eq!(view.initiator_nonce(), 0xdead_beef);
    assert!(view.after_fixed().is_empty());
}

#[test]
fn i2bis_view_packet_tag_masks_last_reserved_bit() {
    let mut bytes = hex(&[
        "3b 03 06 00 00 00",       // HEL 3, type 6, checksum (not checked by views)
        "00 00 00 00 00 01",       // Initiator Context Tag 1
        "aa aa aa aa bb bb bb bb", // nonces
        "ff ff ff ff ff ff",       // Reserved2
        "ff ff ff ff ff ff",       // last reserved bit + Packet Context Tag 2^47-1
    ]);
    let view = I2bisPacket::new_checked(&bytes[..]).unwrap();
    assert_eq!(view.packet_context_tag().get(), ContextTag::MAX);
    assert_eq!(view.responder_nonce(), 0xbbbb_bbbb);
    let mut view = I2bisPacket::new_checked(&mut bytes[..]).unwrap();
    view.set_packet_context_tag(tag(2));
    view.control_mut().fill_checksum();
    assert_eq!(&bytes[26..32], &[0, 0, 0, 0, 0, 2]);
    assert!(ControlPacket::new_checked(&bytes[..])
        .unwrap()
        .verify_checksum());
}

#[test]
fn views_reject_headers_shorter_than_their_fixed_part() {
    // A 16-octet header is enough for I1 but not for I2 (24) or I2bis (32).
    let bytes = hex(&["3b 01 03 00 00 00 00 00 00 00 00 01 00 00 00 02"]);
    assert!(I1Packet::new_checked(&bytes[..]).is_ok());
    assert_eq!(
        I2Packet::new_checked(&bytes[..]).unwrap_err(),
        Error::BadHdrExtLen
    );
    assert_eq!(
        I2bisPacket::new_checked(&bytes[..]).unwrap_err(),
        Error::BadHdrExtLen
    );
    assert_eq!(
        KeepalivePacket::new_checked(&bytes[..12]).unwrap_err(),
        Error::BadHdrExtLen
    );
}

#[test]
fn probe_view_counts_state_and_reports() {
    let mut bytes = [0u8; 56];
    bytes[..4].copy_from_slice(&[59, 6, 67, 0]);
    bytes[12] = 0x01; // Precvd 0, Psent 1
    bytes[13] = 0x40; // Sta Exploring
    bytes[16..32].copy_from_slice(&[0xfe; 16]); // sent[0].src
    let view = ProbePacket::new_checked(&bytes[..]).unwrap();
    assert_eq!((view.precvd(), view.psent(), view.sta()), (0, 1, 1));
    assert_eq!(view.reports_end(), 56);
    assert!(view.check_reports_len().is_ok());
    assert_eq!(view.report(0).map(|r| r[0]), Some(0xfe));
    assert_eq!(view.report(1), None);
    let mut view = ProbePacket::new_checked(&mut bytes[..]).unwrap();
    view.set_counts(1, 1);
    view.set_sta(2);
    assert_eq!((bytes[12], bytes[13]), (0x11, 0x80));
    let view = ProbePacket::new_checked(&bytes[..]).unwrap();
    assert_eq!(view.check_reports_len(), Err(Error::BadHdrExtLen));
    assert_eq!(
        view.report(1),
        None,
        "second report would run past the header"
    );
}

#[test]
fn error_view_code_pointer_and_packet() {
    let bytes = hex(&["3b 01 44 08 00 00 00 2a", "01 02 03 04 05 06 07 08"]);
    let view = ErrorPacket::new_checked(&bytes[..]).unwrap();
    assert_eq!(view.error_code(), error_code::LOCATOR_COUNT_MISMATCH);
    assert_eq!(view.pointer(), 42);
    assert_eq!(view.packet_in_error(), &[1, 2, 3, 4, 5, 6, 7, 8]);
}

#[test]
fn update_and_r_views_setters_write_the_rfc_offsets() {
    let mut bytes = [0u8; 16];
    bytes[1] = 1;
    let mut r1 = R1Packet::new_checked(&mut bytes[..]).unwrap();
    r1.set_initiator_nonce(0x0102_0304);
    r1.set_responder_nonce(0x0506_0708);
    assert_eq!(&bytes[6..16], &[0, 0, 1, 2, 3, 4, 5, 6, 7, 8]);
    let mut ack = UpdateAckPacket::new_checked(&mut bytes[..]).unwrap();
    ack.set_receiver_context_tag(tag(0x0a0b));
    ack.set_request_nonce(9);
    assert_eq!(&bytes[6..16], &[0, 0, 0, 0, 0x0a, 0x0b, 0, 0, 0, 9]);
    let r2 = R2Packet::new_checked(&bytes[..]).unwrap();
    assert_eq!(r2.responder_context_tag(), tag(0x0a0b));
    let rq = UpdateRequestPacket::new_checked(&bytes[..]).unwrap();
    assert_eq!(rq.request_nonce(), 9);
    let r1bis = R1bisPacket::new_checked(&bytes[..]).unwrap();
    assert_eq!(r1bis.packet_context_tag(), tag(0x0a0b));
}
