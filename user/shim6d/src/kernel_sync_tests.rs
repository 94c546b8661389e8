use std::collections::BTreeMap;

use shim6_netlink::{Context, ReapState, Traffic, TriggerPolicy};

use super::*;
use crate::kernel::KernelResult;

/// A kernel that keeps contexts like the module does and refuses what the
/// module refuses: a second context for a ULID pair, a current pair
/// outside the locator sets, commands for unknown tags.
#[derive(Default)]
struct FakeKernel {
    contexts: BTreeMap<u64, Context>,
    commands: Vec<String>,
}

fn refuse(command: &'static str, reason: &str) -> KernelError {
    KernelError {
        command,
        reason: reason.to_owned(),
    }
}

impl FakeKernel {
    fn check_pair(ctx: &Context) -> KernelResult<()> {
        if ctx.local_locators.contains(&ctx.local_locator)
            && ctx.peer_locators.contains(&ctx.peer_locator)
        {
            Ok(())
        } else {
            Err(refuse("check", "current pair outside the sets"))
        }
    }
}

impl KernelContexts for FakeKernel {
    fn add(&mut self, r: &CtxAdd) -> KernelResult<()> {
        self.commands.push(format!("add {}", r.local_tag));
        if self.contexts.contains_key(&r.local_tag)
            || self
                .contexts
                .values()
                .any(|c| c.local_ulid == r.local_ulid && c.peer_ulid == r.peer_ulid)
        {
            return Err(refuse("ctx-add", "EEXIST"));
        }
        let ctx = Context {
            local_tag: r.local_tag,
            peer_tag: r.peer_tag,
            local_ulid: r.local_ulid,
            peer_ulid: r.peer_ulid,
            local_locator: r.local_locator.unwrap_or(r.local_ulid),
            peer_locator: r.peer_locator.unwrap_or(r.peer_ulid),
            local_locators: r.local_locators.clone().unwrap_or_default(),
            peer_locators: r.peer_locators.clone().unwrap_or_default(),
            send_timeout_ms: r.send_timeout_ms.unwrap_or(15000),
            keepalive_timeout_ms: r.keepalive_timeout_ms.unwrap_or(15000),
            reap_state: ReapState::Operational,
            traffic: Traffic::default(),
        };
        Self::check_pair(&ctx)?;
        self.contexts.insert(r.local_tag, ctx);
        Ok(())
    }

    fn delete(&mut self, tag: u64) -> KernelResult<()> {
        self.commands.push(format!("del {tag}"));
        self.contexts
            .remove(&tag)
            .map(|_| ())
            .ok_or_else(|| refuse("ctx-del", "ENOENT"))
    }

    fn update(&mut self, r: &CtxUpdate) -> KernelResult<()> {
        self.commands.push(format!("update {}", r.local_tag));
        let ctx = self
            .contexts
            .get_mut(&r.local_tag)
            .ok_or_else(|| refuse("ctx-update", "ENOENT"))?;
        let mut next = ctx.clone();
        if let Some(tag) = r.peer_tag {
            next.peer_tag = tag;
        }
        if let Some(set) = &r.local_locators {
            next.local_locators = set.clone();
        }
        if let Some(set) = &r.peer_locators {
            next.peer_locators = set.clone();
        }
        Self::check_pair(&next)?;
        *ctx = next;
        Ok(())
    }

    fn set_path(&mut self, tag: u64, local: Ipv6Addr, peer: Ipv6Addr) -> KernelResult<()> {
        self.commands.push(format!("path {tag} {local} {peer}"));
        let ctx = self
            .contexts
            .get_mut(&tag)
            .ok_or_else(|| refuse("ctx-set-path", "ENOENT"))?;
        let mut next = ctx.clone();
        next.local_locator = local;
        next.peer_locator = peer;
        next.reap_state = ReapState::Operational;
        Self::check_pair(&next)?;
        *ctx = next;
        Ok(())
    }

    fn set_timers(&mut self, r: &CtxSetTimers) -> KernelResult<()> {
        self.commands.push(format!("timers {}", r.local_tag));
        let ctx = self
            .contexts
            .get_mut(&r.local_tag)
            .ok_or_else(|| refuse("ctx-set-timers", "ENOENT"))?;
        if let Some(ms) = r.send_timeout_ms {
            ctx.send_timeout_ms = ms;
        }
        if let Some(ms) = r.keepalive_timeout_ms {
            ctx.keepalive_timeout_ms = ms;
        }
        Ok(())
    }

    fn dump(&mut self) -> KernelResult<Vec<Context>> {
        Ok(self.contexts.values().cloned().collect())
    }

    fn set_peer_policy(&mut self, _: Ipv6Addr, _: TriggerPolicy) -> KernelResult<()> {
        Ok(())
    }
}

fn a(n: u8) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, 0xa0 + u16::from(n), 0, 0, 0, 0, 2)
}

fn b(n: u8) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, 0xb0 + u16::from(n), 0, 0, 0, 0, 2)
}

fn wanted(tag: u64) -> WantedContext {
    WantedContext {
        local_tag: tag,
        peer_tag: 0x2b,
        local_ulid: a(1),
        peer_ulid: b(1),
        pair: LocatorPair::new(a(1), b(1)),
        local_locators: vec![a(1), a(2), a(3)],
        peer_locators: vec![b(1), b(2), b(3)],
        send_timeout_ms: 2000,
        keepalive_timeout_ms: 3000,
    }
}

const DONE: fn(u64) -> bool = |_| true;
const EXPLORING: fn(u64) -> bool = |_| false;

#[test]
fn a_new_context_is_added_with_pair_sets_and_timers() {
    let mut kernel = FakeKernel::default();
    let mut sync = KernelSync::default();
    let steps = sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    assert_eq!(steps, vec![SyncStep::Added(0x1a)]);
    let ctx = &kernel.contexts[&0x1a];
    assert_eq!((ctx.local_locator, ctx.peer_locator), (a(1), b(1)));
    assert_eq!(ctx.peer_locators, vec![b(1), b(2), b(3)]);
    assert_eq!(
        (ctx.send_timeout_ms, ctx.keepalive_timeout_ms),
        (2000, 3000)
    );
    assert!(
        sync.sync(&[wanted(0x1a)], DONE, &mut kernel).is_empty(),
        "nothing changed, nothing sent"
    );
}

#[test]
fn a_new_pair_is_one_set_path() {
    let mut kernel = FakeKernel::default();
    let mut sync = KernelSync::default();
    sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    let mut moved = wanted(0x1a);
    moved.pair = LocatorPair::new(a(2), b(3));
    let steps = sync.sync(&[moved], DONE, &mut kernel);
    assert_eq!(
        steps,
        vec![SyncStep::PathSet(0x1a, LocatorPair::new(a(2), b(3)))]
    );
    assert_eq!(kernel.contexts[&0x1a].local_locator, a(2));
}

#[test]
fn a_new_peer_tag_is_an_update_of_that_tag_only() {
    let mut kernel = FakeKernel::default();
    let mut sync = KernelSync::default();
    sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    let mut recovered = wanted(0x1a);
    recovered.peer_tag = 0x3c;
    assert_eq!(
        sync.sync(&[recovered], DONE, &mut kernel),
        vec![SyncStep::Updated(0x1a)]
    );
    assert_eq!(kernel.contexts[&0x1a].peer_tag, 0x3c);
}

#[test]
fn a_context_the_daemon_dropped_is_deleted() {
    let mut kernel = FakeKernel::default();
    let mut sync = KernelSync::default();
    sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    assert_eq!(
        sync.sync(&[], DONE, &mut kernel),
        vec![SyncStep::Deleted(0x1a)]
    );
    assert!(kernel.contexts.is_empty());
}

#[test]
fn after_a_send_timeout_the_same_pair_is_set_again_once_reap_is_done() {
    let mut kernel = FakeKernel::default();
    let mut sync = KernelSync::default();
    sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    sync.mark_exploring(0x1a);
    assert!(
        sync.sync(&[wanted(0x1a)], EXPLORING, &mut kernel)
            .is_empty(),
        "still exploring"
    );
    let steps = sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    assert_eq!(
        steps,
        vec![SyncStep::PathSet(0x1a, LocatorPair::new(a(1), b(1)))]
    );
    assert!(!sync.is_exploring(0x1a));
    assert!(sync.sync(&[wanted(0x1a)], DONE, &mut kernel).is_empty());
}

#[test]
fn an_orphan_of_the_same_ulids_makes_way_for_the_new_context() {
    let mut kernel = FakeKernel::default();
    let mut old = wanted(0x77);
    old.pair = LocatorPair::new(a(2), b(2));
    kernel.add(&old.add_request()).unwrap();
    let mut sync = KernelSync::default();
    sync.add_orphan(Orphan {
        local_tag: 0x77,
        local_ulid: a(1),
        peer_ulid: b(1),
        pair: LocatorPair::new(a(2), b(2)),
    });
    let steps = sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    assert_eq!(
        steps,
        vec![
            SyncStep::OrphanReplaced {
                orphan: 0x77,
                by: 0x1a
            },
            SyncStep::Added(0x1a)
        ]
    );
    assert_eq!(
        kernel.contexts.keys().copied().collect::<Vec<_>>(),
        vec![0x1a]
    );
    assert_eq!(sync.orphans().count(), 0);
}

#[test]
fn a_shrinking_set_moves_the_pair_first() {
    let mut kernel = FakeKernel::default();
    let mut sync = KernelSync::default();
    let mut start = wanted(0x1a);
    start.pair = LocatorPair::new(a(3), b(1));
    sync.sync(&[start], DONE, &mut kernel);
    let mut shrunk = wanted(0x1a);
    shrunk.local_locators = vec![a(1), a(2)];
    shrunk.pair = LocatorPair::new(a(2), b(1));
    let steps = sync.sync(&[shrunk], DONE, &mut kernel);
    assert_eq!(
        steps,
        vec![
            SyncStep::PathSet(0x1a, LocatorPair::new(a(2), b(1))),
            SyncStep::Updated(0x1a)
        ]
    );
    assert_eq!(kernel.contexts[&0x1a].local_locators, vec![a(1), a(2)]);
    assert_eq!(
        kernel.commands,
        vec![
            "add 26",
            "path 26 2001:db8:a2::2 2001:db8:b1::2",
            "update 26"
        ]
    );
}

#[test]
fn a_lost_locator_in_use_waits_for_the_pair_reap_finds() {
    let mut kernel = FakeKernel::default();
    let mut sync = KernelSync::default();
    sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    // a(1), in the pair in use, is gone; REAP has not found a pair yet.
    let mut lost = wanted(0x1a);
    lost.local_locators = vec![a(2), a(3)];
    assert_eq!(sync.sync(&[lost.clone()], EXPLORING, &mut kernel), vec![]);
    assert_eq!(kernel.commands, vec!["add 26"]);
    // Found: the pair moves, then the sets shrink.
    lost.pair = LocatorPair::new(a(2), b(1));
    let steps = sync.sync(&[lost], DONE, &mut kernel);
    assert_eq!(
        steps,
        vec![
            SyncStep::PathSet(0x1a, LocatorPair::new(a(2), b(1))),
            SyncStep::Updated(0x1a)
        ]
    );
    assert_eq!(kernel.contexts[&0x1a].local_locators, vec![a(2), a(3)]);
    assert_eq!(kernel.contexts[&0x1a].local_locator, a(2));
}

#[test]
fn a_refused_context_is_not_retried_until_it_changes() {
    let mut kernel = FakeKernel::default();
    let mut other = wanted(0x99);
    other.peer_tag = 0x98;
    kernel.add(&other.add_request()).unwrap();
    let mut sync = KernelSync::default();
    let steps = sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    assert!(
        matches!(steps.as_slice(), [SyncStep::Failed(0x1a, error)] if error.command == "ctx-add")
    );
    assert!(sync.sync(&[wanted(0x1a)], DONE, &mut kernel).is_empty());
    kernel.delete(0x99).unwrap();
    let mut changed = wanted(0x1a);
    changed.peer_tag = 0x3c;
    assert_eq!(
        sync.sync(&[changed], DONE, &mut kernel),
        vec![SyncStep::Added(0x1a)]
    );
}

#[test]
fn new_timers_are_set_on_the_installed_context() {
    let mut kernel = FakeKernel::default();
    let mut sync = KernelSync::default();
    sync.sync(&[wanted(0x1a)], DONE, &mut kernel);
    let mut quicker = wanted(0x1a);
    quicker.send_timeout_ms = 1000;
    assert_eq!(
        sync.sync(&[quicker], DONE, &mut kernel),
        vec![SyncStep::TimersSet(0x1a)]
    );
    assert_eq!(kernel.contexts[&0x1a].send_timeout_ms, 1000);
}
