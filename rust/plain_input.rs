// SPDX-License-Identifier: GPL-2.0

//! Packets of a context that arrive without the extension header (locators
//! equal to the ULIDs) still count for REAP (RFC 5533 §12.1).

use crate::context::UlidPair;
use crate::netns::Shim6Net;
use crate::sys::net::Net;
use crate::sys::netfilter::{Inspect, Seen};

/// The LOCAL_IN hook.
pub(crate) struct PlainInput;

impl Inspect for PlainInput {
    fn inspect(net: &Net, packet: &Seen) {
        // Protocol 140 packets are the protocol handler's.
        if packet.next_header == crate::sys::IPPROTO_SHIM6 {
            return;
        }
        let shim: &Shim6Net = net.generic();
        let ulids = UlidPair { local: packet.dst, peer: packet.src };
        let mut table = shim.contexts.lock();
        if let Some(ctx) = table.by_ulids_mut(&ulids) {
            let now = crate::sys::time::jiffies();
            ctx.traffic.received(packet.len, now);
            let deadline = ctx.reap.inbound(now, true, &ctx.config.timeouts);
            ctx.arm(deadline);
        }
    }
}
