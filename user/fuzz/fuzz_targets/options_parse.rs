//! Option parsing on its own: the first two octets choose the set of
//! allowed option types, the rest is an option area. Whatever parses must
//! re-encode and parse back to the same value.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shim6_proto::wire::{OptionSet, Options};

/// Known option types the first octets may enable.
const KNOWN: [u16; 8] = [1, 2, 3, 4, 5, 6, 7, 10];

fuzz_target!(|data: &[u8]| {
    let Some((&mask, area)) = data.split_first() else {
        return;
    };
    let allowed = KNOWN
        .iter()
        .enumerate()
        .filter(|(bit, _)| mask & (1 << bit) != 0)
        .fold(OptionSet::NONE, |set, (_, &ty)| set.with(ty));
    if let Ok(options) = Options::parse(area, 0, allowed) {
        let mut out = vec![0u8; options.buffer_len()];
        let written = options.emit(&mut out).expect("parsed options re-encode");
        assert_eq!(written, out.len());
        assert_eq!(
            Options::parse(&out, 0, allowed).expect("re-encoded options parse"),
            options
        );
    }
});
