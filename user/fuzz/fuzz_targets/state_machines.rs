//! The context and REAP state machines of two connected hosts, driven by
//! arbitrary bytes: parsed and synthesised messages (an off-path attacker's
//! among them), payload, timers, locator changes and lossy delivery. Must
//! never panic, and the oracle must hold after every step: no peer locator
//! the peer could not prove, no context for a ULID that is not global
//! unicast or not ours.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shim6_proto::sim::drive_hosts_under_attack;

fuzz_target!(|data: &[u8]| {
    if let Err(violation) = drive_hosts_under_attack(data) {
        panic!("oracle: {violation}");
    }
});
