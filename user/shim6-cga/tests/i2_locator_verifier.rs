//! The shim6-cga `LocatorVerifier` adapter the `i2` benchmark times, run on
//! real I2s built by an I1 → R1 → I2 exchange: it must accept them as sent
//! and refuse them once a locator octet or the signature is altered, both
//! called directly and behind `Host::handle_message`.

#[path = "../benches/support/cga_locator_verifier.rs"]
mod cga_locator_verifier;
#[path = "../benches/support/i2_exchange.rs"]
mod i2_exchange;

use cga_locator_verifier::CgaLocatorVerifier;
use i2_exchange::{
    cga_identity, hba_identity, i2_from, responder_host, responder_secrets, ReceivedI2,
    EXCHANGE_TIME,
};
use shim6_cga::{generate_rsa_key, Sec};
use shim6_proto::context::{HostEvent, LocatorVerifier, ValidatorInput, VerificationFailure};
use shim6_proto::wire::{error_code, Message, VerificationMethod};
use std::net::Ipv6Addr;
use std::sync::OnceLock;

/// Key generation and the CGA search are the slow part: one I2 per binary.
fn signed_cga_i2() -> &'static ReceivedI2 {
    static I2: OnceLock<ReceivedI2> = OnceLock::new();
    I2.get_or_init(|| {
        i2_from(cga_identity(
            generate_rsa_key(1024).expect("RSA-1024"),
            Sec::ONE,
        ))
    })
}

fn hba_i2() -> &'static ReceivedI2 {
    static I2: OnceLock<ReceivedI2> = OnceLock::new();
    I2.get_or_init(|| i2_from(hba_identity(Sec::ONE)))
}

fn verify(received: &ReceivedI2, message: &Message) -> Result<(), VerificationFailure> {
    let options = message.options();
    let list = options.locator_list.as_ref().expect("Locator List");
    CgaLocatorVerifier::default().verify_peer_locators(received.src, list, options)
}

/// A copy of the received I2 with one octet of locator `index` flipped.
fn with_locator_octet_flipped(received: &ReceivedI2, index: usize) -> Message {
    let mut message = received.message.clone();
    let Message::I2(i2) = &mut message else {
        unreachable!()
    };
    let locator = &mut i2.options.locator_list.as_mut().expect("list").locators[index];
    let mut octets = locator.addr.octets();
    octets[15] ^= 0x01;
    locator.addr = Ipv6Addr::from(octets);
    message
}

fn with_signature_octet_flipped(received: &ReceivedI2) -> Message {
    let mut message = received.message.clone();
    let Message::I2(i2) = &mut message else {
        unreachable!()
    };
    let signature = i2.options.cga_signature.as_mut().expect("signature");
    let middle = signature.len() / 2;
    signature[middle] ^= 0x01;
    message
}

/// What the responder sends back when handed `message` as `received`.
fn responder_reply(received: &ReceivedI2, message: Message) -> (Message, Vec<HostEvent>) {
    let mut host = responder_host(CgaLocatorVerifier::default());
    host.handle_message(EXCHANGE_TIME, received.src, received.dst, message);
    let reply = host.poll_transmit().expect("the responder answers").message;
    let events = std::iter::from_fn(|| host.poll_event()).collect();
    (reply, events)
}

#[test]
fn the_exchange_produces_a_signed_cga_i2() {
    let options = signed_cga_i2().message.options();
    let list = options.locator_list.as_ref().expect("list");
    assert_eq!(list.locators.len(), 3);
    assert!(list
        .locators
        .iter()
        .all(|l| l.method == VerificationMethod::Cga));
    assert_eq!(
        list.locators[0].addr,
        signed_cga_i2().src,
        "the ULID is listed first"
    );
    assert!(options.cga_parameters.is_some());
    assert_eq!(options.cga_signature.as_ref().map(Vec::len), Some(128));
    assert!(options.responder_validator.is_some());
}

/// The benchmark times `Message::parse` on `bytes` and the validator check
/// on rebuilt secrets: both must stand for what the responder really gets.
#[test]
fn bench_inputs_match_the_exchange() {
    let received = signed_cga_i2();
    assert_eq!(
        Message::parse(&received.bytes).as_ref(),
        Ok(&received.message)
    );
    let i2 = received.i2();
    let input = ValidatorInput::Establishment {
        initiator_tag: i2.initiator_tag,
        peer_ulid: received.src,
        local_ulid: received.dst,
        peer_locator: received.src,
        local_locator: received.dst,
    };
    let validator = i2
        .options
        .responder_validator
        .as_deref()
        .expect("validator");
    assert!(responder_secrets().check(validator, i2.responder_nonce, &input));
    assert!(!responder_secrets().check(validator, i2.responder_nonce ^ 1, &input));
}

#[test]
fn signed_cga_i2_is_accepted() {
    let received = signed_cga_i2();
    assert_eq!(verify(received, &received.message), Ok(()));
}

#[test]
fn altered_cga_locator_octet_is_refused() {
    let received = signed_cga_i2();
    for index in 0..3 {
        let altered = with_locator_octet_flipped(received, index);
        assert!(
            verify(received, &altered).is_err(),
            "locator {index} altered"
        );
    }
}

#[test]
fn altered_signature_is_refused() {
    let received = signed_cga_i2();
    assert!(verify(received, &with_signature_octet_flipped(received)).is_err());
}

#[test]
fn missing_signature_is_refused() {
    let received = signed_cga_i2();
    let mut message = received.message.clone();
    let Message::I2(i2) = &mut message else {
        unreachable!()
    };
    i2.options.cga_signature = None;
    assert!(verify(received, &message).is_err());
}

#[test]
fn hba_i2_is_accepted_and_an_altered_locator_is_pointed_at() {
    let received = hba_i2();
    assert!(received.message.options().cga_signature.is_none());
    assert_eq!(verify(received, &received.message), Ok(()));
    let altered = with_locator_octet_flipped(received, 2);
    assert_eq!(
        verify(received, &altered),
        Err(VerificationFailure { locator_index: 2 })
    );
}

#[test]
fn responder_with_the_adapter_establishes_on_the_real_i2() {
    let received = signed_cga_i2();
    let (reply, events) = responder_reply(received, received.message.clone());
    assert!(matches!(reply, Message::R2(_)), "got {reply:?}");
    assert!(events
        .iter()
        .any(|event| matches!(event, HostEvent::Established { .. })));
}

#[test]
fn responder_with_the_adapter_refuses_altered_i2s() {
    let received = signed_cga_i2();
    for altered in [
        with_locator_octet_flipped(received, 1),
        with_signature_octet_flipped(received),
    ] {
        let (reply, events) = responder_reply(received, altered);
        let Message::Error(error) = reply else {
            panic!("expected an Error message, got {reply:?}")
        };
        assert_eq!(error.code, error_code::LOCATOR_VERIFICATION_FAILED);
        assert!(
            events.is_empty(),
            "no context for a refused list: {events:?}"
        );
    }
}
