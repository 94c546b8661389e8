// SPDX-License-Identifier: GPL-2.0

//! State kept for each network namespace.

use crate::stats::Stats;
use crate::sys::pernet::{PernetData, PernetId};

/// Everything the sublayer keeps for one network namespace.
pub(crate) struct Shim6Net {
    pub(crate) stats: Stats,
}

impl PernetData for Shim6Net {
    fn id() -> &'static PernetId {
        static ID: PernetId = PernetId::new();
        &ID
    }

    fn new() -> Self {
        Shim6Net { stats: Stats::new() }
    }
}
