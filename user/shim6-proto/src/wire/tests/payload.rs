use super::{hex, tag};
use crate::wire::{Error, PayloadHeader, PayloadRepr};

#[test]
fn digest_payload_example() {
    // TCP (6), Hdr Ext Len 0, P=1 + tag 0x1234_5678_9abc.
    let bytes = hex(&["06 00 92 34 56 78 9a bc"]);
    let repr = PayloadRepr::parse(&bytes).unwrap();
    assert_eq!(
        repr,
        PayloadRepr {
            next_header: 6,
            context_tag: tag(0x1234_5678_9abc)
        }
    );
    assert_eq!(repr.to_bytes().to_vec(), bytes);
    let mut out = [0u8; 8];
    repr.emit(&mut out).unwrap();
    assert_eq!(out.to_vec(), bytes);
}

#[test]
fn largest_tag_keeps_p_bit() {
    let bytes = hex(&["11 00 ff ff ff ff ff ff"]);
    let repr = PayloadRepr::parse(&bytes).unwrap();
    assert_eq!(repr.context_tag.get(), (1 << 47) - 1);
    assert_eq!(repr.next_header, 17);
}

#[test]
fn view_accessors_and_setters() {
    let mut buf = hex(&["06 00 80 00 00 00 00 01", "de ad"]);
    let mut view = PayloadHeader::new_checked(&mut buf[..]).unwrap();
    assert!(view.p_bit());
    assert_eq!(view.context_tag(), tag(1));
    assert_eq!(view.payload(), &[0xde, 0xad]);
    view.set_context_tag(tag(0x7fff_0000_0002));
    view.set_next_header(58);
    assert!(view.p_bit(), "setting the tag must not clear P");
    assert_eq!(buf, hex(&["3a 00 ff ff 00 00 00 02 de ad"]));
}

#[test]
fn p_bit_clear_is_not_a_payload_header() {
    assert_eq!(
        PayloadRepr::parse(&hex(&["06 00 12 34 56 78 9a bc"])),
        Err(Error::NotPayload)
    );
}

#[test]
fn nonzero_hdr_ext_len_is_rejected() {
    assert_eq!(
        PayloadRepr::parse(&hex(&["06 01 92 34 56 78 9a bc"])),
        Err(Error::BadHdrExtLen)
    );
}

#[test]
fn truncated_payload_header() {
    for len in 0..8 {
        let bytes = hex(&["06 00 92 34 56 78 9a bc"]);
        assert_eq!(
            PayloadRepr::parse(&bytes[..len]),
            Err(Error::Truncated),
            "len {len}"
        );
        assert!(PayloadHeader::new_checked(&bytes[..len]).is_err());
    }
}

#[test]
fn emit_into_short_buffer_fails() {
    let repr = PayloadRepr {
        next_header: 6,
        context_tag: tag(1),
    };
    assert_eq!(repr.emit(&mut [0u8; 7]), Err(Error::BufferTooSmall));
}
