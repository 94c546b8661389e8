//! Property tests of the context API's decoders: they never panic, on
//! arbitrary bytes or on well-framed attributes with arbitrary payloads,
//! and read back what a kernel-like encoder writes.

use std::net::Ipv6Addr;

use proptest::prelude::*;
use shim6_netlink::family::{attr, cmd, locator_attr};
use shim6_netlink::message::{GenlHeader, GenlMessage, Messages, NlMsgHeader};
use shim6_netlink::{Context, Event, MessageBuilder, OwnedGenlMessage, Params, ReapState, Traffic};

fn message(cmd: u8, attr_bytes: Vec<u8>) -> OwnedGenlMessage {
    OwnedGenlMessage {
        header: NlMsgHeader {
            len: 0,
            kind: 29,
            flags: 0,
            seq: 0,
            port: 0,
        },
        genl: GenlHeader { cmd, version: 1 },
        attr_bytes,
    }
}

fn decode_all(message: &OwnedGenlMessage) {
    let _ = Context::parse(message);
    let _ = Params::parse(message);
    let _ = Event::parse(message);
}

fn built(cmd: u8, fill: impl FnOnce(&mut MessageBuilder)) -> OwnedGenlMessage {
    let mut builder = MessageBuilder::new(29, cmd, 1);
    fill(&mut builder);
    let bytes = builder.finish(1).expect("encodes");
    let raw = Messages::new(&bytes)
        .next()
        .expect("one message")
        .expect("valid");
    GenlMessage::parse(raw).expect("genl header").to_owned()
}

fn address() -> impl Strategy<Value = Ipv6Addr> {
    any::<u128>().prop_map(Ipv6Addr::from)
}

prop_compose! {
    fn context()(
        local_tag in any::<u64>(), peer_tag in any::<u64>(),
        ulids in (address(), address()), locators in (address(), address()),
        local_locators in proptest::collection::vec(address(), 0..9),
        peer_locators in proptest::collection::vec(address(), 0..9),
        timeouts in (any::<u32>(), any::<u32>()), reap in any::<u8>(),
        counters in any::<[u64; 4]>(),
        last_tx_ms in proptest::option::of(any::<u32>()),
        last_rx_ms in proptest::option::of(any::<u32>()),
    ) -> Context {
        Context {
            local_tag, peer_tag,
            local_ulid: ulids.0, peer_ulid: ulids.1,
            local_locator: locators.0, peer_locator: locators.1,
            local_locators, peer_locators,
            send_timeout_ms: timeouts.0, keepalive_timeout_ms: timeouts.1,
            reap_state: ReapState::from_u8(reap),
            traffic: Traffic {
                tx_packets: counters[0], rx_packets: counters[1],
                tx_bytes: counters[2], rx_bytes: counters[3],
                last_tx_ms, last_rx_ms,
            },
        }
    }
}

/// Encodes `context` as the module does, a PAD before every u64 where
/// `pads` says so.
fn encode(context: &Context, pads: &[bool; 6]) -> OwnedGenlMessage {
    built(cmd::CTX_GET, |m| {
        let mut u64s = pads.iter();
        let mut put_u64 = |m: &mut MessageBuilder, kind, value| {
            if u64s.next().copied().unwrap_or(false) {
                m.put_flag(attr::PAD);
            }
            m.put_u64(kind, value);
        };
        put_u64(m, attr::LOCAL_TAG, context.local_tag);
        put_u64(m, attr::PEER_TAG, context.peer_tag);
        m.put_ipv6(attr::LOCAL_ULID, &context.local_ulid)
            .put_ipv6(attr::PEER_ULID, &context.peer_ulid)
            .put_ipv6(attr::LOCAL_LOCATOR, &context.local_locator)
            .put_ipv6(attr::PEER_LOCATOR, &context.peer_locator)
            .put_ipv6_list(
                attr::LOCAL_LOCATORS,
                locator_attr::LOCATOR,
                &context.local_locators,
            )
            .put_ipv6_list(
                attr::PEER_LOCATORS,
                locator_attr::LOCATOR,
                &context.peer_locators,
            )
            .put_u32(attr::SEND_TIMEOUT_MS, context.send_timeout_ms)
            .put_u32(attr::KEEPALIVE_TIMEOUT_MS, context.keepalive_timeout_ms)
            .put_u8(attr::REAP_STATE, context.reap_state.to_u8());
        let t = &context.traffic;
        put_u64(m, attr::TX_PACKETS, t.tx_packets);
        put_u64(m, attr::RX_PACKETS, t.rx_packets);
        put_u64(m, attr::TX_BYTES, t.tx_bytes);
        put_u64(m, attr::RX_BYTES, t.rx_bytes);
        if let Some(ms) = t.last_tx_ms {
            m.put_u32(attr::LAST_TX_MS, ms);
        }
        if let Some(ms) = t.last_rx_ms {
            m.put_u32(attr::LAST_RX_MS, ms);
        }
    })
}

proptest! {
    #[test]
    fn decoders_never_panic_on_arbitrary_bytes(
        attr_bytes in proptest::collection::vec(any::<u8>(), 0..512),
        cmd in any::<u8>(),
    ) {
        decode_all(&message(cmd, attr_bytes));
    }

    #[test]
    fn decoders_never_panic_on_well_framed_garbage(
        attrs in proptest::collection::vec((0u16..28, proptest::collection::vec(any::<u8>(), 0..40)), 0..24),
        cmd in prop_oneof![Just(cmd::CTX_GET), Just(cmd::GET_PARAMS), 20u8..26],
    ) {
        let message = built(cmd, |m| {
            for (kind, payload) in &attrs {
                m.put_bytes(*kind, payload);
            }
        });
        decode_all(&message);
    }

    #[test]
    fn context_reads_back(context in context(), pads in any::<[bool; 6]>()) {
        let decoded = Context::parse(&encode(&context, &pads));
        prop_assert_eq!(decoded, Ok(context));
    }

    #[test]
    fn a_context_reply_cut_short_is_an_error_not_a_panic(mut context in context(), cut in 1usize..400) {
        // Without the optional attributes, every cut loses or breaks a
        // required one.
        context.traffic.last_tx_ms = None;
        context.traffic.last_rx_ms = None;
        let mut message = encode(&context, &[true; 6]);
        let keep = message.attr_bytes.len().saturating_sub(cut);
        message.attr_bytes.truncate(keep);
        prop_assert!(Context::parse(&message).is_err());
    }
}
