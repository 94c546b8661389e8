//! Messages of an existing context: payload, Update Request/Ack (§10),
//! Keepalive and Probe (RFC 5534), and the dispatcher checks of §12.4.

use core::net::Ipv6Addr;
use core::time::Duration;

use super::context::PendingUpdate;
use super::{ContextState, Host, LocatorVerifier, Retransmission};
use crate::constants::{MAX_UPDATE_TIMEOUT, UPDATE_TIMEOUT};
use crate::random::RandomSource;
use crate::reap::ReceivedProbe;
use crate::wire::{ContextTag, Keepalive, Message, Options, Probe, UpdateAck, UpdateRequest};

/// What kind of tagged packet arrived, for the REAP bookkeeping.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tagged {
    /// ULP payload or a control message other than Keepalive/Probe.
    Payload,
    KeepaliveOrProbe,
}

impl<V: LocatorVerifier, R: RandomSource> Host<V, R> {
    /// A packet with a Shim6 payload extension header arrived. Returns the
    /// (local ULID, peer ULID) to restore, or `None` if it must be dropped
    /// (an R1bis may have been queued).
    pub fn handle_payload(
        &mut self,
        now: Duration,
        src: Ipv6Addr,
        dst: Ipv6Addr,
        receiver_tag: ContextTag,
    ) -> Option<(Ipv6Addr, Ipv6Addr)> {
        let tag = self.accept_tagged(src, dst, receiver_tag, Tagged::Payload)?;
        if let Some(ctx) = self.contexts.get_mut(&tag) {
            if let Some(reap) = ctx.reap.as_mut() {
                reap.on_payload_received(now, &mut self.rng);
            }
        }
        self.flush_reap(tag);
        self.contexts.get(&tag).map(|ctx| (ctx.local_ulid, ctx.peer_ulid))
    }

    /// Dispatcher for tagged packets (§12.4, Appendix B): find CT(local),
    /// check the locators, repair a lost R2, and return the context to
    /// process. Unknown tag or foreign locators → R1bis.
    fn accept_tagged(&mut self, src: Ipv6Addr, dst: Ipv6Addr, tag: ContextTag, kind: Tagged) -> Option<ContextTag> {
        let known = self.contexts.get(&tag).filter(|ctx| !ctx.state.is_holddown());
        let Some(ctx) = known else {
            self.refuse("unknown_tag");
            self.send_r1bis(src, dst, tag);
            return None;
        };
        let locators_ok = self.config.local_locators.contains(&dst)
            && (ctx.peer_locators.contains(&src) || ctx.state == ContextState::I2Sent);
        if !locators_ok {
            self.refuse("foreign_locator");
            self.send_r1bis(src, dst, tag);
            return None;
        }
        match ctx.state {
            // The peer has the context but our R2 never came: say I2 again.
            ContextState::I2Sent => {
                self.send_i2(tag);
                None
            }
            ContextState::I2bisSent => {
                if kind == Tagged::Payload {
                    self.send_i2bis(tag);
                }
                Some(tag)
            }
            ContextState::Established => Some(tag),
            _ => None,
        }
    }

    fn on_keepalive_or_probe_context(&mut self, src: Ipv6Addr, dst: Ipv6Addr, tag: ContextTag) -> Option<ContextTag> {
        self.accept_tagged(src, dst, tag, Tagged::KeepaliveOrProbe)
    }

    pub(crate) fn on_keepalive(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, keepalive: Keepalive) {
        let Some(tag) = self.on_keepalive_or_probe_context(src, dst, keepalive.receiver_tag) else { return };
        if let Some(reap) = self.contexts.get_mut(&tag).and_then(|ctx| ctx.reap.as_mut()) {
            reap.on_keepalive_received(now, &mut self.rng);
        }
        self.flush_reap(tag);
    }

    pub(crate) fn on_probe(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, probe: Probe) {
        let Some(tag) = self.on_keepalive_or_probe_context(src, dst, probe.receiver_tag) else { return };
        if let Some(reap) = self.contexts.get_mut(&tag).and_then(|ctx| ctx.reap.as_mut()) {
            let received = ReceivedProbe {
                state: probe.state,
                sent_reports: &probe.sent,
                received_reports: &probe.received,
            };
            reap.on_probe_received(now, received, &mut self.rng);
        }
        self.flush_reap(tag);
    }

    /// §10.4: verify, adopt the new peer locators, acknowledge.
    pub(crate) fn on_update_request(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, request: UpdateRequest) {
        let Some(tag) = self.accept_tagged(src, dst, request.receiver_tag, Tagged::Payload) else { return };
        let Some(ctx) = self.contexts.get(&tag) else { return };
        let (peer_ulid, Some(peer_tag)) = (ctx.peer_ulid, ctx.peer_tag) else { return };
        if let Some(generation) = request.options.locator_list.as_ref().map(|list| list.generation) {
            if ctx.is_stale_generation(generation) {
                self.refuse("stale_generation");
                return;
            }
            let known = ctx.peer_locators.clone();
            let Some(peer_locators) = self.proven_peer_locators(src, dst, peer_ulid, &request.options, &known) else {
                return;
            };
            let local = self.config.local_locators.clone();
            let Some(ctx) = self.contexts.get_mut(&tag) else { return };
            ctx.note_peer_generation(generation);
            ctx.peer_locators = peer_locators.clone();
            if let Some(reap) = ctx.reap.as_mut() {
                reap.set_locators(now, local, peer_locators, &mut self.rng);
            }
        }
        if let Some(seconds) = request.options.keepalive_timeout {
            let timeout = Duration::from_secs(u64::from(seconds));
            if let Some(ctx) = self.contexts.get_mut(&tag) {
                ctx.peer_send_timeout = Some(timeout);
                if let Some(reap) = ctx.reap.as_mut() {
                    reap.set_keepalive_timeout(timeout);
                }
            }
        }
        self.note_payload_received(now, tag);
        let ack = Message::UpdateAck(UpdateAck {
            receiver_tag: peer_tag,
            request_nonce: request.request_nonce,
            options: Options::default(),
        });
        self.transmit(dst, src, ack);
        self.note_payload_sent(now, tag);
        self.flush_reap(tag);
    }

    /// §10.5: an ack for the outstanding request stops its retransmission.
    pub(crate) fn on_update_ack(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, ack: UpdateAck) {
        let Some(tag) = self.accept_tagged(src, dst, ack.receiver_tag, Tagged::Payload) else { return };
        let Some(ctx) = self.contexts.get_mut(&tag) else { return };
        if ctx.update.as_ref().is_some_and(|update| update.request_nonce == ack.request_nonce) {
            ctx.update = None;
        }
        self.note_payload_received(now, tag);
        self.flush_reap(tag);
    }

    /// Our locator set changed: tell every peer with an Update Request
    /// (a new generation and nonce supersede any outstanding request).
    pub fn set_local_locators(&mut self, now: Duration, locators: Vec<Ipv6Addr>) {
        self.config.local_locators = locators;
        self.local_generation = self.local_generation.wrapping_add(1);
        let tags: Vec<ContextTag> = self
            .contexts
            .values()
            .filter(|ctx| ctx.state.has_peer_state())
            .map(|ctx| ctx.local_tag)
            .collect();
        for tag in tags {
            let request_nonce = self.rng.next_u32();
            let timer = Retransmission::start(now, UPDATE_TIMEOUT, MAX_UPDATE_TIMEOUT, &mut self.rng);
            let local = self.config.local_locators.clone();
            if let Some(ctx) = self.contexts.get_mut(&tag) {
                ctx.update = Some(PendingUpdate { request_nonce, timer });
                let peer = ctx.peer_locators.clone();
                if let Some(reap) = ctx.reap.as_mut() {
                    reap.set_locators(now, local, peer, &mut self.rng);
                }
            }
            self.send_update_request(now, tag);
            self.flush_reap(tag);
        }
    }

    fn send_update_request(&mut self, now: Duration, tag: ContextTag) {
        let Some(ctx) = self.contexts.get(&tag) else { return };
        let (Some(peer_tag), Some(update)) = (ctx.peer_tag, ctx.update.as_ref()) else { return };
        let (pair, local_ulid, request_nonce) = (ctx.current_pair, ctx.local_ulid, update.request_nonce);
        let mut options = Options::default();
        self.local_locator_list_options(local_ulid, &mut options);
        self.keepalive_timeout_option(&mut options);
        let message = Message::UpdateRequest(UpdateRequest { receiver_tag: peer_tag, request_nonce, options });
        self.transmit(pair.local, pair.peer, message);
        self.note_payload_sent(now, tag);
    }

    /// Update Requests are retried until acknowledged (§10.2).
    pub(crate) fn run_update_timer(&mut self, now: Duration, tag: ContextTag) {
        let Some(ctx) = self.contexts.get_mut(&tag) else { return };
        let Some(update) = ctx.update.as_mut() else { return };
        if !update.timer.is_due(now) {
            return;
        }
        update.timer.retransmitted(now, &mut self.rng);
        self.send_update_request(now, tag);
    }

    /// Control messages other than Keepalive/Probe count as payload for REAP.
    fn note_payload_received(&mut self, now: Duration, tag: ContextTag) {
        if let Some(reap) = self.contexts.get_mut(&tag).and_then(|ctx| ctx.reap.as_mut()) {
            reap.on_payload_received(now, &mut self.rng);
        }
    }

    fn note_payload_sent(&mut self, now: Duration, tag: ContextTag) {
        if let Some(reap) = self.contexts.get_mut(&tag).and_then(|ctx| ctx.reap.as_mut()) {
            reap.on_payload_sent(now);
        }
    }
}
