// SPDX-License-Identifier: GPL-2.0

//! The `net.shim6.*` sysctls of a namespace (described in README.md,
//! "Sysctls").
//!
//! They are the only storage of these settings: the trigger reads its
//! thresholds here on every packet, and the `set-params` / `get-params`
//! commands write and read the same values with the same ranges, so a
//! value set either way is seen both ways.

use crate::sys::net::Net;
use crate::sys::sysctl::{Confined, UintSpec, UintTable};
use crate::trigger::Params;
use kernel::{c_str, prelude::*};

/// The entries, in table order.
#[derive(Clone, Copy)]
enum Entry {
    TriggerBytes = 0,
    TriggerSeconds = 1,
    PathUpdate = 2,
    MaxContexts = 3,
}

const ENTRIES: usize = 4;

/// Contexts a namespace may hold, by default.  A context costs about
/// 450 octets, 2.3 KiB once it rewrites (README, "Memory per context").
const MAX_CONTEXTS: u32 = 65_536;

/// The same where root may be any user (a namespace a user namespace other
/// than the initial one owns): a few contexts for a container, no more,
/// since `unshare -Urn` gives anyone CAP_NET_ADMIN over such a namespace.
const MAX_CONTEXTS_CONFINED: u32 = 64;

/// Names, defaults and ranges, indexed by [`Entry`].
static SPECS: [UintSpec; ENTRIES] = [
    // Octets of outbound payload after which a flow is worth a context;
    // up to 1 GiB.
    UintSpec { name: c_str!("trigger_bytes"), default: Params::DEFAULT.bytes, min: 1, max: 1 << 30, confined: None },
    // Seconds of outbound activity after which a flow is worth a context;
    // up to a day.
    UintSpec { name: c_str!("trigger_seconds"), default: Params::DEFAULT.seconds, min: 1, max: 86_400, confined: None },
    // 1: raise NETEVENT_PATH_UPDATE when a context changes its locators;
    // 0: do not (to measure what the event is worth).
    UintSpec { name: c_str!("path_update"), default: 1, min: 0, max: 1, confined: None },
    // Contexts the namespace may hold; ctx-add beyond it is refused.  In a
    // namespace owned by another user namespace both the default and the
    // maximum are small: its root can lower the cap, not lift it.
    UintSpec {
        name: c_str!("max_contexts"),
        default: MAX_CONTEXTS,
        min: 0,
        max: 1 << 24,
        confined: Some(Confined { default: MAX_CONTEXTS_CONFINED, max: MAX_CONTEXTS_CONFINED }),
    },
];

/// Which threshold a `set-params` value is for.
#[derive(Clone, Copy)]
pub(crate) enum Threshold {
    Bytes,
    Seconds,
}

/// The registered sysctls of one namespace.
pub(crate) struct Sysctls(UintTable<ENTRIES>);

impl Sysctls {
    pub(crate) fn register(net: &Net) -> Result<Self> {
        Ok(Sysctls(UintTable::register(net, c_str!("net/shim6"), &SPECS)?))
    }

    /// The trigger thresholds now (each read once, without a lock).
    pub(crate) fn trigger_params(&self) -> Params {
        Params {
            bytes: self.0.get(Entry::TriggerBytes as usize),
            seconds: self.0.get(Entry::TriggerSeconds as usize),
        }
    }

    /// Checks `value` against the threshold's sysctl range.
    pub(crate) fn check(&self, threshold: Threshold, value: u32) -> Result {
        let spec = &SPECS[Self::entry(threshold) as usize];
        if value < spec.min || value > spec.max {
            return Err(EINVAL);
        }
        Ok(())
    }

    /// Sets a threshold as writing its sysctl would.
    pub(crate) fn set(&self, threshold: Threshold, value: u32) -> Result {
        self.0.set(Self::entry(threshold) as usize, value)
    }

    /// Whether locator changes raise NETEVENT_PATH_UPDATE.
    pub(crate) fn path_update(&self) -> bool {
        self.0.get(Entry::PathUpdate as usize) != 0
    }

    /// How many contexts the namespace may hold.
    pub(crate) fn max_contexts(&self) -> usize {
        self.0.get(Entry::MaxContexts as usize) as usize
    }

    fn entry(threshold: Threshold) -> Entry {
        match threshold {
            Threshold::Bytes => Entry::TriggerBytes,
            Threshold::Seconds => Entry::TriggerSeconds,
        }
    }
}
