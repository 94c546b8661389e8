//! Control requests, answered from the event loop's state.

use std::net::Ipv6Addr;

use shim6_proto::context::{Context, ContextState, StartError};
use shim6_proto::reap::LocatorPair;
use shim6_proto::wire::ContextTag;

use crate::config::AddressMethod;
use crate::control::protocol::{
    AddressInfo, ContextInfo, Event, IdentityInfo, Reply, Request, TimerChanges,
};
use crate::daemon::Daemon;
use crate::hex;
use crate::stats::Stats;

fn refuse(message: impl Into<String>) -> Reply {
    Reply::Error {
        message: message.into(),
    }
}

impl Daemon {
    pub(crate) fn handle_request(&mut self, request: Request) -> Reply {
        match request {
            Request::List => Reply::Contexts {
                contexts: self.context_infos(),
            },
            Request::Show { tag } => match self.find_context(tag) {
                Ok(ctx) => Reply::Context {
                    context: self.context_info(ctx),
                },
                Err(message) => refuse(message),
            },
            Request::Delete { tag } => self.delete_context(tag),
            Request::Connect { peer, local } => self.connect(peer, local),
            Request::SetTimers(changes) => self.set_timers(&changes),
            Request::SetPath { tag, local, peer } => self.force_pair(tag, local, peer),
            Request::Stats => Reply::Stats {
                stats: self.current_stats(),
            },
            Request::Identity => Reply::Identity {
                identity: self.identity_info(),
            },
            Request::Monitor => Reply::Monitoring,
        }
    }

    /// The counters, with those kept by the verifier and the core.
    pub(crate) fn current_stats(&self) -> Stats {
        let mut stats = self.stats.clone();
        stats.verification = self.verification.borrow().clone();
        stats.rate_limited.verification = stats.verification.rate_limited;
        stats.control_clients_refused = self.control.refused_clients();
        if let Some(host) = self.host.as_ref() {
            stats.core_refused = host
                .refusals()
                .iter()
                .map(|(reason, count)| ((*reason).to_owned(), *count))
                .collect();
            stats.live_contexts = u64::try_from(host.context_count()).unwrap_or(u64::MAX);
        }
        stats
    }

    fn find_context(&self, tag: u64) -> Result<&Context, String> {
        let tag = ContextTag::new(tag).ok_or_else(|| format!("tag {tag} does not fit 47 bits"))?;
        self.host
            .as_ref()
            .and_then(|host| host.context(tag))
            .ok_or_else(|| format!("no context with tag {}", tag.get()))
    }

    fn context_infos(&self) -> Vec<ContextInfo> {
        self.host
            .iter()
            .flat_map(|host| host.contexts())
            .map(|ctx| self.context_info(ctx))
            .collect()
    }

    fn context_info(&self, ctx: &Context) -> ContextInfo {
        let now = self.clock.now();
        let pair = ctx.current_pair();
        ContextInfo {
            local_tag: ctx.local_tag().get(),
            peer_tag: ctx.peer_tag().map(ContextTag::get),
            state: ctx.state().rfc_name().to_owned(),
            local_ulid: ctx.local_ulid(),
            peer_ulid: ctx.peer_ulid(),
            local_locator: pair.local,
            peer_locator: pair.peer,
            peer_locators: ctx.peer_locators().to_vec(),
            reap_state: ctx.reap_state().map(|state| format!("{state:?}")),
            update_pending: ctx.update_pending(),
            idle_secs: self
                .activity
                .get(&ctx.local_tag())
                .map(|last| now.saturating_sub(*last).as_secs()),
        }
    }

    /// Drops the context locally; Shim6 has no teardown message, so the peer
    /// keeps its half until its own GC (or meets an R1bis on next use).
    fn delete_context(&mut self, tag: u64) -> Reply {
        let Some(tag) = ContextTag::new(tag) else {
            return refuse(format!("tag {tag} does not fit 47 bits"));
        };
        self.kernel_changes.mark(tag.get());
        match self.host.as_mut().and_then(|host| host.remove_context(tag)) {
            Some(_) => {
                self.activity.remove(&tag);
                self.forced_pairs.remove(&tag);
                self.control.broadcast(&Event::Removed {
                    local_tag: tag.get(),
                    reason: "deleted".into(),
                });
                Reply::Deleted { tag: tag.get() }
            }
            None => refuse(format!("no context with tag {}", tag.get())),
        }
    }

    /// Starts establishment towards `peer`. The kernel's context trigger
    /// will call the same path with the flow's ULIDs.
    pub(crate) fn connect(&mut self, peer: Ipv6Addr, local: Option<Ipv6Addr>) -> Reply {
        let Some(identity) = self.identity.clone() else {
            return refuse(match &self.identity_error {
                Some(error) => format!("no identity: {error}"),
                None => "addresses are still being generated; try again".to_owned(),
            });
        };
        let ours = identity.locator_addresses();
        let local = match local {
            Some(local) if ours.contains(&local) => local,
            Some(local) => {
                return refuse(format!(
                    "{local} is not one of our CGA/HBA addresses {ours:?}"
                ))
            }
            None => match ours.first() {
                Some(first) => *first,
                None => return refuse("no local address"),
            },
        };
        if ours.contains(&peer) {
            return refuse(format!("{peer} is one of our own addresses"));
        }
        let now = self.clock.now();
        if let Some(until) = self.holddowns.get(&(local, peer)) {
            return refuse(format!(
                "{peer} did not answer; held down for {} s",
                until.saturating_sub(now).as_secs()
            ));
        }
        let Some(host) = self.host.as_mut() else {
            return refuse("protocol core not running");
        };
        let reply = match host.start_context(now, local, peer) {
            Ok(tag) => {
                self.activity.insert(tag, now);
                log::info!("context {} to {peer}: I1 sent", tag.get());
                Reply::Connecting { tag: tag.get() }
            }
            Err(StartError::AlreadyExists(tag)) => {
                refuse(format!("a context to {peer} exists: tag {}", tag.get()))
            }
            Err(StartError::HeldDown { until }) => refuse(format!(
                "{peer} failed recently; held down for {} s",
                until.saturating_sub(now).as_secs()
            )),
            Err(StartError::NoShim6 { until }) => refuse(format!(
                "{peer} did not answer Shim6 recently; no context for {} s",
                until.saturating_sub(now).as_secs()
            )),
            Err(StartError::InvalidUlid) => refuse(format!("{local} -> {peer}: not our ULID, or not a global unicast peer")),
            Err(StartError::ContextLimit) => refuse("the context limit (limits.max_contexts) is reached".to_owned()),
            Err(StartError::HalfOpenLimit) => refuse(format!(
                "too many unanswered contexts towards the /64 of {peer} (limits.max_half_open_per_prefix)"
            )),
        };
        self.flush_host();
        reply
    }

    /// Sends payload of context `tag` on (local, peer) from now on. The
    /// pair must be in both locator sets; it stays until the module's
    /// Send timer finds it broken and REAP explores, or REAP moves on.
    fn force_pair(&mut self, tag: u64, local: Ipv6Addr, peer: Ipv6Addr) -> Reply {
        let ctx = match self.find_context(tag) {
            Ok(ctx) => ctx,
            Err(message) => return refuse(message),
        };
        if ctx.state() != ContextState::Established {
            return refuse(format!(
                "context {tag} is {}, not ESTABLISHED",
                ctx.state().rfc_name()
            ));
        }
        if !ctx.peer_locators().contains(&peer) {
            return refuse(format!(
                "{peer} is not a locator of the peer {:?}",
                ctx.peer_locators()
            ));
        }
        let local_tag = ctx.local_tag();
        let ours = self
            .host
            .as_ref()
            .map(|host| host.config().local_locators.clone())
            .unwrap_or_default();
        if !ours.contains(&local) {
            return refuse(format!("{local} is not one of our locators {ours:?}"));
        }
        self.forced_pairs
            .insert(local_tag, LocatorPair::new(local, peer));
        self.kernel_changes.mark(local_tag.get());
        log::info!("context {tag}: pair {local} → {peer} forced from the control channel");
        Reply::PathSet { tag, local, peer }
    }

    /// Idle GC, the I1 retry limit and the Send Timeout change at once;
    /// the new Send Timeout goes to every kernel context at the end of
    /// this turn. Peers learn our Send Timeout (as their Keepalive
    /// Timeout) only in a handshake, so the protocol core keeps announcing
    /// the value of the configuration file; the Keepalive Timeout is the
    /// peer's to announce and cannot change here.
    fn set_timers(&mut self, changes: &TimerChanges) -> Reply {
        let mut timers = self.config.timers;
        if let Some(value) = changes.send_timeout_secs {
            timers.send_timeout_secs = value;
        }
        if let Some(value) = changes.keepalive_timeout_secs {
            timers.keepalive_timeout_secs = value;
        }
        if let Some(value) = changes.i1_retries {
            timers.i1_retries = value;
        }
        if let Some(value) = changes.idle_gc_secs {
            timers.idle_gc_secs = value;
        }
        if let Err((key, reason)) = timers.validate() {
            return refuse(format!("{key}: {reason}"));
        }
        let current = self.config.timers;
        if timers.keepalive_timeout_secs != current.keepalive_timeout_secs {
            return refuse(
                "keepalive_timeout_secs applies from the configuration file at start \
                 (peers announce their own in the handshake); edit the file and restart",
            );
        }
        if timers.send_timeout_secs != current.send_timeout_secs {
            // Every kernel context runs our Send Timeout.
            self.kernel_changes.mark_everything();
        }
        self.config.timers = timers;
        Reply::Timers { timers }
    }

    fn identity_info(&self) -> IdentityInfo {
        let method = match self.config.addresses.method {
            AddressMethod::Cga => "cga",
            AddressMethod::Hba => "hba",
        };
        IdentityInfo {
            ready: self.identity.is_some(),
            method: method.to_owned(),
            sec: self.config.addresses.sec,
            addresses: self
                .identity
                .iter()
                .flat_map(|identity| identity.addresses.iter())
                .map(|local| AddressInfo {
                    address: local.address,
                    params: hex::encode(&local.params),
                })
                .collect(),
            error: self.identity_error.clone(),
        }
    }
}
