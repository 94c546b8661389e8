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
