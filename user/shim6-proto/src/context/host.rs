//! All Shim6 contexts of one host: the sans-IO entry point the daemon drives.

use std::collections::{BTreeMap, VecDeque};

use super::negative_cache::NegativeCache;
use super::table::ContextTable;

use core::net::Ipv6Addr;
use core::time::Duration;

use super::{is_global_unicast, Context, ContextState, HostLimits, LocatorVerifier, ResponderSecrets, Retransmission};
use crate::constants::{
    I1_RETRIES_MAX, I1_TIMEOUT, I2BIS_RETRIES_MAX, I2_RETRIES_MAX, ICMP_HOLDDOWN_TIME,
    NO_R1_HOLDDOWN_TIME,
};
use crate::random::RandomSource;
use crate::reap::{LocatorPair, ReapConfig, ReapMachine, ReapOutput};
use crate::wire::{
    ContextTag, Keepalive, Locator, LocatorList, Message, Options, Probe, UlidPair,
    VerificationMethod, I1,
};

/// A control message to send from `src` to `dst`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    pub src: Ipv6Addr,
    pub dst: Ipv6Addr,
    pub message: Message,
}

/// Things the daemon (and through it the kernel) must learn about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostEvent {
    /// The context can carry payload; install it in the kernel.
    Established { local_tag: ContextTag },
    /// Payload must use a new locator pair.
    PairChanged { local_tag: ContextTag, pair: LocatorPair },
    /// The peer's tag changed (recovery); update the kernel mapping.
    PeerTagChanged { local_tag: ContextTag, peer_tag: ContextTag },
    /// Establishment gave up (E-FAILED or NO-SUPPORT). The context is gone;
    /// the peer is held down (no new context towards it) until then.
    Failed { local_tag: ContextTag, state: ContextState, peer_ulid: Ipv6Addr, until: Duration },
    /// Context dropped (context confusion or hold-down over).
    Removed { local_tag: ContextTag },
    /// The peer sent an Error message about one of our messages.
    PeerError { code: u8, pointer: u16 },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartError {
    /// A context for this ULID pair exists (or is being set up).
    AlreadyExists(ContextTag),
    /// A recent failure for this ULID pair forbids new I1s until then.
    HeldDown { until: Duration },
    /// The peer ULID is not a global unicast address, or the local one is
    /// not among our locators.
    InvalidUlid,
    /// The host keeps [`HostLimits::max_contexts`] contexts already.
    ContextLimit,
    /// Too many unanswered establishments towards the peer's /64.
    HalfOpenLimit,
    /// The peer did not answer our I1s recently (negative cache); no
    /// context before then.
    NoShim6 { until: Duration },
}

#[derive(Debug, Clone)]
pub struct HostConfig {
    /// Ls(local), in preference order.
    pub local_locators: Vec<Ipv6Addr>,
    /// Verification method announced for our locators.
    pub locator_method: VerificationMethod,
    pub reap: ReapConfig,
    pub limits: HostLimits,
}

impl HostConfig {
    pub fn new(local_locators: Vec<Ipv6Addr>) -> Self {
        HostConfig {
            local_locators,
            locator_method: VerificationMethod::Hba,
            reap: ReapConfig::default(),
            limits: HostLimits::default(),
        }
    }
}

/// Shim6 for one host: dispatches received control messages to contexts
/// (RFC 5533 §12.4), answers as a stateless responder, and runs every
/// context's retransmission, update and REAP timers.
///
/// Sans-IO use: call the `handle_*` methods with the current time, then
/// drain [`poll_transmit`](Self::poll_transmit) and
/// [`poll_event`](Self::poll_event), and call
/// [`handle_timeout`](Self::handle_timeout) at
/// [`next_deadline`](Self::next_deadline).
pub struct Host<V: LocatorVerifier, R: RandomSource> {
    pub(crate) config: HostConfig,
    pub(crate) verifier: V,
    pub(crate) rng: R,
    pub(crate) secrets: ResponderSecrets,
    /// Keyed by CT(local), which is unique per host, and indexed.
    pub(crate) contexts: ContextTable,
    /// Peers without Shim6, for their hold-down.
    pub(crate) negative: NegativeCache,
    pub(crate) local_generation: u32,
    transmits: VecDeque<Transmit>,
    events: VecDeque<HostEvent>,
    /// Messages and requests refused, by reason (see [`Host::refusals`]).
    refused: BTreeMap<&'static str, u64>,
}

impl<V: LocatorVerifier, R: RandomSource> Host<V, R> {
    pub fn new(config: HostConfig, verifier: V, mut rng: R, now: Duration) -> Self {
        let secrets = ResponderSecrets::new(now, &mut rng);
        let negative_cache_size = config.limits.negative_cache_size;
        let local_generation = rng.next_u32();
        Host {
            config,
            verifier,
            rng,
            secrets,
            contexts: ContextTable::default(),
            negative: NegativeCache::new(negative_cache_size),
            local_generation,
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            refused: BTreeMap::new(),
        }
    }

    pub fn config(&self) -> &HostConfig {
        &self.config
    }

    pub fn context(&self, local_tag: ContextTag) -> Option<&Context> {
        self.contexts.get(&local_tag)
    }

    pub fn contexts(&self) -> impl Iterator<Item = &Context> {
        self.contexts.values()
    }

    pub fn context_for_ulids(&self, local_ulid: Ipv6Addr, peer_ulid: Ipv6Addr) -> Option<&Context> {
        self.contexts.for_ulids(local_ulid, peer_ulid).next()
    }

    /// Peers held down after E-FAILED or NO-SUPPORT (the negative cache).
    pub fn held_down_peers(&self) -> usize {
        self.negative.len()
    }

    /// How many contexts the host keeps.
    pub fn context_count(&self) -> usize {
        self.contexts.len()
    }

    /// Drop a context without telling the peer (idle garbage collection,
    /// or a crash in tests). A later packet for it will meet an R1bis.
    pub fn remove_context(&mut self, local_tag: ContextTag) -> Option<Context> {
        let removed = self.contexts.remove(&local_tag);
        self.contexts.settle();
        removed
    }

    /// Rotate the responder secret now (validators older than the previous
    /// secret stop working).
    pub fn rotate_validator_secret(&mut self, now: Duration) {
        self.secrets.rotate(now, &mut self.rng);
    }

    /// What this host refused and why: each key names one check (for
    /// instance `unverified_source`, `context_limit`), each value counts
    /// the messages or requests it stopped.
    pub fn refusals(&self) -> &BTreeMap<&'static str, u64> {
        &self.refused
    }

    pub(crate) fn refuse(&mut self, reason: &'static str) {
        *self.refused.entry(reason).or_default() += 1;
    }

    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<HostEvent> {
        self.events.pop_front()
    }

    pub fn next_deadline(&self) -> Option<Duration> {
        self.contexts.next_deadline()
    }

    /// Start a context towards `peer_ulid` (the establishment heuristic
    /// fired): send I1, enter I1-SENT.
    pub fn start_context(
        &mut self,
        now: Duration,
        local_ulid: Ipv6Addr,
        peer_ulid: Ipv6Addr,
    ) -> Result<ContextTag, StartError> {
        if !is_global_unicast(peer_ulid) || !self.config.local_locators.contains(&local_ulid) {
            self.refuse("bad_ulid");
            return Err(StartError::InvalidUlid);
        }
        if let Some(existing) = self.context_for_ulids(local_ulid, peer_ulid) {
            return Err(StartError::AlreadyExists(existing.local_tag));
        }
        if let Some(until) = self.negative.held_down_until(peer_ulid, now) {
            return Err(StartError::NoShim6 { until });
        }
        if self.contexts.len() >= self.config.limits.max_contexts {
            self.refuse("context_limit");
            return Err(StartError::ContextLimit);
        }
        if self.contexts.half_open_towards(peer_ulid) >= self.config.limits.max_half_open_per_prefix {
            self.refuse("half_open_limit");
            return Err(StartError::HalfOpenLimit);
        }
        let tag = self.allocate_tag();
        let mut ctx = Context::new(ContextState::I1Sent, local_ulid, peer_ulid, tag);
        ctx.initiator_nonce = self.rng.next_u32();
        ctx.retransmission = Some(Retransmission::start(now, I1_TIMEOUT, Duration::MAX, &mut self.rng));
        self.send_i1(&ctx);
        self.contexts.insert(ctx);
        self.contexts.settle();
        Ok(tag)
    }

    /// ICMPv6 Parameter Problem "unrecognised Next Header" about an I1 we
    /// sent from `src` to `dst`: the peer has no Shim6 (NO-SUPPORT).
    pub fn handle_icmp_no_shim6(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr) {
        // The I1 went out on the context's ULIDs (or it carries a ULID Pair
        // option and this finds nothing: the I1 retransmission goes on).
        let hit: Vec<ContextTag> = self
            .contexts
            .for_ulids(src, dst)
            .filter(|ctx| ctx.state == ContextState::I1Sent && ctx.current_pair == LocatorPair::new(src, dst))
            .map(|ctx| ctx.local_tag)
            .collect();
        for tag in hit {
            self.fail(tag, ContextState::NoSupport, now.saturating_add(ICMP_HOLDDOWN_TIME));
        }
        self.contexts.settle();
    }

    /// The ULP sent payload on this context (REAP's Send Timer).
    pub fn handle_payload_sent(&mut self, now: Duration, local_tag: ContextTag) {
        if let Some(reap) = self.contexts.get_mut(&local_tag).and_then(|ctx| ctx.reap.as_mut()) {
            reap.on_payload_sent(now);
        }
        self.contexts.settle();
    }

    /// Local hint that the current pair is broken: start REAP exploration.
    pub fn handle_path_failure_hint(&mut self, now: Duration, local_tag: ContextTag) {
        if let Some(ctx) = self.contexts.get_mut(&local_tag) {
            if let Some(reap) = ctx.reap.as_mut() {
                reap.start_exploring(now, &mut self.rng);
            }
        }
        self.flush_reap(local_tag);
        self.contexts.settle();
    }

    pub fn handle_timeout(&mut self, now: Duration) {
        self.secrets.rotate_if_due(now, &mut self.rng);
        for tag in self.contexts.due(now) {
            self.run_establishment_timer(now, tag);
            self.run_update_timer(now, tag);
            if let Some(ctx) = self.contexts.get_mut(&tag) {
                if let Some(reap) = ctx.reap.as_mut() {
                    reap.handle_timeout(now, &mut self.rng);
                }
            }
            self.flush_reap(tag);
        }
        self.contexts.settle();
    }

    fn run_establishment_timer(&mut self, now: Duration, tag: ContextTag) {
        let Some(ctx) = self.contexts.get_mut(&tag) else { return };
        let Some(timer) = ctx.retransmission.as_mut() else { return };
        if !timer.is_due(now) {
            return;
        }
        let retries = timer.retries();
        match ctx.state {
            ContextState::I1Sent if retries < I1_RETRIES_MAX => {
                timer.retransmitted(now, &mut self.rng);
                let ctx = ctx.clone();
                self.send_i1(&ctx);
            }
            ContextState::I1Sent => {
                self.fail(tag, ContextState::EFailed, now.saturating_add(NO_R1_HOLDDOWN_TIME));
            }
            ContextState::I2Sent if retries < I2_RETRIES_MAX => {
                timer.retransmitted(now, &mut self.rng);
                self.send_i2(tag);
            }
            ContextState::I2bisSent if retries < I2BIS_RETRIES_MAX => {
                timer.retransmitted(now, &mut self.rng);
                self.send_i2bis(tag);
            }
            // Appendix B: I2/I2bis unanswered too often → start over with I1.
            ContextState::I2Sent | ContextState::I2bisSent => {
                ctx.state = ContextState::I1Sent;
                ctx.challenge = None;
                ctx.initiator_nonce = self.rng.next_u32();
                ctx.retransmission =
                    Some(Retransmission::start(now, I1_TIMEOUT, Duration::MAX, &mut self.rng));
                let ctx = ctx.clone();
                self.send_i1(&ctx);
            }
            _ => ctx.retransmission = None,
        }
    }

    /// Establishment gave up: the context goes, its peer is remembered in
    /// the negative cache until `until` (E-FAILED / NO-SUPPORT hold-down).
    fn fail(&mut self, tag: ContextTag, state: ContextState, until: Duration) {
        let Some(ctx) = self.contexts.remove(&tag) else { return };
        self.negative.insert(ctx.peer_ulid, until);
        self.events.push_back(HostEvent::Failed { local_tag: tag, state, peer_ulid: ctx.peer_ulid, until });
    }

    /// A random 47-bit tag not used by any context of this host (§7.1).
    pub(crate) fn allocate_tag(&mut self) -> ContextTag {
        loop {
            let tag = ContextTag::from_masked(self.rng.next_u64());
            if tag.get() != 0 && !self.contexts.contains_key(&tag) {
                return tag;
            }
        }
    }

    pub(crate) fn transmit(&mut self, src: Ipv6Addr, dst: Ipv6Addr, message: Message) {
        self.transmits.push_back(Transmit { src, dst, message });
    }

    pub(crate) fn emit_event(&mut self, event: HostEvent) {
        self.events.push_back(event);
    }

    /// Has the verifier prove our current Locator List now (for CGA, the
    /// signature) rather than in the first handshake that needs it; a
    /// verifier that keeps its last proof then answers handshakes at
    /// once. Call it after start and after
    /// [`set_local_locators`](Self::set_local_locators).
    pub fn prepare_locator_proof(&mut self) {
        let Some(&ulid) = self.config.local_locators.first() else { return };
        let mut options = Options::default();
        self.local_locator_options(ulid, &mut options);
    }

    /// Our Locator List, when it says more than the ULID alone.
    /// (A single locator that is not the ULID still needs the list: the
    /// peer accepts no other source than the ULID without proof.)
    pub(crate) fn local_locator_options(&mut self, local_ulid: Ipv6Addr, options: &mut Options) {
        if self.config.local_locators.as_slice() == [local_ulid] {
            return;
        }
        self.local_locator_list_options(local_ulid, options);
    }

    /// Our Locator List, however short: an Update Request must carry it
    /// even when one locator is left, or the peer keeps the lost ones.
    pub(crate) fn local_locator_list_options(&mut self, local_ulid: Ipv6Addr, options: &mut Options) {
        let list = LocatorList {
            generation: self.local_generation,
            locators: self
                .config
                .local_locators
                .iter()
                .map(|&addr| Locator { addr, method: self.config.locator_method })
                .collect(),
        };
        self.verifier.prove_local_locators(local_ulid, &list, options);
        options.locator_list = Some(list);
    }

    /// Keepalive Timeout option: only needed for a non-default Send Timeout.
    pub(crate) fn keepalive_timeout_option(&self, options: &mut Options) {
        let send_timeout = self.config.reap.send_timeout;
        if send_timeout != ReapConfig::default().send_timeout {
            options.keepalive_timeout = Some(u16::try_from(send_timeout.as_secs()).unwrap_or(u16::MAX));
        }
    }

    pub(crate) fn send_i1(&mut self, ctx: &Context) {
        let mut options = Options::default();
        let pair = ctx.current_pair;
        if pair.local != ctx.local_ulid || pair.peer != ctx.peer_ulid {
            options.ulid_pair = Some(UlidPair { sender: ctx.local_ulid, receiver: ctx.peer_ulid });
        }
        let message = Message::I1(I1 {
            initiator_tag: ctx.local_tag,
            initiator_nonce: ctx.initiator_nonce,
            options,
        });
        self.transmit(pair.local, pair.peer, message);
    }

    /// Start REAP on a context that just became ESTABLISHED.
    pub(crate) fn start_reap(&mut self, tag: ContextTag) {
        let local = self.config.local_locators.clone();
        let mut reap_config = self.config.reap.clone();
        let Some(ctx) = self.contexts.get_mut(&tag) else { return };
        if let Some(timeout) = ctx.peer_send_timeout {
            reap_config.keepalive_timeout = timeout;
        }
        match ctx.reap.as_mut() {
            Some(reap) => reap.set_keepalive_timeout(reap_config.keepalive_timeout),
            None => {
                ctx.reap = Some(ReapMachine::new(
                    reap_config,
                    ctx.current_pair,
                    local,
                    ctx.peer_locators.clone(),
                ));
            }
        }
    }

    /// Turn REAP's outputs into messages and events.
    pub(crate) fn flush_reap(&mut self, tag: ContextTag) {
        loop {
            let Some(ctx) = self.contexts.get_mut(&tag) else { return };
            let Some(output) = ctx.reap.as_mut().and_then(ReapMachine::poll_output) else {
                return;
            };
            let Some(peer_tag) = ctx.peer_tag else { continue };
            match output {
                ReapOutput::SendKeepalive(pair) => {
                    let message = Message::Keepalive(Keepalive {
                        receiver_tag: peer_tag,
                        options: Options::default(),
                    });
                    self.transmit(pair.local, pair.peer, message);
                }
                ReapOutput::SendProbe(probe) => {
                    let message = Message::Probe(Probe {
                        receiver_tag: peer_tag,
                        state: probe.state,
                        sent: probe.sent_reports,
                        received: probe.received_reports,
                        options: Options::default(),
                    });
                    self.transmit(probe.pair.local, probe.pair.peer, message);
                }
                ReapOutput::CurrentPairChanged(pair) => {
                    ctx.current_pair = pair;
                    self.emit_event(HostEvent::PairChanged { local_tag: tag, pair });
                }
            }
        }
    }
}
