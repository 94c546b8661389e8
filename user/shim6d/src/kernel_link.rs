//! The daemon's side of the kernel module: its events drive the protocol
//! core, and after every turn the kernel's contexts are brought to the
//! core's ([`KernelSync`]).
//!
//! | kernel event   | daemon                                                  |
//! |----------------|---------------------------------------------------------|
//! | trigger        | start a context (I1) for that ULID pair                 |
//! | send-timeout   | REAP exploration (probes); `ctx-set-path` when it ends  |
//! | rx-exploring   | REAP: the peer reaches us (Exploring → InboundOk)       |
//! | unknown-tag    | R1bis (RFC 5533 §7.17), through the core's dispatcher   |
//! | path-changed   | shown on the control channel                            |
//!
//! Restart: contexts found in the kernel at start are left in place (the
//! traffic on them goes on) and recovered with the peer by the exchange
//! RFC 5533 §7.17 defines for a host that lost its state: we send the
//! R1bis that an unknown tag would have caused, on the pair the kernel
//! context uses (so it is a pair that works), the peer answers with an
//! I2bis carrying the same ULIDs, and the new context replaces the old
//! one in the kernel, on the same pair. Deleting the old kernel context
//! first would send the stream as plain packets on the ULID pair, which
//! may be the broken one, with nobody left to notice.

use std::net::Ipv6Addr;
use std::time::Duration;

use shim6_netlink::{Event as KernelEvent, TriggerPolicy};
use shim6_proto::reap::LocatorPair;
use shim6_proto::wire::ContextTag;

use crate::control::protocol::Event;
use crate::daemon::Daemon;
use crate::kernel::KernelContexts;
use crate::kernel_changes::{millis, sync_turn, WantedDefaults};
use crate::kernel_sync::{Orphan, SyncStep};

/// R1bis sent per orphan before its kernel context is deleted: the peer
/// has no context either (both daemons restarted) or cannot be reached.
pub(crate) const ORPHAN_RECOVERY_ATTEMPTS: u32 = 4;
/// Events handled per wake-up before the loop looks at other work.
const EVENT_BATCH: usize = 64;

impl Daemon {
    /// Reads the events the kernel has queued.
    pub(crate) fn receive_kernel_events(&mut self) {
        for _ in 0..EVENT_BATCH {
            let Some(kernel) = self.kernel.as_mut() else {
                return;
            };
            match kernel.next_event() {
                Ok(Some(event)) => self.on_kernel_event(event),
                Ok(None) => return,
                Err(shim6_netlink::Error::Overrun) => {
                    self.stats.kernel_events_lost += 1;
                    log::warn!(
                        "kernel events were lost (receive buffer overrun); rereading the contexts"
                    );
                    self.catch_up_lost_send_timeouts();
                }
                Err(error) => {
                    self.stats.kernel_errors += 1;
                    log::warn!("kernel events: {error}");
                    return;
                }
            }
        }
    }

    fn on_kernel_event(&mut self, event: KernelEvent) {
        crate::stats::bump(&mut self.stats.kernel_events, event.name());
        log::debug!("kernel event {event:?}");
        let now = self.clock.now();
        match event {
            KernelEvent::Trigger {
                local_address,
                peer_address,
            } => self.on_trigger(local_address, peer_address),
            KernelEvent::SendTimeout { local_tag, .. } => {
                self.kernel_sync.mark_exploring(local_tag);
                self.kernel_changes.mark(local_tag);
                let Some(tag) = ContextTag::new(local_tag) else {
                    return;
                };
                // A forced pair that failed gives way to what REAP finds.
                self.forced_pairs.remove(&tag);
                self.activity.insert(tag, now);
                if let Some(host) = self.host.as_mut() {
                    host.handle_path_failure_hint(now, tag);
                }
            }
            KernelEvent::RxExploring {
                local_tag,
                local_locator,
                peer_locator,
            } => {
                self.kernel_changes.mark(local_tag);
                let (Some(tag), Some(host)) = (ContextTag::new(local_tag), self.host.as_mut())
                else {
                    return;
                };
                host.handle_payload(now, peer_locator, local_locator, tag);
            }
            KernelEvent::UnknownTag {
                tag,
                local_address,
                peer_address,
            } => {
                self.kernel_changes.mark(tag);
                let (Some(tag), Some(host)) = (ContextTag::new(tag), self.host.as_mut()) else {
                    return;
                };
                // The core answers an unknown tag with an R1bis (and a
                // known one, which the kernel lacks, is re-added by sync).
                host.handle_payload(now, peer_address, local_address, tag);
            }
            KernelEvent::PathChanged {
                local_tag,
                local_locator,
                peer_locator,
            } => self.control.broadcast(&Event::KernelPathChanged {
                local_tag,
                local_locator,
                peer_locator,
            }),
            // The kernel keeps its pair; the sync records the refused
            // ctx-set-path and does not repeat it unchanged.
            KernelEvent::IpsecRefused { local_tag, .. } => log::warn!(
                "context {local_tag:#x} stays on its pair: an IPsec policy covers its ULID pair"
            ),
            KernelEvent::Unrecognized { cmd } => log::debug!("kernel event {cmd} not known"),
        }
    }

    /// After lost events: a context the kernel has left Operational
    /// without the daemon knowing had its send-timeout event lost, and
    /// would wait for a `ctx-set-path` forever; it is treated as if the
    /// event had come. (A lost trigger fires again with more traffic.)
    fn catch_up_lost_send_timeouts(&mut self) {
        let Some(contexts) = self.dump_kernel_contexts() else {
            return;
        };
        for ctx in contexts {
            let explored = ctx.reap_state != shim6_netlink::ReapState::Operational;
            let known = self.kernel_sync.installed(ctx.local_tag).is_some();
            if explored && known && !self.kernel_sync.is_exploring(ctx.local_tag) {
                self.on_kernel_event(KernelEvent::SendTimeout {
                    local_tag: ctx.local_tag,
                    local_ulid: ctx.local_ulid,
                    peer_ulid: ctx.peer_ulid,
                    local_locator: ctx.local_locator,
                    peer_locator: ctx.peer_locator,
                });
            }
        }
    }

    fn on_trigger(&mut self, local: Ipv6Addr, peer: Ipv6Addr) {
        let ours = self
            .identity
            .as_ref()
            .is_some_and(|identity| identity.locator_addresses().contains(&local));
        if !ours {
            // Only our CGA/HBA addresses can be ULIDs: the peer could not
            // verify a Locator List for any other.
            self.stats.triggers_ignored += 1;
            log::debug!("trigger {local} → {peer}: {local} is not one of our ULIDs");
            return;
        }
        if let crate::control::protocol::Reply::Error { message } = self.connect(peer, Some(local))
        {
            self.stats.triggers_ignored += 1;
            log::debug!("trigger {local} → {peer}: {message}");
        }
    }

    /// A peer that did not answer our I1s is left alone for the hold-down.
    /// The kernel is told to raise no trigger for it (`never`) rather than
    /// the daemon ignoring its triggers: the module then does not even
    /// count that flow, and nothing wakes the daemon. The policy goes back
    /// to `default` when the hold-down ends, so a peer that gains Shim6
    /// later gets a context.
    pub(crate) fn hold_down_peer(&mut self, peer: Ipv6Addr, until: Duration) {
        self.never_policies.insert(peer, until);
        if let Some(kernel) = self.kernel.as_mut() {
            self.stats.kernel_commands += 1;
            if let Err(error) = kernel.set_peer_policy(peer, TriggerPolicy::Never) {
                self.stats.kernel_errors += 1;
                log::warn!("{error}");
            }
        }
    }

    pub(crate) fn release_held_down_peers(&mut self, now: Duration) {
        let expired: Vec<Ipv6Addr> = self
            .never_policies
            .iter()
            .filter(|(_, until)| **until <= now)
            .map(|(peer, _)| *peer)
            .collect();
        for peer in expired {
            self.never_policies.remove(&peer);
            if let Some(kernel) = self.kernel.as_mut() {
                self.stats.kernel_commands += 1;
                if let Err(error) = kernel.set_peer_policy(peer, TriggerPolicy::Default) {
                    self.stats.kernel_errors += 1;
                    log::warn!("{error}");
                }
            }
        }
    }

    /// Kernel contexts left by a previous daemon: keep them, recover them.
    pub(crate) fn adopt_kernel_contexts(&mut self) {
        let Some(kernel) = self.kernel.as_mut() else {
            return;
        };
        match kernel.dump() {
            Ok(contexts) => {
                for ctx in contexts {
                    log::info!(
                        "kernel context {:#x} ({} → {}) from a previous run: recovering it",
                        ctx.local_tag,
                        ctx.local_ulid,
                        ctx.peer_ulid
                    );
                    self.kernel_sync.add_orphan(Orphan {
                        local_tag: ctx.local_tag,
                        local_ulid: ctx.local_ulid,
                        peer_ulid: ctx.peer_ulid,
                        pair: LocatorPair::new(ctx.local_locator, ctx.peer_locator),
                    });
                }
            }
            Err(error) => log::warn!("{error}"),
        }
    }

    /// Sends an R1bis for every orphan (on its pair), and deletes the
    /// orphans whose peer never answered.
    pub(crate) fn recover_orphans(&mut self) {
        let now = self.clock.now();
        let orphans: Vec<Orphan> = self.kernel_sync.orphans().copied().collect();
        for orphan in orphans {
            let attempts = self.orphan_attempts.entry(orphan.local_tag).or_insert(0);
            *attempts += 1;
            if *attempts > ORPHAN_RECOVERY_ATTEMPTS {
                self.orphan_attempts.remove(&orphan.local_tag);
                self.kernel_sync.remove_orphan(orphan.local_tag);
                log::info!(
                    "kernel context {:#x}: the peer did not recover it; deleted",
                    orphan.local_tag
                );
                if let Some(kernel) = self.kernel.as_mut() {
                    self.stats.kernel_commands += 1;
                    if let Err(error) = kernel.delete(orphan.local_tag) {
                        self.stats.kernel_errors += 1;
                        log::warn!("{error}");
                    }
                }
                continue;
            }
            let (Some(tag), Some(host)) = (ContextTag::new(orphan.local_tag), self.host.as_mut())
            else {
                continue;
            };
            // As if a payload packet with the orphan's tag had come in on
            // its pair: the core does not know the tag and answers R1bis.
            host.handle_payload(now, orphan.pair.peer, orphan.pair.local, tag);
        }
    }

    /// Brings the kernel's copies of the contexts marked this turn (and of
    /// those exploring) to the core's state (see [`crate::kernel_sync`]);
    /// all of them when everything was marked.
    pub(crate) fn sync_kernel(&mut self) {
        // Taken even without a module, so that marks never pile up.
        let pending = self.kernel_changes.take();
        let defaults = WantedDefaults {
            send_timeout_ms: millis(self.config.timers.send_timeout()),
            keepalive_timeout: self.config.timers.keepalive_timeout(),
        };
        let Some(kernel) = self.kernel.as_mut() else {
            return;
        };
        let steps = sync_turn(
            pending,
            self.host.as_ref(),
            &mut self.kernel_sync,
            &self.forced_pairs,
            defaults,
            kernel,
        );
        for step in steps {
            self.stats.kernel_commands += 1;
            match &step {
                SyncStep::Failed(tag, error) => {
                    self.stats.kernel_errors += 1;
                    log::warn!("kernel context {tag:#x}: {error}");
                }
                SyncStep::OrphanReplaced { orphan, by } => {
                    self.stats.contexts_recovered += 1;
                    self.orphan_attempts.remove(orphan);
                    log::info!("kernel context {orphan:#x} replaced by the recovered {by:#x}");
                }
                other => log::info!("kernel: {other:?}"),
            }
        }
    }

    /// The kernel's contexts, or None (counted and logged) when the dump
    /// fails or the module is not in use.
    fn dump_kernel_contexts(&mut self) -> Option<Vec<shim6_netlink::Context>> {
        match self.kernel.as_mut()?.dump() {
            Ok(contexts) => Some(contexts),
            Err(error) => {
                self.stats.kernel_errors += 1;
                log::warn!("{error}");
                None
            }
        }
    }

    /// Idle GC counts kernel traffic as activity: payload never reaches
    /// the daemon, only the module's per-context counters see it.
    pub(crate) fn note_kernel_activity(&mut self) {
        let now = self.clock.now();
        let Some(contexts) = self.dump_kernel_contexts() else {
            return;
        };
        for ctx in contexts {
            let Some(tag) = ContextTag::new(ctx.local_tag) else {
                continue;
            };
            if self.kernel_sync.installed(ctx.local_tag).is_none() {
                continue;
            }
            let last_ms = [ctx.traffic.last_tx_ms, ctx.traffic.last_rx_ms]
                .into_iter()
                .flatten()
                .min();
            if let Some(ms) = last_ms {
                let at = now.saturating_sub(Duration::from_millis(u64::from(ms)));
                let entry = self.activity.entry(tag).or_insert(at);
                *entry = (*entry).max(at);
            }
        }
    }
}
