//! H2 of the security review: a turn of the event loop with 10 000
//! established contexts and nothing new does no work per context; a turn
//! in which one context changed looks at that one only.

#[path = "../benches/support/responder_load.rs"]
mod responder_load;

use std::collections::HashMap;
use std::net::Ipv6Addr;
use std::time::Duration;

use responder_load::{fill, filler_ulid, EXCHANGE_TIME};
use shim6_netlink::{Context, CtxAdd, CtxSetTimers, CtxUpdate, TriggerPolicy};
use shim6_proto::context::{AcceptAllVerifier, Host, HostConfig};
use shim6_proto::random::SeededRandom;
use shim6_proto::reap::LocatorPair;
use shim6_proto::wire::{Keepalive, Message, Options};
use shim6d::kernel::{KernelContexts, KernelResult};
use shim6d::kernel_changes::{sync_turn, ChangedContexts, Pending, WantedDefaults};
use shim6d::kernel_sync::{KernelSync, SyncStep};

const CONTEXTS: u32 = 10_000;
const RESPONDER: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xb1, 0, 0, 0, 0, 1);

/// Takes every command and counts them.
#[derive(Default)]
struct CountingKernel {
    commands: u64,
}

impl KernelContexts for CountingKernel {
    fn add(&mut self, _: &CtxAdd) -> KernelResult<()> {
        self.commands += 1;
        Ok(())
    }
    fn delete(&mut self, _: u64) -> KernelResult<()> {
        self.commands += 1;
        Ok(())
    }
    fn update(&mut self, _: &CtxUpdate) -> KernelResult<()> {
        self.commands += 1;
        Ok(())
    }
    fn set_path(&mut self, _: u64, _: Ipv6Addr, _: Ipv6Addr) -> KernelResult<()> {
        self.commands += 1;
        Ok(())
    }
    fn set_timers(&mut self, _: &CtxSetTimers) -> KernelResult<()> {
        self.commands += 1;
        Ok(())
    }
    fn dump(&mut self) -> KernelResult<Vec<Context>> {
        Ok(Vec::new())
    }
    fn set_peer_policy(&mut self, _: Ipv6Addr, _: TriggerPolicy) -> KernelResult<()> {
        Ok(())
    }
}

struct Turn {
    compared: u64,
    steps: Vec<SyncStep>,
}

fn turn(
    changed: &mut ChangedContexts,
    host: &Host<AcceptAllVerifier, SeededRandom>,
    sync: &mut KernelSync,
    forced: &HashMap<shim6_proto::wire::ContextTag, LocatorPair>,
    kernel: &mut CountingKernel,
) -> Turn {
    let defaults = WantedDefaults {
        send_timeout_ms: 15_000,
        keepalive_timeout: Duration::from_secs(15),
    };
    let before = sync.compared();
    let steps = sync_turn(changed.take(), Some(host), sync, forced, defaults, kernel);
    Turn {
        compared: sync.compared() - before,
        steps,
    }
}

#[test]
fn a_turn_without_change_costs_nothing_per_context() {
    let mut host = Host::new(
        HostConfig::new(vec![RESPONDER]),
        AcceptAllVerifier,
        SeededRandom::new(1),
        EXCHANGE_TIME,
    );
    fill(&mut host, RESPONDER, 0, CONTEXTS);
    let mut sync = KernelSync::default();
    let mut kernel = CountingKernel::default();
    let mut changed = ChangedContexts::default();
    let mut forced = HashMap::new();

    changed.mark_everything();
    let first = turn(&mut changed, &host, &mut sync, &forced, &mut kernel);
    assert_eq!(first.compared, u64::from(CONTEXTS));
    assert_eq!(kernel.commands, u64::from(CONTEXTS), "one ctx-add each");

    // Nothing happened: no context is looked at, no command given.
    for _ in 0..100 {
        let idle = turn(&mut changed, &host, &mut sync, &forced, &mut kernel);
        assert_eq!((idle.compared, idle.steps.len()), (0, 0));
    }
    assert_eq!(kernel.commands, u64::from(CONTEXTS));

    // A Keepalive for one context: that one is compared, nothing changed.
    let ctx = host
        .context_for_ulids(RESPONDER, filler_ulid(77))
        .expect("context of peer 77");
    let tag = ctx.local_tag();
    let keepalive = Message::Keepalive(Keepalive {
        receiver_tag: tag,
        options: Options::default(),
    });
    changed.mark_received(&host, &keepalive, filler_ulid(77), RESPONDER);
    let one = turn(&mut changed, &host, &mut sync, &forced, &mut kernel);
    assert_eq!((one.compared, one.steps.len()), (1, 0));

    // A pair forced on it: one comparison, one ctx-set-path.
    forced.insert(tag, LocatorPair::new(RESPONDER, filler_ulid(77)));
    changed.mark(tag.get());
    let forced_turn = turn(&mut changed, &host, &mut sync, &forced, &mut kernel);
    assert_eq!(forced_turn.compared, 1);
    assert_eq!(
        kernel.commands,
        u64::from(CONTEXTS),
        "the same pair: nothing to send"
    );

    // A context the daemon dropped: deleted from the kernel, alone.
    host.remove_context(tag);
    changed.mark(tag.get());
    let removed = turn(&mut changed, &host, &mut sync, &forced, &mut kernel);
    assert_eq!(removed.compared, 1);
    assert_eq!(removed.steps, vec![SyncStep::Deleted(tag.get())]);

    // The periodic full comparison finds the kernel in step.
    changed.mark_everything();
    let full = turn(&mut changed, &host, &mut sync, &forced, &mut kernel);
    assert_eq!(full.compared, u64::from(CONTEXTS) - 1);
    assert!(full.steps.is_empty(), "{:?}", full.steps);
    assert!(matches!(changed.take(), Pending::Some(tags) if tags.is_empty()));
}
