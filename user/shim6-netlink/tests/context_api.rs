//! The context API on the wire: requests the client builds compared with
//! hand-written bytes, and hand-written replies and events, laid out the
//! way the kernel sends them, decoded.  Netlink is host-endian: the
//! vectors are little-endian.
#![cfg(target_endian = "little")]

use std::net::Ipv6Addr;

use shim6_netlink::message::{GenlMessage, Messages};
use shim6_netlink::{
    Context, CtxAdd, Event, OwnedGenlMessage, Params, ParseError, ReapState, Request,
    SetPeerPolicy, Traffic, TriggerPolicy,
};

const FAMILY_ID: u16 = 0x1d;

/// A ctx-add request as the client builds it: tags 0x1234/0x5678, ULIDs
/// 2001:db8::1 -> 2001:db8::2, local locators {2001:db8::1, 2001:db8:1::1},
/// Send Timeout 500 ms.
const CTX_ADD_REQUEST: &[u8] = &[
    0x88, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // len 136, family 0x1d, flags 0x5, seq 1, port 0
    0x02, 0x01, 0x00, 0x00, // cmd 2, version 1
    0x0c, 0x00, 0x04, 0x00, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // LOCAL_TAG 0x1234
    0x0c, 0x00, 0x05, 0x00, 0x78, 0x56, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // PEER_TAG 0x5678
    0x14, 0x00, 0x06, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_ULID 2001:db8::1
    0x14, 0x00, 0x07, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_ULID 2001:db8::2
    0x2c, 0x00, 0x0a, 0x80, // LOCAL_LOCATORS (nested)
    0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, //   LOCATOR 2001:db8::1
    0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, //   LOCATOR 2001:db8:1::1
    0x08, 0x00, 0x0c, 0x00, 0xf4, 0x01, 0x00, 0x00, // SEND_TIMEOUT_MS 500
];

/// A ctx-get reply laid out as nla_put_64bit does where u64 payloads
/// must be 8-aligned (a PAD before each u64), one locator nest without
/// NLA_F_NESTED (nla_nest_start_noflag), LAST_RX_MS but no LAST_TX_MS.
const CTX_GET_REPLY: &[u8] = &[
    0x3c, 0x01, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xd2, 0x04, 0x00,
    0x00, // len 316, family 0x1d, flags 0x0, seq 1, port 1234
    0x04, 0x01, 0x00, 0x00, // cmd 4, version 1
    0x04, 0x00, 0x03, 0x00, // PAD
    0x0c, 0x00, 0x04, 0x00, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // LOCAL_TAG 0x1234
    0x04, 0x00, 0x03, 0x00, // PAD
    0x0c, 0x00, 0x05, 0x00, 0x78, 0x56, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // PEER_TAG 0x5678
    0x14, 0x00, 0x06, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_ULID 2001:db8::1
    0x14, 0x00, 0x07, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_ULID 2001:db8::2
    0x14, 0x00, 0x08, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_LOCATOR 2001:db8:1::1
    0x14, 0x00, 0x09, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_LOCATOR 2001:db8:2::2
    0x2c, 0x00, 0x0a, 0x00, // LOCAL_LOCATORS (no NESTED flag)
    0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, //   LOCATOR 2001:db8::1
    0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, //   LOCATOR 2001:db8:1::1
    0x2c, 0x00, 0x0b, 0x80, // PEER_LOCATORS (nested)
    0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, //   LOCATOR 2001:db8::2
    0x14, 0x00, 0x01, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, //   LOCATOR 2001:db8:2::2
    0x08, 0x00, 0x0c, 0x00, 0x98, 0x3a, 0x00, 0x00, // SEND_TIMEOUT_MS 15000
    0x08, 0x00, 0x0d, 0x00, 0x98, 0x3a, 0x00, 0x00, // KEEPALIVE_TIMEOUT_MS 15000
    0x05, 0x00, 0x0e, 0x00, 0x01, 0x00, 0x00, 0x00, // REAP_STATE 1 (exploring)
    0x04, 0x00, 0x03, 0x00, // PAD
    0x0c, 0x00, 0x14, 0x00, 0x03, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // TX_PACKETS 3
    0x04, 0x00, 0x03, 0x00, // PAD
    0x0c, 0x00, 0x15, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // RX_PACKETS 2
    0x04, 0x00, 0x03, 0x00, // PAD
    0x0c, 0x00, 0x16, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, // TX_BYTES 2^32
    0x04, 0x00, 0x03, 0x00, // PAD
    0x0c, 0x00, 0x17, 0x00, 0xc8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // RX_BYTES 200
    0x08, 0x00, 0x19, 0x00, 0x23, 0x00, 0x00, 0x00, // LAST_RX_MS 35
];

/// evt-trigger: 2001:db8::1 -> 2001:db8::2.
const EVT_TRIGGER: &[u8] = &[
    0x3c, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // len 60, family 0x1d, flags 0x0, seq 0, port 0
    0x14, 0x01, 0x00, 0x00, // cmd 20, version 1
    0x14, 0x00, 0x12, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_ADDRESS 2001:db8::1
    0x14, 0x00, 0x13, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_ADDRESS 2001:db8::2
];

/// evt-send-timeout of context 0x1234 on 2001:db8:1::1 -> 2001:db8:2::2.
const EVT_SEND_TIMEOUT: &[u8; 116] = &[
    0x74, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // len 116, family 0x1d, flags 0x0, seq 0, port 0
    0x15, 0x01, 0x00, 0x00, // cmd 21, version 1
    0x04, 0x00, 0x03, 0x00, // PAD
    0x0c, 0x00, 0x04, 0x00, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // LOCAL_TAG 0x1234
    0x14, 0x00, 0x06, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_ULID 2001:db8::1
    0x14, 0x00, 0x07, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_ULID 2001:db8::2
    0x14, 0x00, 0x08, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_LOCATOR 2001:db8:1::1
    0x14, 0x00, 0x09, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_LOCATOR 2001:db8:2::2
];

/// evt-unknown-tag: tag 0x7fffffffffff from 2001:db8:2::2 to 2001:db8:1::1.
const EVT_UNKNOWN_TAG: &[u8] = &[
    0x48, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // len 72, family 0x1d, flags 0x0, seq 0, port 0
    0x16, 0x01, 0x00, 0x00, // cmd 22, version 1
    0x0c, 0x00, 0x04, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f, 0x00,
    0x00, // LOCAL_TAG 0x7fffffffffff
    0x14, 0x00, 0x12, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_ADDRESS 2001:db8:1::1
    0x14, 0x00, 0x13, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_ADDRESS 2001:db8:2::2
];

/// evt-rx-exploring of context 0x1234 on 2001:db8:1::1 <- 2001:db8:2::2.
const EVT_RX_EXPLORING: &[u8] = &[
    0x48, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // len 72, family 0x1d, flags 0x0, seq 0, port 0
    0x17, 0x01, 0x00, 0x00, // cmd 23, version 1
    0x0c, 0x00, 0x04, 0x00, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // LOCAL_TAG 0x1234
    0x14, 0x00, 0x08, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_LOCATOR 2001:db8:1::1
    0x14, 0x00, 0x09, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_LOCATOR 2001:db8:2::2
];

/// evt-path-changed of context 0x1234 to 2001:db8::1 -> 2001:db8:2::2.
const EVT_PATH_CHANGED: &[u8] = &[
    0x48, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // len 72, family 0x1d, flags 0x0, seq 0, port 0
    0x18, 0x01, 0x00, 0x00, // cmd 24, version 1
    0x0c, 0x00, 0x04, 0x00, 0x34, 0x12, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // LOCAL_TAG 0x1234
    0x14, 0x00, 0x08, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x01, // LOCAL_LOCATOR 2001:db8::1
    0x14, 0x00, 0x09, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_LOCATOR 2001:db8:2::2
];

/// evt-ipsec-refused of context 0x1234 (ULIDs 2001:db8::1 -> 2001:db8::2)
/// for the pair 2001:db8:1::1 -> 2001:db8:2::2: the attributes of
/// evt-send-timeout under cmd 25.
const EVT_IPSEC_REFUSED: &[u8] = &with_cmd(EVT_SEND_TIMEOUT, 25);

/// `vector` with its genl command (the octet after the 16-octet nlmsghdr)
/// replaced by `cmd`.
const fn with_cmd<const N: usize>(vector: &[u8; N], cmd: u8) -> [u8; N] {
    let mut message = *vector;
    message[16] = cmd;
    message
}

/// get-params reply: 65536 bytes, 10 seconds.
const GET_PARAMS_REPLY: &[u8] = &[
    0x24, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0xd2, 0x04, 0x00,
    0x00, // len 36, family 0x1d, flags 0x0, seq 1, port 1234
    0x09, 0x01, 0x00, 0x00, // cmd 9, version 1
    0x08, 0x00, 0x0f, 0x00, 0x00, 0x00, 0x01, 0x00, // TRIGGER_BYTES 65536
    0x08, 0x00, 0x10, 0x00, 0x0a, 0x00, 0x00, 0x00, // TRIGGER_SECONDS 10
];

/// set-peer-policy request: 2001:db8::2 never.
const SET_PEER_POLICY_REQUEST: &[u8] = &[
    0x30, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, // len 48, family 0x1d, flags 0x5, seq 1, port 0
    0x0a, 0x01, 0x00, 0x00, // cmd 10, version 1
    0x14, 0x00, 0x13, 0x00, 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x02, // PEER_ADDRESS 2001:db8::2
    0x05, 0x00, 0x11, 0x00, 0x01, 0x00, 0x00, 0x00, // TRIGGER_POLICY 1 (never)
];

fn addr(text: &str) -> Ipv6Addr {
    text.parse().expect("test address")
}

fn only_message(datagram: &[u8]) -> OwnedGenlMessage {
    let messages: Vec<_> = Messages::new(datagram)
        .collect::<Result<_, _>>()
        .expect("valid datagram");
    assert_eq!(messages.len(), 1);
    GenlMessage::parse(messages[0])
        .expect("genl header")
        .to_owned()
}

/// `vector` with its attributes replaced by `attrs`.
fn with_attrs(vector: &[u8], attrs: &[u8]) -> OwnedGenlMessage {
    let mut message = only_message(vector);
    message.attr_bytes = attrs.to_vec();
    message
}

#[test]
fn ctx_add_request_encodes_as_written() {
    let request = CtxAdd {
        local_locators: Some(vec![addr("2001:db8::1"), addr("2001:db8:1::1")]),
        send_timeout_ms: Some(500),
        ..CtxAdd::new(0x1234, 0x5678, addr("2001:db8::1"), addr("2001:db8::2"))
    };
    let bytes = request.to_message(FAMILY_ID).finish(1).unwrap();
    assert_eq!(bytes, CTX_ADD_REQUEST);
}

#[test]
fn set_peer_policy_request_encodes_as_written() {
    let request = SetPeerPolicy {
        peer_address: addr("2001:db8::2"),
        policy: TriggerPolicy::Never,
    };
    let bytes = request.to_message(FAMILY_ID).finish(1).unwrap();
    assert_eq!(bytes, SET_PEER_POLICY_REQUEST);
}

fn expected_context() -> Context {
    Context {
        local_tag: 0x1234,
        peer_tag: 0x5678,
        local_ulid: addr("2001:db8::1"),
        peer_ulid: addr("2001:db8::2"),
        local_locator: addr("2001:db8:1::1"),
        peer_locator: addr("2001:db8:2::2"),
        local_locators: vec![addr("2001:db8::1"), addr("2001:db8:1::1")],
        peer_locators: vec![addr("2001:db8::2"), addr("2001:db8:2::2")],
        send_timeout_ms: 15000,
        keepalive_timeout_ms: 15000,
        reap_state: ReapState::Exploring,
        traffic: Traffic {
            tx_packets: 3,
            rx_packets: 2,
            tx_bytes: 1 << 32,
            rx_bytes: 200,
            last_tx_ms: None,
            last_rx_ms: Some(35),
        },
    }
}

#[test]
fn ctx_get_reply_decodes_with_pads_and_nests() {
    let context = Context::parse(&only_message(CTX_GET_REPLY)).unwrap();
    assert_eq!(context, expected_context());
}

#[test]
fn ctx_get_reply_attributes_may_come_in_any_order() {
    let reply = only_message(CTX_GET_REPLY);
    let mut attrs: Vec<&[u8]> = Vec::new();
    let mut rest = &reply.attr_bytes[..];
    while !rest.is_empty() {
        let len = usize::from(u16::from_ne_bytes([rest[0], rest[1]]));
        let take = (len + 3) & !3;
        attrs.push(&rest[..take]);
        rest = &rest[take..];
    }
    attrs.reverse();
    let reversed = with_attrs(CTX_GET_REPLY, &attrs.concat());
    assert_eq!(Context::parse(&reversed).unwrap(), expected_context());
}

#[test]
fn ctx_get_reply_without_a_required_attribute_is_an_error() {
    let reply = only_message(CTX_GET_REPLY);
    // Drop the leading PAD and LOCAL_TAG (4 + 12 octets).
    let truncated = with_attrs(CTX_GET_REPLY, &reply.attr_bytes[16..]);
    assert_eq!(
        Context::parse(&truncated),
        Err(ParseError::MissingAttribute {
            context: "ctx-get reply",
            name: "LOCAL_TAG"
        })
    );
}

#[test]
fn ctx_get_reply_with_a_short_address_is_an_error() {
    // PEER_ULID of 15 octets (length 19, padded to 20).
    let mut bytes = only_message(CTX_GET_REPLY).attr_bytes;
    let at = 4 + 12 + 4 + 12 + 20; // PAD, LOCAL_TAG, PAD, PEER_TAG, LOCAL_ULID
    assert_eq!(&bytes[at..at + 4], &[0x14, 0x00, 0x07, 0x00]);
    bytes[at] = 0x13;
    assert_eq!(
        Context::parse(&with_attrs(CTX_GET_REPLY, &bytes)),
        Err(ParseError::BadPayloadLength {
            kind: 7,
            expected: 16,
            got: 15
        })
    );
}

#[test]
fn ctx_get_reply_with_a_garbled_locator_nest_is_an_error() {
    let mut bytes = only_message(CTX_GET_REPLY).attr_bytes;
    let nest = 4 + 12 + 4 + 12 + 4 * 20; // ... PEER_LOCATOR
    assert_eq!(&bytes[nest..nest + 4], &[0x2c, 0x00, 0x0a, 0x00]);
    // The first LOCATOR claims 0x30 octets, past the end of its nest.
    bytes[nest + 4] = 0x30;
    let error = Context::parse(&with_attrs(CTX_GET_REPLY, &bytes)).unwrap_err();
    assert!(
        matches!(
            error,
            ParseError::Truncated {
                what: "attribute",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn ctx_get_reply_with_a_short_counter_is_an_error() {
    let counter: &[u8] = &[0x08, 0x00, 0x14, 0x00, 0x03, 0x00, 0x00, 0x00]; // TX_PACKETS, 4 octets
    let mut bytes = only_message(CTX_GET_REPLY).attr_bytes;
    bytes.extend_from_slice(counter);
    assert_eq!(
        Context::parse(&with_attrs(CTX_GET_REPLY, &bytes)),
        Err(ParseError::BadPayloadLength {
            kind: 20,
            expected: 8,
            got: 4
        })
    );
}

#[test]
fn an_unknown_reap_state_is_kept() {
    let mut bytes = only_message(CTX_GET_REPLY).attr_bytes;
    let reap: &[u8] = &[0x05, 0x00, 0x0e, 0x00, 0x01];
    let at = bytes
        .windows(5)
        .position(|w| w == reap)
        .expect("REAP_STATE in the vector");
    bytes[at + 4] = 9;
    let context = Context::parse(&with_attrs(CTX_GET_REPLY, &bytes)).unwrap();
    assert_eq!(context.reap_state, ReapState::Other(9));
    assert_eq!(context.reap_state.to_string(), "unknown-9");
}

#[test]
fn a_reply_to_another_command_is_refused() {
    let mut reply = only_message(CTX_GET_REPLY);
    reply.genl.cmd = 9;
    assert_eq!(
        Context::parse(&reply),
        Err(ParseError::UnexpectedCommand {
            expected: 4,
            got: 9
        })
    );
    assert!(Params::parse(&only_message(CTX_GET_REPLY)).is_err());
}

#[test]
fn get_params_reply_decodes() {
    assert_eq!(
        Params::parse(&only_message(GET_PARAMS_REPLY)),
        Ok(Params {
            trigger_bytes: 65536,
            trigger_seconds: 10
        })
    );
}

#[test]
fn trigger_event_decodes() {
    assert_eq!(
        Event::parse(&only_message(EVT_TRIGGER)),
        Ok(Event::Trigger {
            local_address: addr("2001:db8::1"),
            peer_address: addr("2001:db8::2"),
        })
    );
}

/// evt-send-timeout and evt-ipsec-refused carry the same attributes.
#[test]
fn send_timeout_and_ipsec_refused_events_decode() {
    let (local_tag, local_ulid, peer_ulid) = (0x1234, addr("2001:db8::1"), addr("2001:db8::2"));
    let (local_locator, peer_locator) = (addr("2001:db8:1::1"), addr("2001:db8:2::2"));
    assert_eq!(
        Event::parse(&only_message(EVT_SEND_TIMEOUT)),
        Ok(Event::SendTimeout {
            local_tag,
            local_ulid,
            peer_ulid,
            local_locator,
            peer_locator,
        })
    );
    assert_eq!(
        Event::parse(&only_message(EVT_IPSEC_REFUSED)),
        Ok(Event::IpsecRefused {
            local_tag,
            local_ulid,
            peer_ulid,
            local_locator,
            peer_locator,
        })
    );
}

#[test]
fn unknown_tag_event_decodes() {
    assert_eq!(
        Event::parse(&only_message(EVT_UNKNOWN_TAG)),
        Ok(Event::UnknownTag {
            tag: 0x7fff_ffff_ffff,
            local_address: addr("2001:db8:1::1"),
            peer_address: addr("2001:db8:2::2"),
        })
    );
}

#[test]
fn rx_exploring_event_decodes() {
    assert_eq!(
        Event::parse(&only_message(EVT_RX_EXPLORING)),
        Ok(Event::RxExploring {
            local_tag: 0x1234,
            local_locator: addr("2001:db8:1::1"),
            peer_locator: addr("2001:db8:2::2"),
        })
    );
}

#[test]
fn path_changed_event_decodes() {
    assert_eq!(
        Event::parse(&only_message(EVT_PATH_CHANGED)),
        Ok(Event::PathChanged {
            local_tag: 0x1234,
            local_locator: addr("2001:db8::1"),
            peer_locator: addr("2001:db8:2::2"),
        })
    );
}

#[test]
fn an_event_of_an_unknown_kind_is_unrecognized_not_an_error() {
    let mut message = only_message(EVT_TRIGGER);
    message.genl.cmd = 30;
    assert_eq!(Event::parse(&message), Ok(Event::Unrecognized { cmd: 30 }));
}

#[test]
fn an_event_missing_an_attribute_is_an_error() {
    // evt-path-changed with its PEER_LOCATOR (the last 20 octets) cut off.
    let message = only_message(EVT_PATH_CHANGED);
    let cut = &message.attr_bytes[..message.attr_bytes.len() - 20];
    assert_eq!(
        Event::parse(&with_attrs(EVT_PATH_CHANGED, cut)),
        Err(ParseError::MissingAttribute {
            context: "evt-path-changed",
            name: "PEER_LOCATOR"
        })
    );
}

#[test]
fn an_event_with_a_truncated_attribute_is_an_error() {
    let message = only_message(EVT_SEND_TIMEOUT);
    let cut = &message.attr_bytes[..message.attr_bytes.len() - 3];
    let error = Event::parse(&with_attrs(EVT_SEND_TIMEOUT, cut)).unwrap_err();
    assert!(
        matches!(
            error,
            ParseError::Truncated {
                what: "attribute",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn event_names_are_the_spec_names_without_evt() {
    let names: Vec<_> = [
        EVT_TRIGGER,
        EVT_SEND_TIMEOUT,
        EVT_UNKNOWN_TAG,
        EVT_RX_EXPLORING,
        EVT_PATH_CHANGED,
        EVT_IPSEC_REFUSED,
    ]
    .iter()
    .map(|vector| Event::parse(&only_message(vector)).unwrap().name())
    .collect();
    assert_eq!(
        names,
        [
            "trigger",
            "send-timeout",
            "unknown-tag",
            "rx-exploring",
            "path-changed",
            "ipsec-refused"
        ]
    );
}

#[test]
fn trigger_policies_parse_by_name_only() {
    assert_eq!("never".parse(), Ok(TriggerPolicy::Never));
    assert_eq!("immediate".parse(), Ok(TriggerPolicy::Immediate));
    assert_eq!("default".parse(), Ok(TriggerPolicy::Default));
    let error = "Never".parse::<TriggerPolicy>().unwrap_err();
    assert_eq!(
        error.to_string(),
        "unknown trigger policy 'Never' (expected default, never or immediate)"
    );
}
