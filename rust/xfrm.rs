// SPDX-License-Identifier: GPL-2.0

//! Sending through a context (RFC 5533 §11): the xfrm state of a context
//! hands every outbound packet of its ULID pair to us.
//!
//! The module installs the state and policy itself (rather than the daemon
//! over XFRM netlink), so a context's xfrm objects are created, changed and
//! removed with it and never exist without it.  They are installed the
//! first time the context's locators differ from its ULIDs (at `ctx-add` or
//! `ctx-set-path`) and kept until it is deleted.  A context that never
//! rewrote has none: its packets need no transform, so they skip the xfrm
//! policy lookup and bundle, and a context costs no xfrm memory until it
//! fails over.  The LOCAL_OUT hook (`local_out.rs`) then tells REAP of its
//! outbound packets; once the state exists, the output below does.

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
                    ctx.outbound(len);
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
