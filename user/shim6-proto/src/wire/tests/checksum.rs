use super::hex;
use crate::wire::{internet_checksum, ControlPacket};

#[test]
fn digest_i1_checksum_is_0x22f8() {
    // I1 from the digest with the checksum field zeroed.
    let zeroed = hex(&["3b 01 01 00 00 00 12 34 56 78 9a bc de ad be ef"]);
    assert_eq!(internet_checksum(&zeroed), 0x22f8);
}

#[test]
fn digest_keepalive_checksum_is_0x82bc() {
    let zeroed = hex(&["3b 01 42 00 00 00 00 00 00 00 00 42 00 00 00 00"]);
    assert_eq!(internet_checksum(&zeroed), 0x82bc);
}

#[test]
fn rfc1071_example_sum() {
    // RFC 1071 §3 example: words 0001 f203 f4f5 f6f7 sum to ddf2 (folded).
    let data = hex(&["00 01 f2 03 f4 f5 f6 f7"]);
    assert_eq!(internet_checksum(&data), !0xddf2);
}

#[test]
fn odd_length_pads_with_zero() {
    assert_eq!(internet_checksum(&[0x12, 0x34, 0x56]), !0x6834);
}

#[test]
fn verify_and_fill_checksum_on_view() {
    let mut bytes = hex(&["3b 01 01 00 22 f8 12 34 56 78 9a bc de ad be ef"]);
    assert!(ControlPacket::new_checked(&bytes[..])
        .unwrap()
        .verify_checksum());
    bytes[15] ^= 1;
    assert!(!ControlPacket::new_checked(&bytes[..])
        .unwrap()
        .verify_checksum());
    let mut packet = ControlPacket::new_checked(&mut bytes[..]).unwrap();
    packet.fill_checksum();
    assert!(packet.verify_checksum());
    assert_eq!(packet.checksum(), 0x22f8 + 1);
}

#[test]
fn checksum_covers_only_the_shim6_header() {
    // Octets after Hdr Ext Len's extent are not part of the message and do
    // not affect the checksum (there is no pseudo-header either).
    let mut bytes = hex(&[
        "3b 01 01 00 22 f8 12 34 56 78 9a bc de ad be ef",
        "ff ff ff ff",
    ]);
    assert!(crate::wire::Message::parse(&bytes).is_ok());
    bytes[17] = 0;
    assert!(crate::wire::Message::parse(&bytes).is_ok());
}
