// SPDX-License-Identifier: GPL-2.0

//! Shim6 contexts: the mapping of a ULID pair to the locator pair in use,
//! with both context tags, as the daemon installed it.
//!
//! Each namespace keeps its contexts in one table, indexed by our context
//! tag (payload packets carry it) and by the ULID pair (outbound packets
//! and inbound packets without the extension header are looked up by it).

use crate::reap::Reap;
use crate::sys::timer::ContextTimer;
use crate::sys::xfrm::StatePair;
use kernel::rbtree::{RBTree, RBTreeNode, RBTreeNodeReservation};
use kernel::prelude::*;

/// An IPv6 address, in network byte order.
pub(crate) type Addr = [u8; 16];

/// Context tags are 47 bits (RFC 5533 §5).
pub(crate) const TAG_MASK: u64 = (1 << 47) - 1;

/// Locators accepted per side: more than a host has providers.
pub(crate) const MAX_LOCATORS: usize = 8;

/// A small set of locators, kept inline so a context is one allocation.
#[derive(Clone, Copy)]
pub(crate) struct Locators {
    addrs: [Addr; MAX_LOCATORS],
    len: usize,
}

impl Locators {
    pub(crate) const fn new() -> Self {
        Locators { addrs: [[0; 16]; MAX_LOCATORS], len: 0 }
    }

    /// Adds `addr` unless present; `Err` when the set is full.
    pub(crate) fn insert(&mut self, addr: Addr) -> Result {
        if self.contains(&addr) {
            return Ok(());
        }
        let slot = self.addrs.get_mut(self.len).ok_or(E2BIG)?;
        *slot = addr;
        self.len += 1;
        Ok(())
    }

    pub(crate) fn contains(&self, addr: &Addr) -> bool {
        self.iter().any(|a| a == addr)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Addr> {
        self.addrs.iter().take(self.len)
    }
}

/// Timer settings of a context, in milliseconds.
#[derive(Clone, Copy)]
pub(crate) struct Timeouts {
    pub(crate) send_ms: u32,
    pub(crate) keepalive_ms: u32,
}

impl Timeouts {
    /// RFC 5534 §6: Send Timeout and Keepalive Timeout default to 15 s.
    pub(crate) const DEFAULT: Timeouts = Timeouts { send_ms: 15_000, keepalive_ms: 15_000 };
}

/// What the daemon installs: tags, ULIDs, locators and timeouts.
#[derive(Clone, Copy)]
pub(crate) struct ContextConfig {
    pub(crate) local_tag: u64,
    pub(crate) peer_tag: u64,
    pub(crate) local_ulid: Addr,
    pub(crate) peer_ulid: Addr,
    pub(crate) local_locator: Addr,
    pub(crate) peer_locator: Addr,
    pub(crate) local_locators: Locators,
    pub(crate) peer_locators: Locators,
    pub(crate) timeouts: Timeouts,
}

/// Per-context traffic counters.
#[derive(Clone, Copy, Default)]
pub(crate) struct Traffic {
    pub(crate) tx_packets: u64,
    pub(crate) rx_packets: u64,
    pub(crate) tx_bytes: u64,
    pub(crate) rx_bytes: u64,
    /// `jiffies` of the last packet each way, 0 for none yet.
    pub(crate) last_tx: u64,
    pub(crate) last_rx: u64,
}

/// One context.
pub(crate) struct Context {
    pub(crate) config: ContextConfig,
    pub(crate) traffic: Traffic,
    /// The xfrm state and policy that send the ULID pair through us.
    pub(crate) xfrm: Option<StatePair>,
    pub(crate) reap: Reap,
    pub(crate) timer: Option<KBox<ContextTimer>>,
}

impl Context {
    fn new(config: ContextConfig) -> Context {
        Context { config, traffic: Traffic::default(), xfrm: None, reap: Reap::new(), timer: None }
    }

    /// Arms the REAP timer for `deadline` if one was set.
    pub(crate) fn arm(&self, deadline: Option<u64>) {
        if let (Some(at), Some(timer)) = (deadline, &self.timer) {
            timer.arm(at);
        }
    }

    /// Removes the xfrm objects and stops the timer; call without the
    /// table lock held (the timer callback takes it).
    pub(crate) fn release(mut self: KBox<Self>) {
        if let Some(pair) = self.xfrm.take() {
            pair.remove();
        }
        drop(self.timer.take());
    }

    /// Whether packets are rewritten and carry the extension header: only
    /// when the locator pair differs from the ULID pair (RFC 5533 §11).
    pub(crate) fn rewrites(&self) -> bool {
        let c = &self.config;
        c.local_locator != c.local_ulid || c.peer_locator != c.peer_ulid
    }

    pub(crate) fn ulids(&self) -> UlidPair {
        UlidPair { local: self.config.local_ulid, peer: self.config.peer_ulid }
    }
}

/// The key of the second index.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct UlidPair {
    pub(crate) local: Addr,
    pub(crate) peer: Addr,
}

/// Memory for one insertion, allocated before taking the table lock.
pub(crate) struct Reservation {
    tag: u64,
    ulids: UlidPair,
    ctx: KBox<Context>,
    by_tag: RBTreeNodeReservation<u64, KBox<Context>>,
    by_ulids: RBTreeNode<UlidPair, u64>,
}

impl Reservation {
    pub(crate) fn new(config: ContextConfig) -> Result<Reservation> {
        let ctx = KBox::new(Context::new(config), GFP_KERNEL)?;
        let ulids = ctx.ulids();
        Ok(Reservation {
            tag: config.local_tag,
            ulids,
            ctx,
            by_tag: RBTreeNodeReservation::new(GFP_KERNEL)?,
            by_ulids: RBTreeNode::new(ulids, config.local_tag, GFP_KERNEL)?,
        })
    }

    /// Gives the context its xfrm objects and timer before it is inserted.
    pub(crate) fn attach(&mut self, xfrm: StatePair, timer: KBox<ContextTimer>) {
        self.ctx.xfrm = Some(xfrm);
        self.ctx.timer = Some(timer);
    }

    /// Removes the xfrm objects of a reservation that was not inserted;
    /// call without the table lock held.
    pub(crate) fn release(self) {
        self.ctx.release();
    }
}

/// The contexts of one namespace.
pub(crate) struct Contexts {
    by_tag: RBTree<u64, KBox<Context>>,
    by_ulids: RBTree<UlidPair, u64>,
}

impl Contexts {
    pub(crate) fn new() -> Self {
        Contexts { by_tag: RBTree::new(), by_ulids: RBTree::new() }
    }

    /// Inserts a reserved context; on `EEXIST` (tag or ULID pair taken)
    /// the reservation is handed back to be freed outside the lock.
    pub(crate) fn insert(&mut self, r: Reservation) -> core::result::Result<(), Reservation> {
        if self.by_tag.get(&r.tag).is_some() || self.by_ulids.get(&r.ulids).is_some() {
            return Err(r);
        }
        self.by_tag.insert(r.by_tag.into_node(r.tag, r.ctx));
        self.by_ulids.insert(r.by_ulids);
        Ok(())
    }

    /// Removes a context and returns it (to be dropped outside the lock).
    pub(crate) fn remove(&mut self, tag: u64) -> Option<KBox<Context>> {
        let ctx = self.by_tag.remove(&tag)?;
        self.by_ulids.remove(&ctx.ulids());
        Some(ctx)
    }

    pub(crate) fn by_tag(&self, tag: u64) -> Option<&Context> {
        self.by_tag.get(&tag).map(|c| &**c)
    }

    pub(crate) fn by_tag_mut(&mut self, tag: u64) -> Option<&mut Context> {
        self.by_tag.get_mut(&tag).map(|c| &mut **c)
    }

    pub(crate) fn by_ulids_mut(&mut self, ulids: &UlidPair) -> Option<&mut Context> {
        let tag = *self.by_ulids.get(ulids)?;
        self.by_tag_mut(tag)
    }

    /// The first context whose tag is `from` or more (for dumps).
    pub(crate) fn first_from(&mut self, from: u64) -> Option<&Context> {
        let tag = *self.by_tag.cursor_lower_bound(&from)?.current().0;
        self.by_tag(tag)
    }

    /// Takes every context out (namespace exit).
    pub(crate) fn take_all(&mut self) -> Self {
        core::mem::replace(self, Contexts::new())
    }

    /// Removes the xfrm objects of every context; call without the table
    /// lock held.
    pub(crate) fn release(mut self) {
        loop {
            let Some(tag) = self.by_tag.keys().next().copied() else { break };
            if let Some(ctx) = self.remove(tag) {
                ctx.release();
            }
        }
    }
}
