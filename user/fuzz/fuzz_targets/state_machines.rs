//! The context and REAP state machines of two connected hosts, driven by
//! arbitrary bytes: parsed and synthesised messages, payload, timers,
//! locator changes and lossy delivery. Must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shim6_proto::sim::drive_hosts;

fuzz_target!(|data: &[u8]| {
    let _established = drive_hosts(data);
});
