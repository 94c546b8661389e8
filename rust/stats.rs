// SPDX-License-Identifier: GPL-2.0

//! Per-namespace MIB counters, named the way `nstat` shows them.
//!
//! Every decision the sublayer takes and every packet it drops has a counter
//! here; the `get-info` command reports them all by name, so user space
//! needs no table of its own and new counters need no new attributes.

use core::sync::atomic::{AtomicU64, Ordering};

macro_rules! counters {
    ($($(#[$doc:meta])* $variant:ident => $name:literal,)*) => {
        /// A per-namespace counter.
        #[derive(Clone, Copy)]
        #[repr(usize)]
        pub(crate) enum Counter {
            $($(#[$doc])* $variant,)*
        }

        /// Counter names, indexed by [`Counter`].
        const NAMES: &[&kernel::str::CStr] = &[$(kernel::c_str!($name),)*];
    };
}

counters! {
    /// `get-info` requests answered in this namespace.
    InfoRequests => "Shim6InfoRequests",
    /// Contexts installed by `ctx-add`.
    CtxAdded => "Shim6CtxAdded",
    /// Contexts removed by `ctx-del`.
    CtxDeleted => "Shim6CtxDeleted",
    /// `ctx-add` or `ctx-update` refused: a ULID or locator that is not
    /// global unicast.
    CtxBadAddress => "Shim6CtxBadAddress",
    /// `ctx-add` refused: the namespace holds `net.shim6.max_contexts`.
    CtxLimit => "Shim6CtxLimit",
    /// Locator pair changes by `ctx-set-path`.
    PathChanges => "Shim6PathChanges",
    /// A rewriting pair refused (`ctx-set-path`, or `ctx-add` with one):
    /// an IPsec policy covers the ULID pair.
    RewriteRefusedIpsec => "Shim6RewriteRefusedIpsec",
    /// NETEVENT_PATH_UPDATE raised for a path change (not with the
    /// `net.shim6.path_update` sysctl at 0).
    PathUpdates => "Shim6PathUpdates",
    /// Payload packets received with the extension header, restored.
    InPayload => "Shim6InPayload",
    /// Control messages received (left to the daemon's raw socket).
    InControl => "Shim6InControl",
    /// Dropped: shorter than the 8-octet header.
    InDropTruncated => "Shim6InDropTruncated",
    /// Dropped: payload header with a Hdr Ext Len other than 0.
    InDropBadLength => "Shim6InDropBadLength",
    /// Dropped: no context has the packet's context tag.
    InDropUnknownTag => "Shim6InDropUnknownTag",
    /// Dropped: a locator not in the context's locator sets.
    InDropBadLocator => "Shim6InDropBadLocator",
    /// Dropped: the header was shared with a clone (a capture, say) and
    /// no memory was left to copy it before restoring the ULIDs.
    InDropNoMemory => "Shim6InDropNoMemory",
    /// Packets sent with rewritten locators and the extension header.
    OutRewritten => "Shim6OutRewritten",
    /// Packets of a context sent on its ULIDs, without the header.
    OutPlain => "Shim6OutPlain",
    /// Packets of a state whose context is gone, dropped.
    OutDropNoContext => "Shim6OutDropNoContext",
    /// Keepalives received for a known context, from and to its
    /// locators: REAP's Send timer stops.
    InKeepalive => "Shim6InKeepalive",
    /// Keepalives not taken: Hdr Ext Len 0, or longer than the packet.
    InDropKeepaliveLength => "Shim6InDropKeepaliveLength",
    /// Keepalives not taken: wrong checksum.
    InDropKeepaliveChecksum => "Shim6InDropKeepaliveChecksum",
    /// Keepalives not taken: no context has the receiver tag (the
    /// daemon's copy may still get an R1bis).
    InDropKeepaliveUnknownTag => "Shim6InDropKeepaliveUnknownTag",
    /// Keepalives not taken: a source or destination outside the
    /// context's locator sets.
    InDropKeepaliveLocator => "Shim6InDropKeepaliveLocator",
    /// Keepalives sent by REAP.
    OutKeepalive => "Shim6OutKeepalive",
    /// Keepalives that could not be sent (no memory, no route).
    OutKeepaliveFailed => "Shim6OutKeepaliveFailed",
    /// Send timer expiries: a context went to Exploring.
    SendTimeouts => "Shim6SendTimeouts",
    /// Flows reported to the daemon as worth a context.
    TriggerFired => "Shim6TriggerFired",
    /// New flows not tracked because the trigger table was full.
    TriggerTableFull => "Shim6TriggerTableFull",
}

const COUNT: usize = NAMES.len();

/// The counters of one namespace.
pub(crate) struct Stats {
    values: [AtomicU64; COUNT],
}

impl Stats {
    pub(crate) const fn new() -> Self {
        Stats { values: [const { AtomicU64::new(0) }; COUNT] }
    }

    pub(crate) fn inc(&self, counter: Counter) {
        // Counters are statistics: no ordering with other memory is needed.
        self.values[counter as usize].fetch_add(1, Ordering::Relaxed);
    }

    /// `(name, value)` for every counter, in declaration order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&'static kernel::str::CStr, u64)> + '_ {
        NAMES.iter().zip(self.values.iter()).map(|(n, v)| (*n, v.load(Ordering::Relaxed)))
    }
}

/// Allows at most `per_second` events in each second (by jiffies).
pub(crate) struct RateLimit {
    per_second: u64,
    /// (second, count) packed as second << 20 | count.
    window: AtomicU64,
}

impl RateLimit {
    pub(crate) const fn new(per_second: u64) -> Self {
        RateLimit { per_second, window: AtomicU64::new(0) }
    }

    pub(crate) fn allow(&self) -> bool {
        let second = crate::sys::time::seconds();
        let packed = self.window.load(Ordering::Relaxed);
        let (window, count) = (packed >> 20, packed & 0xf_ffff);
        let next = if window == second { count + 1 } else { 1 };
        // A lost race only lets one event more or less through.
        self.window.store(second << 20 | next.min(0xf_ffff), Ordering::Relaxed);
        next <= self.per_second
    }
}
