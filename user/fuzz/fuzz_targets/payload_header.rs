//! Payload extension header: parsing must not panic, and whatever parses
//! must re-encode to the same 8 octets (the header has no spare bits).
#![no_main]

use libfuzzer_sys::fuzz_target;
use shim6_proto::wire::{PayloadHeader, PayloadRepr};

fuzz_target!(|data: &[u8]| {
    if let Ok(view) = PayloadHeader::new_checked(data) {
        let _ = (
            view.next_header(),
            view.p_bit(),
            view.context_tag(),
            view.payload().len(),
        );
    }
    if let Ok(repr) = PayloadRepr::parse(data) {
        assert_eq!(repr.to_bytes()[..], data[..8]);
    }
});
