//! Cross-checks the encoder against Wireshark's Shim6 dissector: every
//! control message type and a payload header packet are written to a pcap
//! file (LINKTYPE_RAW, IPv6 with Next Header 140) and read back with tshark.
//!
//! Debian 12's tshark 4.0 reads control-message fields after the Type octet
//! one octet early, so only what it decodes correctly is compared: IPv6 Next
//! Header, P bit, message type, Hdr Ext Len, checksum status, and the
//! payload header's context tag. Fails (does not skip) without tshark.

use std::net::Ipv6Addr;
use std::path::{Path, PathBuf};
use std::process::Command;

use shim6_proto::wire::*;

const LINKTYPE_RAW: u32 = 101;
const SRC: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 1);
const DST: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 2, 0, 0, 0, 0, 1);

/// Wireshark's checksum status values (proto.h).
const CHECKSUM_BAD: &str = "0";
const CHECKSUM_GOOD: &str = "1";

fn tag(value: u64) -> ContextTag {
    ContextTag::new(value).expect("47-bit test tag")
}

fn locator_options() -> Options {
    Options {
        locator_list: Some(LocatorList {
            generation: 7,
            locators: vec![
                Locator {
                    addr: SRC,
                    method: VerificationMethod::Cga,
                },
                Locator {
                    addr: Ipv6Addr::new(0x2001, 0xdb8, 3, 0, 0, 0, 0, 1),
                    method: VerificationMethod::Hba,
                },
            ],
        }),
        locator_preferences: Some(LocatorPreferences {
            generation: 7,
            element_len: 3,
            elements: vec![
                LocatorPreference {
                    flags: 0,
                    priority: 1,
                    weight: 10,
                },
                LocatorPreference {
                    flags: PREF_FLAG_TRANSIENT,
                    priority: 2,
                    weight: 5,
                },
            ],
        }),
        cga_parameters: Some(vec![0x5a; 94]),
        cga_signature: Some(vec![0xa5; 128]),
        keepalive_timeout: Some(30),
        ..Options::default()
    }
}

fn report(nonce: u32) -> ProbeReport {
    ProbeReport {
        src: SRC,
        dst: DST,
        nonce,
        data: 0,
    }
}

/// One message of every type.
fn messages() -> Vec<Message> {
    let validator = Some(vec![0x11; 20]);
    vec![
        I1 {
            initiator_tag: tag(0x1234_5678_9abc),
            initiator_nonce: 0xdead_beef,
            options: Options::default(),
        }
        .into(),
        R1 {
            initiator_nonce: 0xdead_beef,
            responder_nonce: 7,
            options: Options {
                responder_validator: validator.clone(),
                ..Options::default()
            },
        }
        .into(),
        I2 {
            initiator_tag: tag(0x1234_5678_9abc),
            initiator_nonce: 0xdead_beef,
            responder_nonce: 7,
            options: Options {
                responder_validator: validator.clone(),
                ulid_pair: Some(UlidPair {
                    sender: SRC,
                    receiver: DST,
                }),
                forked_instance_id: Some(2),
                ..locator_options()
            },
        }
        .into(),
        R2 {
            responder_tag: tag(0x42),
            initiator_nonce: 0xdead_beef,
            options: locator_options(),
        }
        .into(),
        R1bis {
            packet_tag: tag(0x99),
            responder_nonce: 8,
            options: Options {
                responder_validator: validator.clone(),
                ..Options::default()
            },
        }
        .into(),
        I2bis {
            initiator_tag: tag(0x1234_5678_9abc),
            initiator_nonce: 1,
            responder_nonce: 8,
            packet_tag: tag(0x99),
            options: Options {
                responder_validator: validator,
                ..locator_options()
            },
        }
        .into(),
        UpdateRequest {
            receiver_tag: tag(0x42),
            request_nonce: 3,
            options: locator_options(),
        }
        .into(),
        UpdateAck {
            receiver_tag: tag(0x42),
            request_nonce: 3,
            options: Options::default(),
        }
        .into(),
        Keepalive {
            receiver_tag: tag(0x42),
            options: Options::default(),
        }
        .into(),
        Probe {
            receiver_tag: tag(0x42),
            state: ReapState::InboundOk,
            sent: vec![report(1), report(2)],
            received: vec![report(9)],
            options: Options::default(),
        }
        .into(),
        ErrorMessage::new(error_code::UNRECOGNIZED_CRITICAL_OPTION, 56, &[0x60; 30]).into(),
    ]
}

fn ipv6_packet(shim6: &[u8]) -> Vec<u8> {
    let mut packet = Vec::with_capacity(40 + shim6.len());
    packet.extend_from_slice(&0x6000_0000u32.to_be_bytes()); // version 6
    packet.extend_from_slice(&u16::try_from(shim6.len()).unwrap().to_be_bytes());
    packet.push(IPPROTO_SHIM6);
    packet.push(64); // hop limit
    packet.extend_from_slice(&SRC.octets());
    packet.extend_from_slice(&DST.octets());
    packet.extend_from_slice(shim6);
    packet
}

/// Classic pcap: global header, then a record header per packet (all
/// little-endian, microsecond timestamps).
fn write_pcap(path: &Path, packets: &[Vec<u8>]) {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes()); // magic
    out.extend_from_slice(&2u16.to_le_bytes()); // version major
    out.extend_from_slice(&4u16.to_le_bytes()); // version minor
    out.extend_from_slice(&0i32.to_le_bytes()); // thiszone
    out.extend_from_slice(&0u32.to_le_bytes()); // sigfigs
    out.extend_from_slice(&65535u32.to_le_bytes()); // snaplen
    out.extend_from_slice(&LINKTYPE_RAW.to_le_bytes());
    for (index, packet) in packets.iter().enumerate() {
        let len = u32::try_from(packet.len()).unwrap();
        out.extend_from_slice(&u32::try_from(index).unwrap().to_le_bytes()); // ts seconds
        out.extend_from_slice(&0u32.to_le_bytes()); // ts microseconds
        out.extend_from_slice(&len.to_le_bytes()); // captured length
        out.extend_from_slice(&len.to_le_bytes()); // original length
        out.extend_from_slice(packet);
    }
    std::fs::write(path, out).expect("write pcap");
}

fn tshark(args: &[&str]) -> String {
    let output = Command::new("tshark")
        .args(args)
        .output()
        .expect("tshark must be installed (apt-get install tshark); this test does not skip");
    assert!(
        output.status.success(),
        "tshark failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("tshark output is UTF-8")
}

fn pcap_path(name: &str) -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join(name)
}

/// What tshark must report for one frame.
struct Expected {
    p_bit: &'static str,
    msg_type: String,
    hdr_ext_len: String,
    checksum_status: &'static str,
}

#[test]
fn tshark_decodes_every_message_type_and_the_payload_header() {
    let mut packets = Vec::new();
    let mut expected = Vec::new();
    for msg in messages() {
        let bytes = msg.to_bytes().expect("encode");
        assert!(
            bytes.len() + 40 <= MAX_CONTROL_PACKET,
            "type {} too big",
            msg.msg_type()
        );
        expected.push(Expected {
            p_bit: "0",
            msg_type: msg.msg_type().to_string(),
            hdr_ext_len: (bytes.len() / 8 - 1).to_string(),
            checksum_status: CHECKSUM_GOOD,
        });
        packets.push(ipv6_packet(&bytes));
    }
    // A corrupted copy of the Keepalive proves the checksum status is a real
    // check and not a constant.
    let mut corrupted = Message::from(Keepalive {
        receiver_tag: tag(0x42),
        options: Options::default(),
    })
    .to_bytes()
    .unwrap();
    corrupted[15] ^= 0x01;
    expected.push(Expected {
        p_bit: "0",
        msg_type: "66".into(),
        hdr_ext_len: "1".into(),
        checksum_status: CHECKSUM_BAD,
    });
    packets.push(ipv6_packet(&corrupted));
    // Payload header in front of a UDP header (8 octets of zeros).
    let payload = PayloadRepr {
        next_header: 17,
        context_tag: tag(0x1234_5678_9abc),
    };
    let mut with_payload = payload.to_bytes().to_vec();
    with_payload.extend_from_slice(&[0; 8]);
    packets.push(ipv6_packet(&with_payload));
    let payload_frame = packets.len();

    let path = pcap_path("shim6-wire.pcap");
    write_pcap(&path, &packets);
    let file = path.to_str().expect("UTF-8 path");

    let fields = tshark(&[
        "-r",
        file,
        "-T",
        "fields",
        "-E",
        "separator=|",
        "-E",
        "occurrence=f",
        "-e",
        "ipv6.nxt",
        "-e",
        "shim6.p",
        "-e",
        "shim6.type",
        "-e",
        "shim6.len",
        "-e",
        "shim6.checksum.status",
        "-e",
        "shim6.nxt",
    ]);
    let rows: Vec<Vec<&str>> = fields
        .lines()
        .map(|line| line.split('|').collect())
        .collect();
    assert_eq!(rows.len(), packets.len(), "one line per frame:\n{fields}");

    for (frame, (row, want)) in rows.iter().zip(&expected).enumerate() {
        let context = format!("frame {} (type {}): {row:?}", frame + 1, want.msg_type);
        assert_eq!(row[0], "140", "IPv6 next header, {context}");
        assert_eq!(row[1], want.p_bit, "P bit, {context}");
        assert_eq!(row[2], want.msg_type, "message type, {context}");
        assert_eq!(row[3], want.hdr_ext_len, "Hdr Ext Len, {context}");
        assert_eq!(row[4], want.checksum_status, "checksum status, {context}");
        assert_eq!(row[5], "59", "control next header, {context}");
    }

    let payload_row = &rows[payload_frame - 1];
    assert_eq!(payload_row[0], "140");
    assert_eq!(payload_row[1], "1", "payload P bit: {payload_row:?}");
    assert_eq!(payload_row[3], "0", "payload Hdr Ext Len: {payload_row:?}");
    assert_eq!(payload_row[5], "17", "payload next header: {payload_row:?}");

    // The context tag is a text-only (FT_NONE) item: read its label from PDML.
    let pdml = tshark(&[
        "-r",
        file,
        "-T",
        "pdml",
        "-Y",
        &format!("frame.number == {payload_frame}"),
    ]);
    assert!(
        pdml.contains("Receiver Context Tag: 12 34 56 78 9a bc"),
        "payload context tag not decoded as expected:\n{pdml}"
    );
}
