//! Keeping the kernel's contexts equal to the daemon's.
//!
//! After every turn of the event loop the daemon lists what the kernel
//! should hold for the contexts that may have changed in it
//! ([`Change`]: a [`WantedContext`] per context with peer state, or gone)
//! and [`KernelSync::apply`] issues the commands that get it there (or
//! [`KernelSync::sync`] for the whole set, when everything may differ): `ctx-add`
//! for a new context, `ctx-update` for a new peer tag or locator set,
//! `ctx-set-path` for a new pair, `ctx-set-timers`, and `ctx-del` for a
//! context the daemon no longer has (garbage collection, deletion, context
//! confusion). A comparison instead of a command per protocol event means
//! several events of a turn make one command, and a refused command is
//! retried when the wanted state changes again.
//!
//! Contexts found in the kernel at start-up ("orphans", left by a previous
//! daemon) stay in place, so traffic keeps flowing on them, until the
//! daemon has re-established the same ULID pair; the new context then
//! replaces the orphan (see `Daemon::recover_orphans`).

use std::collections::{BTreeMap, BTreeSet};
use std::net::Ipv6Addr;

use shim6_netlink::{CtxAdd, CtxSetTimers, CtxUpdate};
use shim6_proto::reap::LocatorPair;

use crate::kernel::{KernelContexts, KernelError};

/// What the kernel must hold for one of the daemon's contexts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WantedContext {
    pub local_tag: u64,
    pub peer_tag: u64,
    pub local_ulid: Ipv6Addr,
    pub peer_ulid: Ipv6Addr,
    pub pair: LocatorPair,
    pub local_locators: Vec<Ipv6Addr>,
    pub peer_locators: Vec<Ipv6Addr>,
    pub send_timeout_ms: u32,
    pub keepalive_timeout_ms: u32,
}

impl WantedContext {
    fn add_request(&self) -> CtxAdd {
        CtxAdd {
            local_tag: self.local_tag,
            peer_tag: self.peer_tag,
            local_ulid: self.local_ulid,
            peer_ulid: self.peer_ulid,
            local_locator: Some(self.pair.local),
            peer_locator: Some(self.pair.peer),
            local_locators: Some(self.local_locators.clone()),
            peer_locators: Some(self.peer_locators.clone()),
            send_timeout_ms: Some(self.send_timeout_ms),
            keepalive_timeout_ms: Some(self.keepalive_timeout_ms),
        }
    }

    fn holds(&self, pair: LocatorPair) -> bool {
        self.local_locators.contains(&pair.local) && self.peer_locators.contains(&pair.peer)
    }

    fn same_sets(&self, other: &WantedContext) -> bool {
        self.peer_tag == other.peer_tag
            && self.local_locators == other.local_locators
            && self.peer_locators == other.peer_locators
    }
}

/// A kernel context the daemon did not make (left by a previous run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Orphan {
    pub local_tag: u64,
    pub local_ulid: Ipv6Addr,
    pub peer_ulid: Ipv6Addr,
    /// The pair it sends on: it works (or did when the daemon stopped).
    pub pair: LocatorPair,
}

/// One command given to the kernel, for logs and tests.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncStep {
    Added(u64),
    Updated(u64),
    PathSet(u64, LocatorPair),
    TimersSet(u64),
    Deleted(u64),
    OrphanReplaced { orphan: u64, by: u64 },
    Failed(u64, KernelError),
}

/// The daemon's record of what it installed in the kernel.
#[derive(Debug, Default)]
pub struct KernelSync {
    installed: BTreeMap<u64, WantedContext>,
    /// The kernel left Operational (send-timeout): once the daemon's REAP
    /// is done, `ctx-set-path` is due even for an unchanged pair, since
    /// only it brings the kernel back to Operational.
    exploring: BTreeSet<u64>,
    /// A wanted state the kernel refused: not retried until it changes.
    refused: BTreeMap<u64, WantedContext>,
    orphans: BTreeMap<u64, Orphan>,
    compared: u64,
}

/// What may have changed for one context since the kernel was told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// The kernel should hold this.
    Wanted(WantedContext),
    /// The daemon has no such context (with peer state): none in the kernel.
    Gone(u64),
}

impl KernelSync {
    pub fn installed(&self, local_tag: u64) -> Option<&WantedContext> {
        self.installed.get(&local_tag)
    }

    pub fn orphans(&self) -> impl Iterator<Item = &Orphan> {
        self.orphans.values()
    }

    pub fn add_orphan(&mut self, orphan: Orphan) {
        self.orphans.insert(orphan.local_tag, orphan);
    }

    /// Forget an orphan (after deleting it from the kernel).
    pub fn remove_orphan(&mut self, local_tag: u64) -> Option<Orphan> {
        self.orphans.remove(&local_tag)
    }

    /// The kernel reported a send timeout on this context.
    pub fn mark_exploring(&mut self, local_tag: u64) {
        if self.installed.contains_key(&local_tag) {
            self.exploring.insert(local_tag);
        }
    }

    pub fn is_exploring(&self, local_tag: u64) -> bool {
        self.exploring.contains(&local_tag)
    }

    /// Brings the kernel to `wanted`, the whole set: every installed
    /// context not in it is deleted. `reap_done(tag)` says whether the
    /// daemon's REAP for that context is Operational (exploration over).
    pub fn sync(
        &mut self,
        wanted: &[WantedContext],
        reap_done: impl Fn(u64) -> bool,
        kernel: &mut dyn KernelContexts,
    ) -> Vec<SyncStep> {
        let wanted_tags: BTreeSet<u64> = wanted.iter().map(|w| w.local_tag).collect();
        let gone = self
            .installed
            .keys()
            .chain(self.refused.keys())
            .filter(|tag| !wanted_tags.contains(tag))
            .copied()
            .collect::<BTreeSet<u64>>()
            .into_iter()
            .map(Change::Gone);
        let changes: Vec<Change> = gone
            .chain(wanted.iter().cloned().map(Change::Wanted))
            .collect();
        self.apply(changes, reap_done, kernel)
    }

    /// Brings the kernel to `changes` only: the contexts whose wanted
    /// state may have changed (H2 of the security review: a turn costs
    /// what changed in it, not what the daemon holds).
    pub fn apply(
        &mut self,
        changes: impl IntoIterator<Item = Change>,
        reap_done: impl Fn(u64) -> bool,
        kernel: &mut dyn KernelContexts,
    ) -> Vec<SyncStep> {
        let mut steps = Vec::new();
        for change in changes {
            self.compared += 1;
            match change {
                Change::Gone(tag) => self.forget(tag, kernel, &mut steps),
                Change::Wanted(want) => {
                    self.bring(&want, reap_done(want.local_tag), kernel, &mut steps)
                }
            }
        }
        steps
    }

    /// Wanted states looked at since the start: what a turn cost.
    pub fn compared(&self) -> u64 {
        self.compared
    }

    /// Contexts the kernel took out of Operational: their `ctx-set-path`
    /// waits on the daemon's REAP, which emits nothing when it ends on the
    /// same pair, so they are looked at every turn (there are few).
    pub fn exploring(&self) -> impl Iterator<Item = u64> + '_ {
        self.exploring.iter().copied()
    }

    fn forget(&mut self, tag: u64, kernel: &mut dyn KernelContexts, steps: &mut Vec<SyncStep>) {
        self.refused.remove(&tag);
        self.exploring.remove(&tag);
        if self.installed.remove(&tag).is_some() {
            steps.push(match kernel.delete(tag) {
                Ok(()) => SyncStep::Deleted(tag),
                Err(error) => SyncStep::Failed(tag, error),
            });
        }
    }

    fn bring(
        &mut self,
        want: &WantedContext,
        reap_done: bool,
        kernel: &mut dyn KernelContexts,
        steps: &mut Vec<SyncStep>,
    ) {
        let tag = want.local_tag;
        if self.refused.get(&tag) == Some(want) {
            return;
        }
        let result = match self.installed.get(&tag).cloned() {
            None => self.install(want, kernel, steps),
            Some(have) => self.change(&have, want, reap_done, kernel, steps),
        };
        match result {
            Ok(()) => {
                self.refused.remove(&tag);
            }
            Err(error) => {
                self.refused.insert(tag, want.clone());
                steps.push(SyncStep::Failed(tag, error));
            }
        }
    }

    fn install(
        &mut self,
        want: &WantedContext,
        kernel: &mut dyn KernelContexts,
        steps: &mut Vec<SyncStep>,
    ) -> Result<(), KernelError> {
        let orphan = self
            .orphans
            .values()
            .find(|o| o.local_ulid == want.local_ulid && o.peer_ulid == want.peer_ulid)
            .copied();
        if let Some(orphan) = orphan {
            // The kernel allows one context per ULID pair: the old one
            // goes just before the new one comes (a packet or two in
            // between travel without the shim, or are dropped).
            self.orphans.remove(&orphan.local_tag);
            kernel.delete(orphan.local_tag)?;
            steps.push(SyncStep::OrphanReplaced {
                orphan: orphan.local_tag,
                by: want.local_tag,
            });
        }
        kernel.add(&want.add_request())?;
        self.installed.insert(want.local_tag, want.clone());
        steps.push(SyncStep::Added(want.local_tag));
        Ok(())
    }

    fn change(
        &mut self,
        have: &WantedContext,
        want: &WantedContext,
        reap_done: bool,
        kernel: &mut dyn KernelContexts,
        steps: &mut Vec<SyncStep>,
    ) -> Result<(), KernelError> {
        let tag = want.local_tag;
        let exploring_over = reap_done && self.exploring.contains(&tag);
        let path_due = have.pair != want.pair || exploring_over;
        if !have.same_sets(want) {
            // The current pair must stay inside the sets at every step.
            if !want.holds(want.pair) {
                // Our locator in use went away and REAP is still looking
                // for a pair: the sets change with the new pair, when it
                // is found (the kernel keeps its context meanwhile).
                return Ok(());
            }
            let keeps_pair = want.holds(have.pair);
            if keeps_pair || have.holds(want.pair) {
                // The kernel refuses sets without the pair in use: when the
                // new sets drop it, move to the new pair first.
                if !keeps_pair {
                    self.set_path(tag, want.pair, kernel, steps)?;
                }
                kernel.update(&update_request(have, want))?;
                steps.push(SyncStep::Updated(tag));
                self.record(have, want, |r, w| {
                    r.peer_tag = w.peer_tag;
                    r.local_locators = w.local_locators.clone();
                    r.peer_locators = w.peer_locators.clone();
                });
            } else {
                kernel.delete(tag)?;
                self.installed.remove(&tag);
                steps.push(SyncStep::Deleted(tag));
                self.exploring.remove(&tag);
                return self.install(want, kernel, steps);
            }
        }
        let recorded_pair = self.installed.get(&tag).map(|r| r.pair);
        if path_due && (recorded_pair != Some(want.pair) || exploring_over) {
            self.set_path(tag, want.pair, kernel, steps)?;
        }
        if have.send_timeout_ms != want.send_timeout_ms
            || have.keepalive_timeout_ms != want.keepalive_timeout_ms
        {
            kernel.set_timers(&CtxSetTimers {
                local_tag: tag,
                send_timeout_ms: Some(want.send_timeout_ms),
                keepalive_timeout_ms: Some(want.keepalive_timeout_ms),
            })?;
            steps.push(SyncStep::TimersSet(tag));
            self.record(have, want, |r, w| {
                r.send_timeout_ms = w.send_timeout_ms;
                r.keepalive_timeout_ms = w.keepalive_timeout_ms;
            });
        }
        Ok(())
    }

    fn set_path(
        &mut self,
        tag: u64,
        pair: LocatorPair,
        kernel: &mut dyn KernelContexts,
        steps: &mut Vec<SyncStep>,
    ) -> Result<(), KernelError> {
        kernel.set_path(tag, pair.local, pair.peer)?;
        if let Some(record) = self.installed.get_mut(&tag) {
            record.pair = pair;
        }
        self.exploring.remove(&tag);
        steps.push(SyncStep::PathSet(tag, pair));
        Ok(())
    }

    fn record(
        &mut self,
        have: &WantedContext,
        want: &WantedContext,
        apply: impl FnOnce(&mut WantedContext, &WantedContext),
    ) {
        let record = self
            .installed
            .entry(want.local_tag)
            .or_insert_with(|| have.clone());
        apply(record, want);
    }
}

fn update_request(have: &WantedContext, want: &WantedContext) -> CtxUpdate {
    CtxUpdate {
        local_tag: want.local_tag,
        peer_tag: (have.peer_tag != want.peer_tag).then_some(want.peer_tag),
        local_locators: (have.local_locators != want.local_locators)
            .then(|| want.local_locators.clone()),
        peer_locators: (have.peer_locators != want.peer_locators)
            .then(|| want.peer_locators.clone()),
    }
}

#[cfg(test)]
#[path = "kernel_sync_tests.rs"]
mod tests;
