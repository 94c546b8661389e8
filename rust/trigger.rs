// SPDX-License-Identifier: GPL-2.0

//! The context-trigger heuristic (RFC 5533 §7.2 leaves it to the
//! implementation): a flow between a local and a peer address is worth a
//! Shim6 context once it has sent N payload octets or been active for T
//! seconds.  Only outbound payload counts, so a host that only receives
//! (or only acknowledges) never starts a context.  A per-peer policy can
//! say never or at once.  The table is bounded; idle flows expire.

use crate::context::Addr;
use kernel::prelude::*;
use kernel::rbtree::{RBTree, RBTreeNode};

/// Flows tracked per namespace at most.
pub(crate) const MAX_FLOWS: usize = 1024;
/// A flow with no outbound payload for this long is forgotten.
pub(crate) const IDLE_SECONDS: u64 = 120;
/// Peers with a policy, at most.
pub(crate) const MAX_POLICIES: usize = 256;

/// Thresholds (per namespace: the `net.shim6.trigger_*` sysctls, also
/// set with `set-params`).
#[derive(Clone, Copy)]
pub(crate) struct Params {
    pub(crate) bytes: u32,
    pub(crate) seconds: u32,
}

impl Params {
    /// 2 KB or 60 s, as LinShim6 did.
    pub(crate) const DEFAULT: Params = Params { bytes: 2048, seconds: 60 };
}

/// Per-peer policy, numbered as the `trigger-policy` attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Policy {
    Default = 0,
    Never = 1,
    Immediate = 2,
}

impl Policy {
    pub(crate) fn from_u8(v: u8) -> Option<Policy> {
        match v {
            0 => Some(Policy::Default),
            1 => Some(Policy::Never),
            2 => Some(Policy::Immediate),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct FlowKey {
    local: Addr,
    peer: Addr,
}

struct Flow {
    bytes: u64,
    first: u64,
    last: u64,
    fired: bool,
}

/// What one outbound packet leads to.
pub(crate) enum Outcome {
    /// Nothing to report.
    Quiet,
    /// Report the flow to the daemon.
    Fire,
    /// The flow is new and the table is full (counted, not tracked).
    TableFull,
}

/// The flows and policies of one namespace.
pub(crate) struct Trigger {
    flows: RBTree<FlowKey, Flow>,
    flow_count: usize,
    policies: RBTree<Addr, Policy>,
    policy_count: usize,
}

impl Trigger {
    pub(crate) fn new() -> Self {
        Trigger {
            flows: RBTree::new(),
            flow_count: 0,
            policies: RBTree::new(),
            policy_count: 0,
        }
    }

    /// Sets (or with `Default`, clears) the policy for `peer`.
    pub(crate) fn set_policy(&mut self, peer: Addr, policy: Policy, node: RBTreeNode<Addr, Policy>) -> Result {
        let existed = self.policies.remove(&peer).is_some();
        if existed {
            self.policy_count -= 1;
        }
        if policy == Policy::Default {
            return Ok(());
        }
        if self.policy_count >= MAX_POLICIES {
            return Err(ENOSPC);
        }
        self.policies.insert(node);
        self.policy_count += 1;
        Ok(())
    }

    /// One outbound packet with `payload` octets of transport payload,
    /// judged by the thresholds `params`; `now` and the flow times are in
    /// seconds.  New flows are allocated atomically (this runs on the
    /// packet path, under the trigger lock).
    ///
    /// The caller reads `now` under the trigger lock, so it never goes
    /// back behind a flow's `first`; the age saturates all the same, as
    /// this arithmetic must not be able to panic on a clock read.
    pub(crate) fn outbound(&mut self, local: Addr, peer: Addr, payload: usize, now: u64, params: Params) -> Outcome {
        let policy = self.policies.get(&peer).copied().unwrap_or(Policy::Default);
        if policy == Policy::Never || payload == 0 {
            return Outcome::Quiet;
        }
        let key = FlowKey { local, peer };
        if let Some(flow) = self.flows.get_mut(&key) {
            flow.bytes = flow.bytes.saturating_add(payload as u64);
            flow.last = now;
            let age = now.saturating_sub(flow.first);
            if !flow.fired && (flow.bytes >= u64::from(params.bytes) || age >= u64::from(params.seconds)) {
                flow.fired = true;
                return Outcome::Fire;
            }
            return Outcome::Quiet;
        }
        if self.flow_count >= MAX_FLOWS {
            self.expire(now);
            if self.flow_count >= MAX_FLOWS {
                return Outcome::TableFull;
            }
        }
        let fire = policy == Policy::Immediate || payload as u64 >= u64::from(params.bytes);
        let flow = Flow { bytes: payload as u64, first: now, last: now, fired: fire };
        let Ok(node) = RBTreeNode::new(key, flow, GFP_ATOMIC) else { return Outcome::TableFull };
        self.flows.insert(node);
        self.flow_count += 1;
        if fire { Outcome::Fire } else { Outcome::Quiet }
    }

    /// Forgets flows idle for `IDLE_SECONDS`.
    pub(crate) fn expire(&mut self, now: u64) {
        let mut cursor = self.flows.cursor_front();
        while let Some(c) = cursor {
            let idle = now.saturating_sub(c.current().1.last) >= IDLE_SECONDS;
            cursor = if idle {
                self.flow_count -= 1;
                c.remove_current().0
            } else {
                c.move_next()
            };
        }
    }

    /// Forgets the flow of a pair that now has a context.
    pub(crate) fn forget(&mut self, local: Addr, peer: Addr) {
        if self.flows.remove(&FlowKey { local, peer }).is_some() {
            self.flow_count -= 1;
        }
    }
}
