//! Hand-written netlink byte strings, laid out the way the kernel sends
//! them, decoded by the crate; and requests built by the crate compared
//! with hand-written bytes.  Netlink is host-endian: the vectors are
//! little-endian.
#![cfg(target_endian = "little")]

use shim6_netlink::ack::parse_error_message;
use shim6_netlink::ctrl::{get_family_request, FamilyInfo};
use shim6_netlink::message::{GenlMessage, Messages, NLMSG_ERROR};
use shim6_netlink::{
    Info, KernelError, MessageBuilder, MulticastGroup, OwnedGenlMessage, ParseError,
};

/// A `get-info` reply: version "0.1.0" and Shim6InfoRequests = 5, with the
/// PAD attribute `nla_put_64bit` inserts so the u64 payload is 8-aligned.
const GET_INFO_REPLY: &[u8] = &[
    0x50, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x00, 0x00, // len 80, family 29, flags 0
    0x01, 0x00, 0x00, 0x00, 0xd2, 0x04, 0x00, 0x00, // seq 1, port 1234
    0x01, 0x01, 0x00, 0x00, // cmd GET_INFO, version 1
    0x0a, 0x00, 0x01, 0x00, b'0', b'.', b'1', b'.', b'0', 0x00, 0x00, 0x00, // VERSION
    0x30, 0x00, 0x02, 0x80, // STATS (nested), 48 octets
    0x2c, 0x00, 0x01, 0x80, // ENTRY (nested), 44 octets
    0x16, 0x00, 0x01, 0x00, // NAME, 22 octets
    b'S', b'h', b'i', b'm', b'6', b'I', b'n', b'f', b'o', b'R', b'e', b'q', b'u', b'e', b's', b't',
    b's', 0x00, 0x00, 0x00, // padding
    0x04, 0x00, 0x03, 0x00, // PAD
    0x0c, 0x00, 0x02, 0x00, 0x05, 0, 0, 0, 0, 0, 0, 0, // VALUE = 5
];

/// nlctrl's answer about "shim6": id 29, version 1, group "events" = 11.
const NEWFAMILY_REPLY: &[u8] = &[
    0x54, 0x00, 0x00, 0x00, 0x10, 0x00, 0x00, 0x00, // len 84, GENL_ID_CTRL
    0x01, 0x00, 0x00, 0x00, 0xd2, 0x04, 0x00, 0x00, // seq 1, port 1234
    0x01, 0x02, 0x00, 0x00, // CTRL_CMD_NEWFAMILY, version 2
    0x0a, 0x00, 0x02, 0x00, b's', b'h', b'i', b'm', b'6', 0x00, 0x00, 0x00, // FAMILY_NAME
    0x06, 0x00, 0x01, 0x00, 0x1d, 0x00, 0x00, 0x00, // FAMILY_ID = 29
    0x08, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00, // VERSION = 1
    0x08, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, // HDRSIZE (unused)
    0x1c, 0x00, 0x07, 0x00, // MCAST_GROUPS, no NESTED flag (nla_nest_start_noflag)
    0x18, 0x00, 0x01, 0x00, // group #1
    0x0b, 0x00, 0x01, 0x00, b'e', b'v', b'e', b'n', b't', b's', 0x00, 0x00, // GRP_NAME
    0x08, 0x00, 0x02, 0x00, 0x0b, 0x00, 0x00, 0x00, // GRP_ID = 11
];

/// A capped refusal (EINVAL) with extended ack message and offset.
const REFUSAL: &[u8] = &[
    0x3c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x03, // len 60, NLMSG_ERROR, CAPPED|ACK_TLVS
    0x07, 0x00, 0x00, 0x00, 0xd2, 0x04, 0x00, 0x00, // seq 7, port 1234
    0xea, 0xff, 0xff, 0xff, // -22
    0x18, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x05, 0x00, // echoed request header
    0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0d, 0x00, 0x01, 0x00, b'b', b'a', b'd', b' ',
    b'a', b't', b't', b'r', 0x00, 0x00, 0x00, 0x00, // MSG
    0x08, 0x00, 0x02, 0x00, 0x14, 0x00, 0x00, 0x00, // OFFS = 20
];

/// A positive ack, not capped: the whole 24-octet request is echoed.
const ACK: &[u8] = &[
    0x2c, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, // len 44, NLMSG_ERROR
    0x07, 0x00, 0x00, 0x00, 0xd2, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // 0: success
    0x18, 0x00, 0x00, 0x00, 0x1d, 0x00, 0x05, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x01, 0x01, 0x00, 0x00, 0x04, 0x00, 0x09, 0x00,
];

fn only_message(datagram: &[u8]) -> OwnedGenlMessage {
    let messages: Vec<_> = Messages::new(datagram)
        .collect::<Result<_, _>>()
        .expect("valid datagram");
    assert_eq!(messages.len(), 1);
    GenlMessage::parse(messages[0])
        .expect("genl header")
        .to_owned()
}

/// The get-info reply with its attributes replaced by `attrs`.
fn info_reply_with(attrs: &[u8]) -> OwnedGenlMessage {
    let mut reply = only_message(GET_INFO_REPLY);
    reply.attr_bytes = attrs.to_vec();
    reply
}

#[test]
fn decodes_a_get_info_reply() {
    let reply = only_message(GET_INFO_REPLY);
    assert_eq!(reply.header.kind, 29);
    assert_eq!(reply.header.seq, 1);
    assert_eq!(reply.header.port, 1234);
    assert_eq!((reply.genl.cmd, reply.genl.version), (1, 1));
    let info = Info::parse(&reply).expect("valid reply");
    assert_eq!(
        info,
        Info {
            version: "0.1.0".into(),
            stats: vec![("Shim6InfoRequests".into(), 5)]
        }
    );
}

#[test]
fn get_info_reply_flags_nests() {
    let reply = only_message(GET_INFO_REPLY);
    let stats = reply.attrs().nth(1).unwrap().unwrap();
    assert_eq!(stats.kind(), 2);
    assert!(stats.is_nested());
    let version = reply.attrs().next().unwrap().unwrap();
    assert!(!version.is_nested());
    assert_eq!(version.payload(), b"0.1.0\0");
}

#[test]
fn every_truncation_of_the_get_info_reply_is_an_error() {
    let full = only_message(GET_INFO_REPLY).attr_bytes;
    for len in 0..full.len() {
        let result = Info::parse(&info_reply_with(&full[..len]));
        assert!(result.is_err(), "{len} octets parsed: {result:?}");
    }
    // Only the padding after the last attribute may go.
    assert!(Info::parse(&info_reply_with(&full)).is_ok());
}

#[test]
fn truncated_datagram_is_an_error() {
    for len in 1..GET_INFO_REPLY.len() {
        let results: Vec<_> = Messages::new(&GET_INFO_REPLY[..len]).collect();
        assert_eq!(results.len(), 1);
        assert!(results[0].is_err(), "{len} octets");
    }
}

#[test]
fn get_info_reply_without_stats_is_rejected() {
    let attrs = [
        0x0a, 0x00, 0x01, 0x00, b'0', b'.', b'1', b'.', b'0', 0x00, 0x00, 0x00,
    ];
    assert_eq!(
        Info::parse(&info_reply_with(&attrs)),
        Err(ParseError::MissingAttribute {
            context: "get-info reply",
            name: "STATS"
        })
    );
}

#[test]
fn stats_entry_without_value_is_rejected() {
    let attrs = [
        0x0a, 0x00, 0x01, 0x00, b'0', b'.', b'1', b'.', b'0', 0x00, 0x00, 0x00, // VERSION
        0x10, 0x00, 0x02, 0x80, // STATS
        0x0c, 0x00, 0x01, 0x80, // ENTRY
        0x06, 0x00, 0x01, 0x00, b'X', 0x00, 0x00, 0x00, // NAME "X"
    ];
    assert_eq!(
        Info::parse(&info_reply_with(&attrs)),
        Err(ParseError::MissingAttribute {
            context: "stats entry",
            name: "VALUE"
        })
    );
}

#[test]
fn stats_value_of_the_wrong_size_is_rejected() {
    let attrs = [
        0x0a, 0x00, 0x01, 0x00, b'0', b'.', b'1', b'.', b'0', 0x00, 0x00, 0x00, 0x18, 0x00, 0x02,
        0x80, 0x14, 0x00, 0x01, 0x80, 0x06, 0x00, 0x01, 0x00, b'X', 0x00, 0x00, 0x00, 0x08, 0x00,
        0x02, 0x00, 0x05, 0x00, 0x00, 0x00, // VALUE as u32
    ];
    assert_eq!(
        Info::parse(&info_reply_with(&attrs)),
        Err(ParseError::BadPayloadLength {
            kind: 2,
            expected: 8,
            got: 4
        })
    );
}

#[test]
fn version_without_nul_is_rejected() {
    let attrs = [0x08, 0x00, 0x01, 0x00, b'0', b'.', b'1', b'.'];
    assert_eq!(
        Info::parse(&info_reply_with(&attrs)),
        Err(ParseError::NotNulTerminated { kind: 1 })
    );
}

#[test]
fn version_that_is_not_utf8_is_rejected() {
    let attrs = [0x07, 0x00, 0x01, 0x00, 0xff, 0xfe, 0x00, 0x00];
    assert_eq!(
        Info::parse(&info_reply_with(&attrs)),
        Err(ParseError::NotUtf8 { kind: 1 })
    );
}

#[test]
fn reply_to_another_command_is_rejected() {
    let mut reply = only_message(GET_INFO_REPLY);
    reply.genl.cmd = 9;
    assert_eq!(
        Info::parse(&reply),
        Err(ParseError::UnexpectedCommand {
            expected: 1,
            got: 9
        })
    );
}

#[test]
fn unknown_attributes_are_skipped() {
    let mut attrs = vec![0x08, 0x00, 0x63, 0x00, 1, 2, 3, 4]; // type 99
    attrs.extend_from_slice(&only_message(GET_INFO_REPLY).attr_bytes);
    assert_eq!(
        Info::parse(&info_reply_with(&attrs)).unwrap().stats,
        vec![("Shim6InfoRequests".into(), 5)]
    );
}

#[test]
fn decodes_a_newfamily_reply() {
    let family = FamilyInfo::parse(&only_message(NEWFAMILY_REPLY)).expect("valid reply");
    assert_eq!(
        family,
        FamilyInfo {
            name: "shim6".into(),
            id: 29,
            version: 1,
            multicast_groups: vec![MulticastGroup {
                name: "events".into(),
                id: 11
            }],
        }
    );
    assert_eq!(family.group_id("events"), Some(11));
    assert_eq!(family.group_id("other"), None);
}

#[test]
fn newfamily_reply_without_id_is_rejected() {
    let mut reply = only_message(NEWFAMILY_REPLY);
    // Turn FAMILY_ID (type 1) into type 99.
    reply.attr_bytes[14] = 99;
    assert_eq!(
        FamilyInfo::parse(&reply),
        Err(ParseError::MissingAttribute {
            context: "nlctrl family",
            name: "CTRL_ATTR_FAMILY_ID"
        })
    );
}

#[test]
fn decodes_a_refusal_with_extended_ack() {
    let message = Messages::new(REFUSAL).next().unwrap().unwrap();
    assert_eq!(message.header.kind, NLMSG_ERROR);
    assert_eq!(
        parse_error_message(message.header.flags, message.payload),
        Ok(Some(KernelError {
            errno: 22,
            message: Some("bad attr".into()),
            offset: Some(20)
        }))
    );
}

#[test]
fn refusal_names_errno_and_message() {
    let refusal = KernelError {
        errno: 22,
        message: Some("bad attr".into()),
        offset: None,
    };
    let text = refusal.to_string();
    assert!(text.contains("Invalid argument"), "{text}");
    assert!(text.ends_with(": bad attr"), "{text}");
}

#[test]
fn decodes_an_uncapped_ack() {
    let message = Messages::new(ACK).next().unwrap().unwrap();
    assert_eq!(
        parse_error_message(message.header.flags, message.payload),
        Ok(None)
    );
}

#[test]
fn truncated_refusals_are_errors() {
    let message = Messages::new(REFUSAL).next().unwrap().unwrap();
    // Code only, code plus part of the echoed header, or a cut TLV.
    for len in [0, 2, 4, 10, 19, 22, 30] {
        let result = parse_error_message(message.header.flags, &message.payload[..len]);
        assert!(result.is_err(), "{len} octets: {result:?}");
    }
}

#[test]
fn refusal_without_tlv_flag_ignores_trailing_octets() {
    let message = Messages::new(REFUSAL).next().unwrap().unwrap();
    let capped_only = 0x100;
    assert_eq!(
        parse_error_message(capped_only, message.payload),
        Ok(Some(KernelError {
            errno: 22,
            message: None,
            offset: None
        }))
    );
}

#[test]
fn positive_and_extreme_error_codes_are_rejected() {
    let mut payload = REFUSAL[16..].to_vec();
    payload[..4].copy_from_slice(&5i32.to_le_bytes());
    assert_eq!(
        parse_error_message(0x100, &payload),
        Err(ParseError::BadErrorCode { code: 5 })
    );
    payload[..4].copy_from_slice(&i32::MIN.to_le_bytes());
    assert_eq!(
        parse_error_message(0x100, &payload),
        Err(ParseError::BadErrorCode { code: i32::MIN })
    );
}

#[test]
fn builds_a_getfamily_request() {
    let bytes = get_family_request("shim6").finish(7).unwrap();
    let expected: &[u8] = &[
        0x20, 0x00, 0x00, 0x00, 0x10, 0x00, 0x05, 0x00, // len 32, GENL_ID_CTRL, REQUEST|ACK
        0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, // seq 7, port 0
        0x03, 0x02, 0x00, 0x00, // CTRL_CMD_GETFAMILY, version 2
        0x0a, 0x00, 0x02, 0x00, b's', b'h', b'i', b'm', b'6', 0x00, 0x00, 0x00,
    ];
    assert_eq!(bytes, expected);
}

#[test]
fn builds_nests_and_integers() {
    let mut request = MessageBuilder::new(29, 1, 1);
    let nest = request.nest_start(1);
    request.put_u32(2, 0x0102_0304).put_u8(3, 9);
    request
        .nest_end(nest)
        .put_u64(4, 0x1122_3344_5566_7788)
        .put_flag(5)
        .put_u16(6, 0xabcd);
    let bytes = request.finish(1).unwrap();
    let expected: &[u8] = &[
        0x14, 0x00, 0x01, 0x80, // nest, NESTED flag
        0x08, 0x00, 0x02, 0x00, 0x04, 0x03, 0x02, 0x01, 0x05, 0x00, 0x03, 0x00, 0x09, 0x00, 0x00,
        0x00, 0x0c, 0x00, 0x04, 0x00, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x04, 0x00,
        0x05, 0x00, // flag
        0x06, 0x00, 0x06, 0x00, 0xcd, 0xab, 0x00, 0x00,
    ];
    assert_eq!(&bytes[20..], expected);
    assert_eq!(bytes[..4], (20 + expected.len() as u32).to_le_bytes());
}

#[test]
fn dump_requests_carry_the_dump_flags_and_no_ack() {
    let mut request = MessageBuilder::new(29, 1, 1);
    request.dump();
    assert!(request.is_dump());
    let bytes = request.finish(1).unwrap();
    assert_eq!(bytes[6..8], [0x01, 0x03]); // REQUEST | ROOT | MATCH
}
