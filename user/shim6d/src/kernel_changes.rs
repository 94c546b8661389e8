//! Which contexts the kernel may have to hear about after a turn of the
//! event loop, and what it should hold for them (H2 of the security
//! review: a turn with nothing new does no work per context).
//!
//! A context is marked when something that can change its kernel state
//! touches it: an event of the protocol core (established, new pair, new
//! peer tag, failed, removed), a received message naming it (tag or ULID
//! pair: an Update Request changes the peer's locators, an I2 from a
//! restarted peer its tag, locators and pair without an event), a kernel
//! event, or the daemon itself (forced pair, deletion, idle GC). A change
//! of our locators or of the Send Timeout marks everything.

use std::collections::{BTreeSet, HashMap};
use std::net::Ipv6Addr;
use std::time::Duration;

use shim6_proto::context::{Context, Host, LocatorVerifier};
use shim6_proto::random::RandomSource;
use shim6_proto::reap::{LocatorPair, ReapState};
use shim6_proto::wire::{ContextTag, Message};

use crate::kernel::KernelContexts;
use crate::kernel_sync::{Change, KernelSync, SyncStep, WantedContext};

#[derive(Debug, Default)]
pub struct ChangedContexts {
    tags: BTreeSet<u64>,
    everything: bool,
}

/// What the marks of a turn ask for.
#[derive(Debug, PartialEq, Eq)]
pub enum Pending {
    /// These contexts (by CT(local)).
    Some(BTreeSet<u64>),
    /// Every context: compare the whole set.
    Everything,
}

impl ChangedContexts {
    pub fn mark(&mut self, tag: u64) {
        if !self.everything {
            self.tags.insert(tag);
        }
    }

    pub fn mark_everything(&mut self) {
        self.everything = true;
        self.tags.clear();
    }

    /// The marks so far, which are cleared.
    pub fn take(&mut self) -> Pending {
        if std::mem::take(&mut self.everything) {
            Pending::Everything
        } else {
            Pending::Some(std::mem::take(&mut self.tags))
        }
    }

    /// Marks what a received `message` (from `src` to `dst`) can change:
    /// the context its tag names, and for I1, I2 and I2bis the context of
    /// its ULID pair (the ULID Pair option, else the addresses).
    pub fn mark_received<V: LocatorVerifier, R: RandomSource>(
        &mut self,
        host: &Host<V, R>,
        message: &Message,
        src: Ipv6Addr,
        dst: Ipv6Addr,
    ) {
        if let Some(tag) = message.context_tag() {
            if host.context(tag).is_some() {
                self.mark(tag.get());
            }
        }
        if matches!(message, Message::I1(_) | Message::I2(_) | Message::I2bis(_)) {
            let (local, peer) = message
                .options()
                .ulid_pair
                .as_ref()
                .map_or((dst, src), |pair| (pair.receiver, pair.sender));
            if let Some(ctx) = host.context_for_ulids(local, peer) {
                self.mark(ctx.local_tag().get());
            }
        }
    }
}

/// What every wanted context shares.
#[derive(Debug, Clone, Copy)]
pub struct WantedDefaults {
    pub send_timeout_ms: u32,
    /// When the context's REAP machine has none (not started yet).
    pub keepalive_timeout: Duration,
}

pub fn millis(duration: Duration) -> u32 {
    u32::try_from(duration.as_millis()).unwrap_or(u32::MAX)
}

/// What the kernel should hold for `ctx`: nothing unless it has peer state.
pub fn wanted_context(
    ctx: &Context,
    local_locators: &[Ipv6Addr],
    forced_pairs: &HashMap<ContextTag, LocatorPair>,
    defaults: WantedDefaults,
) -> Option<WantedContext> {
    if !ctx.state().has_peer_state() {
        return None;
    }
    let peer_tag = ctx.peer_tag()?;
    let keepalive = ctx.reap().map_or(defaults.keepalive_timeout, |reap| {
        reap.config().keepalive_timeout
    });
    Some(WantedContext {
        local_tag: ctx.local_tag().get(),
        peer_tag: peer_tag.get(),
        local_ulid: ctx.local_ulid(),
        peer_ulid: ctx.peer_ulid(),
        pair: forced_pairs
            .get(&ctx.local_tag())
            .copied()
            .unwrap_or_else(|| ctx.current_pair()),
        local_locators: local_locators.to_vec(),
        peer_locators: ctx.peer_locators().to_vec(),
        send_timeout_ms: defaults.send_timeout_ms,
        keepalive_timeout_ms: millis(keepalive),
    })
}

/// Every context's wanted state (for a full comparison).
pub fn all_wanted<V: LocatorVerifier, R: RandomSource>(
    host: &Host<V, R>,
    forced_pairs: &HashMap<ContextTag, LocatorPair>,
    defaults: WantedDefaults,
) -> Vec<WantedContext> {
    let local_locators = &host.config().local_locators;
    host.contexts()
        .filter_map(|ctx| wanted_context(ctx, local_locators, forced_pairs, defaults))
        .collect()
}

/// The changes of the contexts `tags`: each one's wanted state, or gone.
pub fn changes_of<V: LocatorVerifier, R: RandomSource>(
    host: Option<&Host<V, R>>,
    tags: impl IntoIterator<Item = u64>,
    forced_pairs: &HashMap<ContextTag, LocatorPair>,
    defaults: WantedDefaults,
) -> Vec<Change> {
    tags.into_iter()
        .map(|tag| {
            let wanted = host.and_then(|host| {
                let ctx = host.context(ContextTag::new(tag)?)?;
                wanted_context(ctx, &host.config().local_locators, forced_pairs, defaults)
            });
            wanted.map_or(Change::Gone(tag), Change::Wanted)
        })
        .collect()
}

/// One turn's kernel work: the contexts `pending` names, and those the
/// kernel took out of Operational, are compared with what the kernel
/// holds; everything when everything is pending.
pub fn sync_turn<V: LocatorVerifier, R: RandomSource>(
    pending: Pending,
    host: Option<&Host<V, R>>,
    sync: &mut KernelSync,
    forced_pairs: &HashMap<ContextTag, LocatorPair>,
    defaults: WantedDefaults,
    kernel: &mut dyn KernelContexts,
) -> Vec<SyncStep> {
    let reap_done = |tag: u64| {
        ContextTag::new(tag)
            .and_then(|tag| host.and_then(|host| host.context(tag)))
            .and_then(|ctx| ctx.reap_state())
            .map_or(true, |state| state == ReapState::Operational)
    };
    match pending {
        Pending::Everything => {
            let wanted =
                host.map_or_else(Vec::new, |host| all_wanted(host, forced_pairs, defaults));
            sync.sync(&wanted, reap_done, kernel)
        }
        Pending::Some(mut tags) => {
            tags.extend(sync.exploring());
            let changes = changes_of(host, tags, forced_pairs, defaults);
            sync.apply(changes, reap_done, kernel)
        }
    }
}

#[cfg(test)]
#[path = "kernel_changes_tests.rs"]
mod tests;
