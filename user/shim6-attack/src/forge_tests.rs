use std::net::Ipv6Addr;
use std::time::Duration;

use shim6_proto::context::{AcceptAllVerifier, Host, HostConfig, Transmit};
use shim6_proto::random::SeededRandom;
use shim6_proto::wire::{ContextTag, Message, PayloadRepr, R1bis, PAYLOAD_HEADER_LEN, R1};

use super::*;

const RESPONDER: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xb1, 0, 0, 0, 0, 2);
const VICTIM: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xa1, 0, 0, 0, 0, 2);
const ATTACKER: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x666, 0, 0, 0, 0, 0x66);

/// Encodes and decodes, as the wire would.
fn through_codec(message: &Message) -> Message {
    Message::parse(&message.to_bytes().expect("encode")).expect("decode")
}

fn redirecting_initiator() -> Initiator {
    Initiator::random(
        &mut SeededRandom::new(3),
        Some(ulid_pair(VICTIM, RESPONDER)),
    )
}

fn r1_with_validator(initiator_nonce: u32) -> R1 {
    R1 {
        initiator_nonce,
        responder_nonce: 0x5eed_5eed,
        options: Options {
            responder_validator: Some(vec![0xab; 20]),
            ..Options::default()
        },
    }
}

#[test]
fn the_i1_names_the_victim_as_sender_and_survives_the_codec() {
    let initiator = redirecting_initiator();
    let Message::I1(i1) = through_codec(&initiator.i1()) else {
        panic!("not an I1")
    };
    assert_eq!(i1.initiator_tag, initiator.tag);
    assert_eq!(i1.initiator_nonce, initiator.nonce);
    assert_eq!(
        i1.options.ulid_pair,
        Some(UlidPair {
            sender: VICTIM,
            receiver: RESPONDER
        })
    );
}

#[test]
fn the_i2_echoes_the_challenge_and_proves_no_locator() {
    let initiator = redirecting_initiator();
    let r1 = r1_with_validator(initiator.nonce);
    let Message::I2(i2) = through_codec(&initiator.i2_answering(&r1).expect("an I2")) else {
        panic!("not an I2")
    };
    assert_eq!(i2.initiator_tag, initiator.tag);
    assert_eq!(i2.initiator_nonce, initiator.nonce);
    assert_eq!(i2.responder_nonce, r1.responder_nonce);
    assert_eq!(
        i2.options.responder_validator,
        r1.options.responder_validator
    );
    assert_eq!(i2.options.ulid_pair, initiator.ulids);
    assert_eq!(i2.options.locator_list, None);
    assert_eq!(i2.options.cga_parameters, None);
    assert_eq!(i2.options.cga_signature, None);
}

#[test]
fn the_i2bis_carries_the_r1bis_packet_tag() {
    let initiator = redirecting_initiator();
    let r1bis = R1bis {
        packet_tag: ContextTag::new(0x1234_5678).unwrap(),
        responder_nonce: 77,
        options: Options {
            responder_validator: Some(vec![0xcd; 20]),
            ..Options::default()
        },
    };
    let Message::I2bis(i2bis) =
        through_codec(&initiator.i2bis_answering(&r1bis).expect("an I2bis"))
    else {
        panic!("not an I2bis")
    };
    assert_eq!(i2bis.packet_tag, r1bis.packet_tag);
    assert_eq!(i2bis.responder_nonce, 77);
    assert_eq!(
        i2bis.options.responder_validator,
        r1bis.options.responder_validator
    );
    assert_eq!(i2bis.options.locator_list, None);
}

#[test]
fn a_challenge_without_validator_gets_no_answer() {
    let initiator = redirecting_initiator();
    let mut r1 = r1_with_validator(initiator.nonce);
    r1.options.responder_validator = None;
    assert!(initiator.i2_answering(&r1).is_none());
}

#[test]
fn answers_are_matched_by_nonce() {
    let initiator = redirecting_initiator();
    assert!(initiator.is_answered_by(&Message::R1(r1_with_validator(initiator.nonce))));
    assert!(!initiator.is_answered_by(&Message::R1(r1_with_validator(initiator.nonce ^ 1))));
    assert!(!initiator.is_answered_by(&keepalive_for_tag(initiator.tag)));
}

#[test]
fn flood_messages_are_valid_and_fresh() {
    let mut rng = SeededRandom::new(9);
    let first = through_codec(&plain_i1(&mut rng));
    let second = through_codec(&plain_i1(&mut rng));
    assert_ne!(first, second);
    assert_eq!(first.options().ulid_pair, None);
    let tag = random_tag(&mut rng);
    assert_ne!(tag.get(), 0);
    let Message::Keepalive(keepalive) = through_codec(&keepalive_for_tag(tag)) else {
        panic!("not a Keepalive")
    };
    assert_eq!(keepalive.receiver_tag, tag);
}

#[test]
fn received_headers_are_sorted_into_control_payload_and_garbage() {
    let r1 = Message::R1(r1_with_validator(1)).to_bytes().unwrap();
    assert_eq!(Received::classify(&r1).name(), "r1");
    let mut payload = vec![0u8; PAYLOAD_HEADER_LEN];
    PayloadRepr {
        next_header: 6,
        context_tag: ContextTag::new(42).unwrap(),
    }
    .emit(&mut payload)
    .unwrap();
    assert_eq!(Received::classify(&payload), Received::Payload);
    let mut corrupt = r1.clone();
    corrupt[4] ^= 0xff;
    assert_eq!(Received::classify(&corrupt).name(), "malformed");
}

// Against the real protocol core as responder: the tool's messages are
// what a peer would send, so only a responder's checks can stop them.

fn responder() -> Host<AcceptAllVerifier, SeededRandom> {
    Host::new(
        HostConfig::new(vec![RESPONDER]),
        AcceptAllVerifier,
        SeededRandom::new(11),
        Duration::ZERO,
    )
}

fn sent_by(host: &mut Host<AcceptAllVerifier, SeededRandom>) -> Vec<Transmit> {
    std::iter::from_fn(|| host.poll_transmit()).collect()
}

/// Hands `message` from `src` to the responder through the codec and
/// returns what it sent back.
fn exchange(
    host: &mut Host<AcceptAllVerifier, SeededRandom>,
    src: Ipv6Addr,
    message: &Message,
) -> Vec<Transmit> {
    host.handle_message(
        Duration::from_secs(1),
        src,
        RESPONDER,
        through_codec(message),
    );
    sent_by(host)
}

#[test]
fn a_handshake_of_the_handshake_flood_gives_a_context() {
    let mut host = responder();
    let initiator = Initiator::random(&mut SeededRandom::new(5), None);
    let answers = exchange(&mut host, ATTACKER, &initiator.i1());
    let Some(Message::R1(r1)) = answers.first().map(|t| t.message.clone()) else {
        panic!("no R1: {answers:?}")
    };
    assert_eq!(answers[0].dst, ATTACKER);
    let answers = exchange(&mut host, ATTACKER, &initiator.i2_answering(&r1).unwrap());
    assert!(
        answers.iter().any(|t| initiator.is_answered_by(&t.message)),
        "no R2: {answers:?}"
    );
    assert!(host.context_for_ulids(RESPONDER, ATTACKER).is_some());
}

#[test]
fn the_redirecting_i2_passes_the_validator_check() {
    // The R1 comes back to the attacker and its validator is accepted:
    // whatever stops the attack is the responder's proof of locators.
    let mut host = responder();
    let initiator = redirecting_initiator();
    let answers = exchange(&mut host, ATTACKER, &initiator.i1());
    let Some(Message::R1(r1)) = answers.first().map(|t| t.message.clone()) else {
        panic!("no R1: {answers:?}")
    };
    exchange(&mut host, ATTACKER, &initiator.i2_answering(&r1).unwrap());
    assert_eq!(
        host.refusals().get("bad_validator").copied().unwrap_or(0),
        0,
        "{:?}",
        host.refusals()
    );
}
