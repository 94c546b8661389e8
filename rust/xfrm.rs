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

use crate::context::{Addr, UlidPair};
use crate::netns::Shim6Net;
use crate::stats::Counter;
use crate::sys::net::Net;
use crate::sys::xfrm::{Output, PolicyView, ShimType};

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

/// Whether an IPsec policy covers some traffic from `ulids.local` to
/// `ulids.peer` (RFC 5533 §16.1: IPsec is never bypassed).
///
/// A context that rewrites sends its ULID pair through its own policy and
/// state, which carry no IPsec transform: were it chosen over an IPsec
/// policy, the pair's traffic would leave in cleartext.  So a context
/// does not rewrite while such a policy exists (fail closed), and its own
/// policy has the lowest precedence, for IPsec policies added later.
/// Covered means: an outbound IPv6 policy with an IPsec template or a
/// block action whose selector prefixes hold both ULIDs.  Ports and the
/// protocol only narrow a selector, and a mark may be on any packet, so
/// they are not looked at; a bypass policy (no template) protects nothing,
/// nor does one tied to an xfrm interface, which ULID traffic is not
/// routed through.
pub(crate) fn ipsec_covers(net: &Net, ulids: &UlidPair) -> bool {
    crate::sys::xfrm::any_out_policy(net, |policy| protects(policy) && selects(policy, ulids))
}

fn protects(policy: &PolicyView) -> bool {
    policy.blocks || policy.template_protocols().iter().any(|&proto| proto != crate::sys::IPPROTO_SHIM6)
}

fn selects(policy: &PolicyView, ulids: &UlidPair) -> bool {
    u32::from(policy.family) == kernel::bindings::AF_INET6
        && policy.if_id == 0
        && in_prefix(&policy.src, policy.src_len, &ulids.local)
        && in_prefix(&policy.dst, policy.dst_len, &ulids.peer)
}

/// Whether `addr` is in `prefix`/`len` (a length over 128 counts as 128).
fn in_prefix(prefix: &Addr, len: u8, addr: &Addr) -> bool {
    let len = usize::from(len.min(128));
    let (whole, bits) = (len / 8, len % 8);
    if prefix.get(..whole) != addr.get(..whole) {
        return false;
    }
    match (prefix.get(whole), addr.get(whole)) {
        (Some(p), Some(a)) if bits != 0 => (p ^ a) & (0xff << (8 - bits)) == 0,
        _ => true,
    }
}
