// SPDX-License-Identifier: GPL-2.0

//! Every locally generated IPv6 packet (LOCAL_OUT, before any xfrm state
//! rewrites it): REAP for the contexts that send without a transform, and
//! the trigger for the pairs that have no context.

use crate::context::{is_global_unicast, UlidPair};
use crate::netns::Shim6Net;
use crate::stats::Counter;
use crate::sys::net::Net;
use crate::sys::netfilter::{Inspect, Seen};
use crate::trigger::Outcome;

/// The LOCAL_OUT hook.
pub(crate) struct LocalOut;

impl Inspect for LocalOut {
    fn inspect(net: &Net, packet: &Seen) {
        // A pair ctx-add would refuse is never worth a context.
        if packet.next_header == crate::sys::IPPROTO_SHIM6 || !is_global_unicast(&packet.src) || !is_global_unicast(&packet.dst) {
            return;
        }
        let shim: &Shim6Net = net.generic();
        let ulids = UlidPair { local: packet.src, peer: packet.dst };
        {
            let mut table = shim.contexts.lock();
            if let Some(ctx) = table.by_ulids_mut(&ulids) {
                // A context with an xfrm state is seen by its output.
                let plain = ctx.xfrm.is_none();
                if plain {
                    ctx.outbound(packet.len);
                }
                drop(table);
                if plain {
                    shim.stats.inc(Counter::OutPlain);
                }
                return;
            }
        }
        // ICMPv6 is signalling, not a flow worth a context.
        if packet.next_header == 58 || packet.payload == 0 {
            return;
        }
        // Read before the lock: a sysctl write is seen by the next packet.
        let params = shim.sysctl.trigger_params();
        let outcome = {
            let mut trigger = shim.trigger.lock();
            // Under the lock: a clock read before it could be older than
            // the `first` another CPU has just given the same flow.
            let now = crate::sys::time::seconds();
            trigger.outbound(packet.src, packet.dst, packet.payload, now, params)
        };
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
