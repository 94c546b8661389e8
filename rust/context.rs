// SPDX-License-Identifier: GPL-2.0

//! Shim6 contexts: the mapping of a ULID pair to the locator pair in use,
//! with both context tags, as the daemon installed it.
//!
//! Each namespace keeps its contexts in one table, indexed by our context
//! tag (payload packets carry it) and by the ULID pair (outbound packets
//! and inbound packets without the extension header are looked up by it).
//!
//! Memory: a context lives inside its node of the tag tree (one
//! allocation, kmalloc-256, checked below), plus its locator sets (sized
//! to them: kmalloc-64 for two and two, kmalloc-96 for three and three),
//! the ULID tree's node and the REAP timer (kmalloc-64 each).  The xfrm
//! state and policy come on top (README, "Memory per context"), but only
//! once the context rewrites: while its locators are its ULIDs, packets
//! need no transform, and the LOCAL_OUT hook feeds REAP instead.  All of
//! it is charged to the memory cgroup of the process that adds the
//! context (the kmalloc-cg-* caches when memory cgroups are configured),
//! except the xfrm state, which `xfrm_state_alloc()` allocates itself;
//! and a namespace holds at most `net.shim6.max_contexts` contexts.

use crate::reap::Reap;
use crate::sys::timer::ContextTimer;
use crate::sys::xfrm::StatePair;
use kernel::bindings;
use kernel::rbtree::{RBTree, RBTreeNode, RBTreeNodeReservation};
use kernel::prelude::*;

/// An IPv6 address, in network byte order.
pub(crate) type Addr = [u8; 16];

/// Context tags are 47 bits (RFC 5533 §5).
pub(crate) const TAG_MASK: u64 = (1 << 47) - 1;

/// Locators accepted per side: more than a host has providers.
pub(crate) const MAX_LOCATORS: usize = 8;

/// Whether `addr` may be a ULID or a locator: global unicast, that is not
/// in ::/8 (unspecified, loopback, IPv4-mapped and -compatible), not
/// multicast (ff00::/8), not link-local (fe80::/10) and not site-local
/// (fec0::/10).  The daemon applies the same test
/// (`shim6_proto::context::address_checks`).
pub(crate) fn is_global_unicast(addr: &Addr) -> bool {
    let reserved = addr[0] == 0x00;
    let multicast = addr[0] == 0xff;
    let link_local = addr[0] == 0xfe && addr[1] & 0xc0 == 0x80;
    let site_local = addr[0] == 0xfe && addr[1] & 0xc0 == 0xc0;
    !(reserved || multicast || link_local || site_local)
}

/// A locator set while a request is parsed: inline, bounded, no
/// allocation.  A context keeps its sets in a [`LocatorSets`].
#[derive(Clone, Copy)]
pub(crate) struct Locators {
    addrs: [Addr; MAX_LOCATORS],
    len: u8,
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
        let slot = self.addrs.get_mut(usize::from(self.len)).ok_or(E2BIG)?;
        *slot = addr;
        self.len += 1;
        Ok(())
    }

    /// A copy of a context's set (no more than [`MAX_LOCATORS`]).
    pub(crate) fn copy_of(addrs: &[Addr]) -> Result<Self> {
        let mut set = Locators::new();
        for addr in addrs {
            set.insert(*addr)?;
        }
        Ok(set)
    }

    pub(crate) fn contains(&self, addr: &Addr) -> bool {
        self.as_slice().contains(addr)
    }

    pub(crate) fn as_slice(&self) -> &[Addr] {
        self.addrs.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

/// Both locator sets of a context in one allocation of their size.
///
/// Hosts have a few locators: two inline sets of [`MAX_LOCATORS`] would
/// take 256 octets of every context and double its kmalloc bucket.
pub(crate) struct LocatorSets {
    /// The local locators, then the peer's.
    addrs: KVec<Addr>,
    local_len: u8,
}

impl LocatorSets {
    /// Copies `local` and `peer` (each at most [`MAX_LOCATORS`]);
    /// `flags` as the caller's context allows.
    pub(crate) fn new(local: &[Addr], peer: &[Addr], flags: kernel::alloc::Flags) -> Result<Self> {
        if local.len() > MAX_LOCATORS || peer.len() > MAX_LOCATORS {
            return Err(E2BIG);
        }
        let mut addrs = KVec::with_capacity(local.len() + peer.len(), flags)?;
        addrs.extend_from_slice(local, flags)?;
        addrs.extend_from_slice(peer, flags)?;
        // At most MAX_LOCATORS, checked above.
        Ok(LocatorSets { addrs, local_len: local.len() as u8 })
    }

    pub(crate) fn local(&self) -> &[Addr] {
        self.addrs.get(..usize::from(self.local_len)).unwrap_or(&[])
    }

    pub(crate) fn peer(&self) -> &[Addr] {
        self.addrs.get(usize::from(self.local_len)..).unwrap_or(&[])
    }

    /// Whether `local` and `peer` are a pair of these locators.
    pub(crate) fn contain(&self, local: &Addr, peer: &Addr) -> bool {
        self.local().contains(local) && self.peer().contains(peer)
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
pub(crate) struct ContextConfig {
    pub(crate) local_tag: u64,
    pub(crate) peer_tag: u64,
    pub(crate) local_ulid: Addr,
    pub(crate) peer_ulid: Addr,
    pub(crate) local_locator: Addr,
    pub(crate) peer_locator: Addr,
    pub(crate) locators: LocatorSets,
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

impl Traffic {
    /// A packet of `len` octets sent at `now`.  The counters wrap, as
    /// interface counters do, rather than trap on an overflow.
    pub(crate) fn sent(&mut self, len: usize, now: u64) {
        self.tx_packets = self.tx_packets.wrapping_add(1);
        self.tx_bytes = self.tx_bytes.wrapping_add(len as u64);
        self.last_tx = now;
    }

    /// A packet of `len` octets received at `now`.
    pub(crate) fn received(&mut self, len: usize, now: u64) {
        self.rx_packets = self.rx_packets.wrapping_add(1);
        self.rx_bytes = self.rx_bytes.wrapping_add(len as u64);
        self.last_rx = now;
    }
}

/// One context.
pub(crate) struct Context {
    pub(crate) config: ContextConfig,
    pub(crate) traffic: Traffic,
    /// The xfrm state and policy that send the ULID pair through us,
    /// installed the first time the locators differ from the ULIDs and
    /// kept until the context goes.
    pub(crate) xfrm: Option<StatePair>,
    pub(crate) reap: Reap,
    pub(crate) timer: Option<KBox<ContextTimer>>,
}

/// A context and its tag-tree node (`rb_node` and the `u64` key) share
/// one allocation; keep it within the 256-octet kmalloc bucket.
const _: () = assert!(
    core::mem::size_of::<Context>() + core::mem::size_of::<bindings::rb_node>() + core::mem::size_of::<u64>() <= 256
);

impl Context {
    fn new(config: ContextConfig, xfrm: Option<StatePair>, timer: KBox<ContextTimer>) -> Context {
        Context { config, traffic: Traffic::default(), xfrm, reap: Reap::new(), timer: Some(timer) }
    }

    /// Arms the REAP timer for `deadline` if one was set.
    pub(crate) fn arm(&self, deadline: Option<u64>) {
        if let (Some(at), Some(timer)) = (deadline, &self.timer) {
            timer.arm(at);
        }
    }

    /// An outbound packet of `len` octets on the ULID pair: REAP's Send
    /// and Keepalive timers follow it (RFC 5534 §6).
    pub(crate) fn outbound(&mut self, len: usize) {
        let now = crate::sys::time::jiffies();
        self.traffic.sent(len, now);
        let deadline = self.reap.outbound_payload(now, &self.config.timeouts);
        self.arm(deadline);
    }

    /// Removes the xfrm objects and stops the timer; call without the
    /// table lock held (the timer callback takes it).
    pub(crate) fn release(self) {
        let Context { xfrm, timer, .. } = self;
        if let Some(xfrm) = xfrm {
            xfrm.remove();
        }
        drop(timer);
    }

    /// Whether packets are rewritten and carry the extension header.
    pub(crate) fn rewrites(&self) -> bool {
        self.ulids().rewritten_to(&self.config.local_locator, &self.config.peer_locator)
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

impl UlidPair {
    /// Whether sending on the locator pair `local`, `peer` rewrites
    /// packets (and adds the extension header): only when it is not the
    /// ULID pair itself (RFC 5533 §11).
    pub(crate) fn rewritten_to(&self, local: &Addr, peer: &Addr) -> bool {
        *local != self.local || *peer != self.peer
    }
}

/// Memory for one insertion, allocated before installing the xfrm
/// objects and before taking the table lock.
pub(crate) struct Reservation {
    config: ContextConfig,
    by_tag: RBTreeNodeReservation<u64, Context>,
    by_ulids: RBTreeNode<UlidPair, u64>,
}

impl Reservation {
    /// Charged to the caller's memory cgroup, as the rest of a context.
    pub(crate) fn new(config: ContextConfig) -> Result<Reservation> {
        let ulids = UlidPair { local: config.local_ulid, peer: config.peer_ulid };
        let by_ulids = RBTreeNode::new(ulids, config.local_tag, GFP_KERNEL_ACCOUNT)?;
        Ok(Reservation { config, by_tag: RBTreeNodeReservation::new(GFP_KERNEL_ACCOUNT)?, by_ulids })
    }

    /// Builds the context, with its xfrm objects (if it rewrites from the
    /// start) and timer, in its node.
    pub(crate) fn attach(self, xfrm: Option<StatePair>, timer: KBox<ContextTimer>) -> Prepared {
        let tag = self.config.local_tag;
        Prepared {
            tag,
            ulids: UlidPair { local: self.config.local_ulid, peer: self.config.peer_ulid },
            by_tag: self.by_tag.into_node(tag, Context::new(self.config, xfrm, timer)),
            by_ulids: self.by_ulids,
        }
    }
}

/// A complete context, ready to be inserted.
pub(crate) struct Prepared {
    tag: u64,
    ulids: UlidPair,
    by_tag: RBTreeNode<u64, Context>,
    by_ulids: RBTreeNode<UlidPair, u64>,
}

impl Prepared {
    /// Removes the xfrm objects of a context that was not inserted; call
    /// without the table lock held.
    pub(crate) fn release(self) {
        self.by_tag.to_key_value().1.release();
    }
}

/// Why [`Contexts::insert`] handed a context back.
pub(crate) enum Refused {
    /// Its tag or ULID pair is taken.
    InUse,
    /// The namespace holds as many contexts as it may.
    Full,
}

/// The contexts of one namespace.
pub(crate) struct Contexts {
    by_tag: RBTree<u64, Context>,
    by_ulids: RBTree<UlidPair, u64>,
    count: usize,
}

impl Contexts {
    pub(crate) fn new() -> Self {
        Contexts { by_tag: RBTree::new(), by_ulids: RBTree::new(), count: 0 }
    }

    pub(crate) fn len(&self) -> usize {
        self.count
    }

    /// Inserts a prepared context unless the table holds `limit` already;
    /// a refused one is handed back to be released outside the lock.
    pub(crate) fn insert(&mut self, p: Prepared, limit: usize) -> core::result::Result<(), (Prepared, Refused)> {
        if self.by_tag.get(&p.tag).is_some() || self.by_ulids.get(&p.ulids).is_some() {
            return Err((p, Refused::InUse));
        }
        if self.count >= limit {
            return Err((p, Refused::Full));
        }
        self.by_tag.insert(p.by_tag);
        self.by_ulids.insert(p.by_ulids);
        self.count += 1;
        Ok(())
    }

    /// Removes a context and returns it (to be released outside the lock).
    pub(crate) fn remove(&mut self, tag: u64) -> Option<Context> {
        let ctx = self.by_tag.remove(&tag)?;
        self.by_ulids.remove(&ctx.ulids());
        self.count -= 1;
        Some(ctx)
    }

    pub(crate) fn by_tag(&self, tag: u64) -> Option<&Context> {
        self.by_tag.get(&tag)
    }

    pub(crate) fn by_tag_mut(&mut self, tag: u64) -> Option<&mut Context> {
        self.by_tag.get_mut(&tag)
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
