// SPDX-License-Identifier: GPL-2.0

//! Feeding the trigger from outbound packets (LOCAL_OUT: every locally
//! generated IPv6 packet, before any context rewrites it).

use crate::context::UlidPair;
use crate::netns::Shim6Net;
use crate::stats::Counter;
use crate::sys::net::Net;
use crate::sys::netfilter::{Inspect, Seen};
use crate::trigger::Outcome;

/// The LOCAL_OUT hook.
pub(crate) struct TriggerHook;

/// Link-local, multicast, loopback and unspecified addresses are never
/// worth a context.
fn is_global_unicast(a: &[u8; 16]) -> bool {
    let link_local = a[0] == 0xfe && a[1] & 0xc0 == 0x80;
    let multicast = a[0] == 0xff;
    let special = a[..15].iter().all(|&b| b == 0);
    !(link_local || multicast || special)
}

impl Inspect for TriggerHook {
    fn inspect(net: &Net, packet: &Seen) {
        if packet.next_header == crate::sys::IPPROTO_SHIM6
            || packet.next_header == 58 // ICMPv6: signalling, not a flow
            || !is_global_unicast(&packet.src)
            || !is_global_unicast(&packet.dst)
            || packet.payload == 0
        {
            return;
        }
        let shim: &Shim6Net = net.generic();
        let ulids = UlidPair { local: packet.src, peer: packet.dst };
        if shim.contexts.lock().by_ulids_mut(&ulids).is_some() {
            return;
        }
        let now = crate::sys::time::seconds();
        // Read before the lock: a sysctl write is seen by the next packet.
        let params = shim.sysctl.trigger_params();
        let outcome = shim.trigger.lock().outbound(packet.src, packet.dst, packet.payload, now, params);
        match outcome {
            Outcome::Quiet => {}
            Outcome::Fire => {
                shim.stats.inc(Counter::TriggerFired);
                crate::events::trigger(net, &packet.src, &packet.dst);
            }
            Outcome::TableFull => shim.stats.inc(Counter::TriggerTableFull),
        }
    }
}
