//! Property tests: the decoders never panic on arbitrary bytes, stay in
//! bounds, and read back what the builder writes.

use proptest::prelude::*;
use shim6_netlink::ack::{parse_done_message, parse_error_message};
use shim6_netlink::attr::{align4, Attrs};
use shim6_netlink::message::{GenlMessage, Messages, OwnedGenlMessage};
use shim6_netlink::{FamilyInfo, Info, MessageBuilder};

/// Visits every attribute, recursing into each payload as if nested.
fn walk(bytes: &[u8], depth: usize) -> usize {
    let mut seen = 0;
    for attr in Attrs::new(bytes) {
        let Ok(attr) = attr else { break };
        seen += 1;
        let _ = (attr.u8(), attr.u16(), attr.u32(), attr.u64(), attr.str());
        if depth < 4 {
            seen += walk(attr.payload(), depth + 1);
        }
    }
    seen
}

proptest! {
    #[test]
    fn attribute_iterator_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        walk(&bytes, 0);
    }

    #[test]
    fn attribute_iterator_stays_in_bounds(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
        let mut items = 0;
        let mut errors = 0;
        let mut consumed = 0;
        for attr in Attrs::new(&bytes) {
            items += 1;
            match attr {
                Ok(attr) => {
                    prop_assert!(errors == 0, "an attribute after an error");
                    let start = attr.payload().as_ptr() as usize - bytes.as_ptr() as usize;
                    prop_assert!(start + attr.payload().len() <= bytes.len());
                    consumed = align4(start + attr.payload().len());
                }
                Err(_) => errors += 1,
            }
        }
        prop_assert!(errors <= 1);
        prop_assert!(items <= bytes.len() / 4 + 1);
        if errors == 0 {
            prop_assert!(consumed >= bytes.len(), "ended early at {consumed} of {}", bytes.len());
        }
    }

    #[test]
    fn message_decoders_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512), flags in any::<u16>()) {
        for message in Messages::new(&bytes) {
            let Ok(message) = message else { break };
            let _ = parse_error_message(flags, message.payload);
            let _ = parse_done_message(message.payload);
            if let Ok(genl) = GenlMessage::parse(message) {
                let owned = genl.to_owned();
                let _ = Info::parse(&owned);
                let _ = FamilyInfo::parse(&owned);
            }
        }
        let _ = parse_error_message(flags, &bytes);
    }

    #[test]
    fn info_parser_never_panics(attr_bytes in proptest::collection::vec(any::<u8>(), 0..512), cmd in 0u8..3) {
        let reply = OwnedGenlMessage {
            header: shim6_netlink::message::NlMsgHeader { len: 0, kind: 29, flags: 0, seq: 0, port: 0 },
            genl: shim6_netlink::message::GenlHeader { cmd, version: 1 },
            attr_bytes,
        };
        let _ = Info::parse(&reply);
    }

    #[test]
    fn builder_output_reads_back(
        attrs in proptest::collection::vec((1u16..0x3fff, proptest::collection::vec(any::<u8>(), 0..64)), 0..16),
        nested in proptest::collection::vec((1u16..0x3fff, any::<u32>()), 0..8),
        seq in any::<u32>(),
    ) {
        let mut request = MessageBuilder::new(29, 4, 1);
        for (kind, payload) in &attrs {
            request.put_bytes(*kind, payload);
        }
        let nest = request.nest_start(0x100);
        for (kind, value) in &nested {
            request.put_u32(*kind, *value);
        }
        request.nest_end(nest);
        let bytes = request.finish(seq).unwrap();

        let messages: Vec<_> = Messages::new(&bytes).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(messages.len(), 1);
        let message = GenlMessage::parse(messages[0]).unwrap();
        prop_assert_eq!(message.header.seq, seq);
        prop_assert_eq!(message.header.len as usize, bytes.len());
        prop_assert_eq!((message.genl.cmd, message.genl.version), (4, 1));

        let read: Vec<_> = message.attrs().collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(read.len(), attrs.len() + 1);
        for (attr, (kind, payload)) in read.iter().zip(&attrs) {
            prop_assert_eq!(attr.kind(), *kind);
            prop_assert_eq!(attr.payload(), payload.as_slice());
        }
        let nest = read.last().unwrap();
        prop_assert!(nest.is_nested());
        prop_assert_eq!(nest.kind(), 0x100);
        let inner: Vec<_> = nest.nested().map(|a| a.and_then(|a| Ok((a.kind(), a.u32()?)))).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(inner, nested);
    }
}
