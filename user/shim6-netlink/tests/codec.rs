//! The attribute and message iterators and the builder on edge cases.
#![cfg(target_endian = "little")]

use shim6_netlink::attr::Attrs;
use shim6_netlink::message::Messages;
use shim6_netlink::{BuildError, MessageBuilder, ParseError};

#[test]
fn empty_run_has_no_attributes() {
    assert_eq!(Attrs::new(&[]).count(), 0);
}

#[test]
fn last_attribute_may_lack_padding() {
    let attrs: Vec<_> = Attrs::new(&[0x05, 0x00, 0x01, 0x00, 0x2a]).collect();
    assert_eq!(attrs.len(), 1);
    assert_eq!(attrs[0].as_ref().unwrap().u8(), Ok(42));
}

#[test]
fn length_shorter_than_the_header_is_rejected_once() {
    let results: Vec<_> = Attrs::new(&[0x03, 0x00, 0x01, 0x00, 0x08, 0x00, 0x01, 0x00]).collect();
    assert_eq!(
        results,
        vec![Err(ParseError::BadLength {
            what: "attribute",
            len: 3
        })]
    );
}

#[test]
fn length_past_the_end_is_rejected() {
    let results: Vec<_> = Attrs::new(&[0x08, 0x00, 0x01, 0x00, 0x01, 0x02]).collect();
    assert_eq!(
        results,
        vec![Err(ParseError::Truncated {
            what: "attribute",
            need: 8,
            have: 6
        })]
    );
}

#[test]
fn stray_octets_after_the_last_attribute_are_rejected() {
    let results: Vec<_> = Attrs::new(&[0x04, 0x00, 0x01, 0x00, 0x00, 0x00]).collect();
    assert_eq!(results.len(), 2);
    assert!(results[0].is_ok());
    assert_eq!(
        results[1],
        Err(ParseError::TrailingBytes {
            what: "attribute run",
            len: 2
        })
    );
}

#[test]
fn flags_are_masked_out_of_the_type() {
    let attr = Attrs::new(&[0x06, 0x00, 0x07, 0x40, 0x12, 0x34])
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(attr.kind(), 7);
    assert!(attr.is_net_byteorder());
    assert!(!attr.is_nested());
    assert_eq!(attr.u16(), Ok(0x1234));
}

#[test]
fn integer_accessors_check_the_size() {
    let attr = Attrs::new(&[0x07, 0x00, 0x01, 0x00, 1, 2, 3])
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(
        attr.u32(),
        Err(ParseError::BadPayloadLength {
            kind: 1,
            expected: 4,
            got: 3
        })
    );
    assert!(attr.u16().is_err());
    assert!(attr.u8().is_err());
    assert!(attr.u64().is_err());
}

#[test]
fn string_stops_at_the_first_nul() {
    let attr = Attrs::new(&[0x08, 0x00, 0x01, 0x00, b'a', 0, b'b', 0])
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(attr.str(), Ok("a"));
}

#[test]
fn nested_runs_are_checked_too() {
    // A nest whose inner attribute claims 9 octets in a 4-octet payload.
    let outer = Attrs::new(&[0x08, 0x00, 0x01, 0x80, 0x09, 0x00, 0x02, 0x00])
        .next()
        .unwrap()
        .unwrap();
    let inner: Vec<_> = outer.nested().collect();
    assert_eq!(
        inner,
        vec![Err(ParseError::Truncated {
            what: "attribute",
            need: 9,
            have: 4
        })]
    );
}

#[test]
fn message_shorter_than_its_header_is_rejected() {
    let datagram = [0x0f, 0, 0, 0, 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    let results: Vec<_> = Messages::new(&datagram).collect();
    assert_eq!(
        results,
        vec![Err(ParseError::BadLength {
            what: "netlink message",
            len: 15
        })]
    );
}

#[test]
fn two_messages_in_one_datagram() {
    let datagram = [
        0x14, 0, 0, 0, 0x10, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0xaa, 0xbb, 0xcc,
        0xdd, // 20 octets
        0x10, 0, 0, 0, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, // NLMSG_DONE
    ];
    let messages: Vec<_> = Messages::new(&datagram).collect::<Result<_, _>>().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0].payload, [0xaa, 0xbb, 0xcc, 0xdd]);
    assert_eq!(messages[1].header.kind, 3);
    assert!(messages[1].payload.is_empty());
}

#[test]
fn builder_reports_oversized_attributes() {
    let mut request = MessageBuilder::new(29, 1, 1);
    request.put_bytes(1, &vec![0; 70_000]);
    assert_eq!(
        request.finish(1),
        Err(BuildError::AttributeTooLong {
            kind: 1,
            len: 70_004
        })
    );
}

#[test]
fn builder_reports_unclosed_and_misordered_nests() {
    let mut request = MessageBuilder::new(29, 1, 1);
    let _open = request.nest_start(1);
    assert_eq!(request.finish(1), Err(BuildError::UnclosedNest { open: 1 }));

    let mut request = MessageBuilder::new(29, 1, 1);
    let outer = request.nest_start(1);
    let inner = request.nest_start(2);
    request.nest_end(outer);
    request.nest_end(inner);
    assert_eq!(request.finish(1), Err(BuildError::NestOrder));
}

#[test]
fn builder_reports_oversized_nests() {
    let mut request = MessageBuilder::new(29, 1, 1);
    let nest = request.nest_start(1);
    request
        .put_bytes(2, &[0; 40_000])
        .put_bytes(3, &[0; 40_000]);
    request.nest_end(nest);
    assert_eq!(
        request.finish(1),
        Err(BuildError::AttributeTooLong {
            kind: 1,
            len: 80_012
        })
    );
}
