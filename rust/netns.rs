// SPDX-License-Identifier: GPL-2.0

//! State kept for each network namespace.

use crate::context::Contexts;
use crate::plain_input::PlainInput;
use crate::stats::{RateLimit, Stats};
use crate::sysctl::Sysctls;
use crate::trigger::Trigger;
use crate::local_out::LocalOut;
use crate::sys::net::Net;
use crate::sys::netfilter::Hook;
use crate::sys::pernet::{PernetData, PernetId};
use crate::sys::sync::{new_bh_spinlock, BhSpinLock};
use kernel::prelude::*;

/// Everything the sublayer keeps for one network namespace.
#[pin_data]
pub(crate) struct Shim6Net {
    pub(crate) stats: Stats,
    /// Unknown-tag events: a flood of bad packets must not become a flood
    /// of netlink messages.
    pub(crate) unknown_tag_limit: RateLimit,
    /// Declared before `contexts` so it is dropped (unregistered) first;
    /// initialised after it, so it never sees an uninitialised table.
    _plain_input: Hook,
    _local_out: Hook,
    /// `net.shim6.*`.  Dropped (unregistered) after the hooks, which read
    /// it; initialised before them.
    pub(crate) sysctl: Sysctls,
    /// Taken from process context (netlink) and softirq (packets, timers).
    #[pin]
    pub(crate) contexts: BhSpinLock<Contexts>,
    /// Outbound flows for the context trigger.  Never held together with
    /// `contexts`.
    #[pin]
    pub(crate) trigger: BhSpinLock<Trigger>,
}

impl PernetData for Shim6Net {
    fn id() -> &'static PernetId {
        static ID: PernetId = PernetId::new();
        &ID
    }

    fn init(net: &Net) -> impl PinInit<Self, Error> {
        try_pin_init!(Shim6Net {
            stats: Stats::new(),
            unknown_tag_limit: RateLimit::new(10),
            contexts <- new_bh_spinlock!(Contexts::new(), "shim6_contexts"),
            trigger <- new_bh_spinlock!(Trigger::new(), "shim6_trigger"),
            sysctl: Sysctls::register(net)?,
            _plain_input: Hook::local_in::<PlainInput>(net)?,
            _local_out: Hook::local_out::<LocalOut>(net)?,
        })
    }

    fn exit(&self, _net: &Net) {
        // Remove every context's xfrm state and policy, outside the lock.
        let all = self.contexts.lock().take_all();
        all.release();
    }
}
