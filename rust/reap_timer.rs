// SPDX-License-Identifier: GPL-2.0

//! Running REAP: arming a context's timer, and what its expiry does
//! (keepalives on the current pair, Send timeout events to the daemon).

use crate::netns::Shim6Net;
use crate::stats::Counter;
use crate::sys::net::Net;
use crate::sys::timer::TimerHandler;

/// The timer callback of every context.
pub(crate) struct ReapTimer;

impl TimerHandler for ReapTimer {
    fn fire(net: &Net, tag: u64) {
        let shim: &Shim6Net = net.generic();
        let now = crate::sys::time::jiffies();
        let (due, keepalive, timeout) = {
            let mut table = shim.contexts.lock();
            let Some(ctx) = table.by_tag_mut(tag) else { return };
            let due = ctx.reap.expire(now, &ctx.config.timeouts);
            if let (Some(next), Some(timer)) = (ctx.reap.next_deadline(), &ctx.timer) {
                timer.arm(next);
            }
            let keepalive = (ctx.config.local_locator, ctx.config.peer_locator, ctx.config.peer_tag);
            let timeout = (ctx.config.local_ulid, ctx.config.peer_ulid, ctx.config.local_locator, ctx.config.peer_locator);
            (due, keepalive, timeout)
        };
        if due.send_keepalive {
            let (local, peer, peer_tag) = keepalive;
            let msg = crate::keepalive::build(peer_tag);
            match crate::sys::output::send(net, &local, &peer, crate::sys::IPPROTO_SHIM6, &msg) {
                Ok(()) => shim.stats.inc(Counter::OutKeepalive),
                Err(_) => shim.stats.inc(Counter::OutKeepaliveFailed),
            }
        }
        if due.send_timeout {
            shim.stats.inc(Counter::SendTimeouts);
            let (local_ulid, peer_ulid, local, peer) = timeout;
            crate::events::send_timeout(net, tag, &local_ulid, &peer_ulid, &local, &peer);
        }
    }
}
