// SPDX-License-Identifier: GPL-2.0

//! Sending through a context (RFC 5533 §11): the xfrm state of a context
//! hands every outbound packet of its ULID pair to us.
//!
//! The module installs the state and policy itself when the daemon adds a
//! context (rather than the daemon over XFRM netlink), so a context and its
//! xfrm objects are created, changed and removed together, under one lock,
//! and there is never a state without a context or the reverse.

use crate::netns::Shim6Net;
use crate::stats::Counter;
use crate::sys::net::Net;
use crate::sys::xfrm::{Output, ShimType};

/// The Shim6 side of the xfrm type.
pub(crate) struct Shim6Output;

impl ShimType for Shim6Output {
    fn output(net: &Net, tag: u64, len: usize) -> Output {
        let shim: &Shim6Net = net.generic();
        let decision = {
            let mut table = shim.contexts.lock();
            match table.by_tag_mut(tag) {
                None => None,
                Some(ctx) => {
                    ctx.traffic.tx_packets += 1;
                    ctx.traffic.tx_bytes += len as u64;
                    let now = crate::sys::time::jiffies();
                    ctx.traffic.last_tx = now;
                    let deadline = ctx.reap.outbound_payload(now, &ctx.config.timeouts);
                    ctx.arm(deadline);
                    Some(if ctx.rewrites() {
                        Output::Rewrite { local: ctx.config.local_locator, peer: ctx.config.peer_locator, peer_tag: ctx.config.peer_tag }
                    } else {
                        Output::Plain
                    })
                }
            }
        };
        match decision {
            Some(out @ Output::Rewrite { .. }) => {
                shim.stats.inc(Counter::OutRewritten);
                out
            }
            Some(out) => {
                shim.stats.inc(Counter::OutPlain);
                out
            }
            None => {
                shim.stats.inc(Counter::OutDropNoContext);
                Output::Drop
            }
        }
    }
}
