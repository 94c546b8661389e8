//! Context establishment and recovery: I1, R1, I2, R2, R1bis, I2bis
//! (RFC 5533 §7, Appendix B).

use core::net::Ipv6Addr;
use core::time::Duration;

use super::context::ResponderChallenge;
use super::{
    is_global_unicast, Context, ContextState, Host, HostEvent, LocatorVerifier, Retransmission, ValidatorInput,
};
use crate::constants::{I2BIS_TIMEOUT, I2_TIMEOUT};
use crate::random::RandomSource;
use crate::reap::LocatorPair;
use crate::wire::{
    error_code, ContextTag, ErrorMessage, LocatorList, Message, Options, UlidPair, I2, I2bis, R1,
    R1bis, R2, I1,
};

/// (local ULID, peer ULID) of a received I1/I2/I2bis: the ULID Pair option
/// if present, else the addresses (§12.4).
fn ulids_of(options: &Options, src: Ipv6Addr, dst: Ipv6Addr) -> (Ipv6Addr, Ipv6Addr) {
    match &options.ulid_pair {
        Some(pair) => (pair.receiver, pair.sender),
        None => (dst, src),
    }
}

impl<V: LocatorVerifier, R: RandomSource> Host<V, R> {
    /// Feed one received control message (already parsed) that arrived
    /// from `src` to `dst`.
    pub fn handle_message(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, message: Message) {
        self.secrets.rotate_if_due(now, &mut self.rng);
        // §12.3: never answer (or believe) multicast, unspecified or
        // loopback addresses.
        if !is_global_unicast(src) || !is_global_unicast(dst) {
            self.refuse("bad_address");
            return;
        }
        match message {
            Message::I1(i1) => self.on_i1(src, dst, i1),
            Message::R1(r1) => self.on_r1(now, src, dst, r1),
            Message::I2(i2) => self.on_i2(now, src, dst, i2),
            Message::R2(r2) => self.on_r2(src, dst, r2),
            Message::R1bis(r1bis) => self.on_r1bis(now, src, dst, r1bis),
            Message::I2bis(i2bis) => self.on_i2bis(now, src, dst, i2bis),
            Message::UpdateRequest(request) => self.on_update_request(now, src, dst, request),
            Message::UpdateAck(ack) => self.on_update_ack(now, src, dst, ack),
            Message::Keepalive(keepalive) => self.on_keepalive(now, src, dst, keepalive),
            Message::Probe(probe) => self.on_probe(now, src, dst, probe),
            Message::Error(error) => self.on_error(error),
        }
        self.contexts.settle();
    }

    /// Live (non hold-down) context for a ULID pair.
    fn live_context_for(&self, local_ulid: Ipv6Addr, peer_ulid: Ipv6Addr) -> Option<ContextTag> {
        self.contexts.for_ulids(local_ulid, peer_ulid).find(|ctx| !ctx.state.is_holddown()).map(|ctx| ctx.local_tag)
    }

    /// Is this a ULID pair we may keep a context for? The peer's ULID must
    /// be a global unicast address and ours one of our own (§12.3; a
    /// responder that took any receiver ULID could be made to speak for
    /// addresses it does not own). Counts what it refuses.
    fn acceptable_ulids(&mut self, local_ulid: Ipv6Addr, peer_ulid: Ipv6Addr) -> bool {
        if !is_global_unicast(local_ulid) || !is_global_unicast(peer_ulid) {
            self.refuse("bad_ulid");
            return false;
        }
        let ours = self.config.local_locators.contains(&local_ulid)
            || self.contexts.has_local_ulid(local_ulid);
        if !ours {
            self.refuse("foreign_receiver_ulid");
            return false;
        }
        true
    }

    fn on_i1(&mut self, src: Ipv6Addr, dst: Ipv6Addr, i1: I1) {
        let (local_ulid, peer_ulid) = ulids_of(&i1.options, src, dst);
        if !self.acceptable_ulids(local_ulid, peer_ulid) {
            return;
        }
        let existing = self.live_context_for(local_ulid, peer_ulid);
        let answer_with_r2 = existing.and_then(|tag| self.contexts.get(&tag)).is_some_and(|ctx| match ctx.state {
            // Crossing I1s: answer with R2 and stay (Appendix B).
            ContextState::I1Sent | ContextState::I2Sent | ContextState::I2bisSent => true,
            // §7.9: same tag → our R2 was lost; different tag or unknown
            // locator → the peer lost the context and must redo I2.
            ContextState::Established => {
                let known_source = i1.options.ulid_pair.is_none() || ctx.peer_locators.contains(&src);
                known_source && ctx.peer_tag == Some(i1.initiator_tag)
            }
            _ => false,
        });
        match existing {
            Some(tag) if answer_with_r2 => self.send_r2(tag, src, dst, i1.initiator_nonce),
            _ => self.send_r1(src, dst, &i1, local_ulid, peer_ulid),
        }
    }

    /// Stateless answer: everything needed later is inside the validator.
    fn send_r1(&mut self, src: Ipv6Addr, dst: Ipv6Addr, i1: &I1, local_ulid: Ipv6Addr, peer_ulid: Ipv6Addr) {
        let responder_nonce = self.rng.next_u32();
        let input = ValidatorInput::Establishment {
            initiator_tag: i1.initiator_tag,
            peer_ulid,
            local_ulid,
            peer_locator: src,
            local_locator: dst,
        };
        let options = Options {
            responder_validator: Some(self.secrets.make(responder_nonce, &input)),
            ..Options::default()
        };
        let message = Message::R1(R1 { initiator_nonce: i1.initiator_nonce, responder_nonce, options });
        self.transmit(dst, src, message);
    }

    fn on_r1(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, r1: R1) {
        let Some(validator) = r1.options.responder_validator else { return };
        let local_ok = self.config.local_locators.contains(&dst);
        let candidates = self.contexts.awaiting_nonce(r1.initiator_nonce);
        let Some(tag) = candidates.into_iter().find(|tag| {
            self.contexts.get(tag).is_some_and(|ctx| {
                ctx.state == ContextState::I1Sent
                    && (ctx.current_pair.peer == src || ctx.peer_locators.contains(&src))
                    && (ctx.current_pair.local == dst || local_ok)
            })
        }) else {
            return;
        };
        let Some(ctx) = self.contexts.get_mut(&tag) else { return };
        ctx.challenge = Some(ResponderChallenge {
            responder_nonce: r1.responder_nonce,
            validator,
            packet_tag: None,
        });
        ctx.state = ContextState::I2Sent;
        ctx.retransmission = Some(Retransmission::start(now, I2_TIMEOUT, Duration::MAX, &mut self.rng));
        let tag = ctx.local_tag;
        self.send_i2(tag);
    }

    pub(crate) fn send_i2(&mut self, tag: ContextTag) {
        let Some(ctx) = self.contexts.get(&tag) else { return };
        let Some(challenge) = ctx.challenge.clone() else { return };
        let (pair, local_ulid, peer_ulid, nonce) =
            (ctx.current_pair, ctx.local_ulid, ctx.peer_ulid, ctx.initiator_nonce);
        let mut options = Options { responder_validator: Some(challenge.validator), ..Options::default() };
        if pair.local != local_ulid || pair.peer != peer_ulid {
            options.ulid_pair = Some(UlidPair { sender: local_ulid, receiver: peer_ulid });
        }
        self.local_locator_options(local_ulid, &mut options);
        self.keepalive_timeout_option(&mut options);
        let message = Message::I2(I2 {
            initiator_tag: tag,
            initiator_nonce: nonce,
            responder_nonce: challenge.responder_nonce,
            options,
        });
        self.transmit(pair.local, pair.peer, message);
    }

    fn on_i2(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, i2: I2) {
        let (local_ulid, peer_ulid) = ulids_of(&i2.options, src, dst);
        if !self.acceptable_ulids(local_ulid, peer_ulid) {
            return;
        }
        let Some(validator) = i2.options.responder_validator.as_deref() else {
            self.refuse("bad_validator");
            return;
        };
        let input = ValidatorInput::Establishment {
            initiator_tag: i2.initiator_tag,
            peer_ulid,
            local_ulid,
            peer_locator: src,
            local_locator: dst,
        };
        if !self.secrets.check(validator, i2.responder_nonce, &input) {
            self.refuse("bad_validator");
            return;
        }
        self.accept_initiator(now, src, dst, local_ulid, peer_ulid, i2.initiator_tag, i2.initiator_nonce, &i2.options);
    }

    fn on_i2bis(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, i2bis: I2bis) {
        let (local_ulid, peer_ulid) = ulids_of(&i2bis.options, src, dst);
        if !self.acceptable_ulids(local_ulid, peer_ulid) {
            return;
        }
        let Some(validator) = i2bis.options.responder_validator.as_deref() else {
            self.refuse("bad_validator");
            return;
        };
        let input = ValidatorInput::Recovery { packet_tag: i2bis.packet_tag, peer_locator: src, local_locator: dst };
        if !self.secrets.check(validator, i2bis.responder_nonce, &input) {
            self.refuse("bad_validator");
            return;
        }
        self.accept_initiator(now, src, dst, local_ulid, peer_ulid, i2bis.initiator_tag, i2bis.initiator_nonce, &i2bis.options);
    }

    /// Common part of a validated I2 / I2bis (§7.13, §7.20, notes B and C):
    /// create or update the context, then answer with R2.
    #[allow(clippy::too_many_arguments)]
    fn accept_initiator(
        &mut self,
        now: Duration,
        src: Ipv6Addr,
        dst: Ipv6Addr,
        local_ulid: Ipv6Addr,
        peer_ulid: Ipv6Addr,
        peer_tag: ContextTag,
        initiator_nonce: u32,
        options: &Options,
    ) {
        let existing = self.live_context_for(local_ulid, peer_ulid);
        // Notes B/C: a context only moves to a source it has proved before
        // or that this message proves; a new one knows only the ULID.
        let known = existing
            .and_then(|tag| self.contexts.get(&tag))
            .map_or_else(|| vec![peer_ulid], |ctx| ctx.peer_locators.clone());
        let Some(peer_locators) = self.proven_peer_locators(src, dst, peer_ulid, options, &known) else { return };
        if !peer_locators.contains(&src) {
            self.refuse("unverified_source");
            return;
        }
        let tag = match existing {
            Some(tag) => tag,
            None => {
                if self.contexts.len() >= self.config.limits.max_contexts {
                    self.refuse("context_limit");
                    return;
                }
                // It speaks Shim6 after all: forget an old E-FAILED, and
                // replace a context still held down.
                self.negative.forget(peer_ulid);
                let stale: Vec<ContextTag> =
                    self.contexts.for_ulids(local_ulid, peer_ulid).map(|ctx| ctx.local_tag).collect();
                for old in stale {
                    self.contexts.remove(&old);
                    self.emit_event(HostEvent::Removed { local_tag: old });
                }
                let tag = self.allocate_tag();
                self.contexts.insert(Context::new(ContextState::Idle, local_ulid, peer_ulid, tag));
                tag
            }
        };
        let Some(ctx) = self.contexts.get_mut(&tag) else { return };
        let old_peer_tag = ctx.peer_tag.replace(peer_tag);
        ctx.peer_locators = peer_locators;
        if let Some(list) = options.locator_list.as_ref() {
            ctx.note_peer_generation(list.generation);
        }
        // The I2's validator proved that `src` received our R1: it is a
        // destination that answers (§16), not just a claimed one.
        ctx.current_pair = LocatorPair::new(dst, src);
        if let Some(seconds) = options.keepalive_timeout {
            ctx.peer_send_timeout = Some(Duration::from_secs(u64::from(seconds)));
        }
        let was = ctx.state;
        if matches!(was, ContextState::Idle | ContextState::I1Sent) {
            ctx.state = ContextState::Established;
            ctx.retransmission = None;
        }
        let established_now = ctx.state == ContextState::Established && was != ContextState::Established;
        if let Some(reap) = ctx.reap.as_mut() {
            reap.set_locators(now, self.config.local_locators.clone(), ctx.peer_locators.clone(), &mut self.rng);
        }
        if established_now {
            self.start_reap(tag);
            self.emit_event(HostEvent::Established { local_tag: tag });
        } else if old_peer_tag.is_some_and(|old| old != peer_tag) {
            self.emit_event(HostEvent::PeerTagChanged { local_tag: tag, peer_tag });
        }
        self.resolve_confusion(tag);
        self.send_r2(tag, src, dst, initiator_nonce);
        self.flush_reap(tag);
    }

    /// Ls(peer) as a message proves it: its Locator List, verified (CGA
    /// signature or HBA set) for `peer_ulid`, plus the ULID; without a list,
    /// `known`, what earlier messages proved. `None` = refused and counted
    /// (with an Error, §7.2, when the list did not verify).
    pub(crate) fn proven_peer_locators(
        &mut self,
        src: Ipv6Addr,
        dst: Ipv6Addr,
        peer_ulid: Ipv6Addr,
        options: &Options,
        known: &[Ipv6Addr],
    ) -> Option<Vec<Ipv6Addr>> {
        let Some(list) = options.locator_list.as_ref() else {
            return Some(known.to_vec());
        };
        if list.locators.iter().any(|locator| !is_global_unicast(locator.addr)) {
            self.refuse("bad_locator");
            return None;
        }
        match self.verifier.verify_peer_locators(peer_ulid, list, options) {
            Ok(()) => Some(locator_addresses(list, peer_ulid)),
            Err(_) => {
                self.refuse("locator_verification_failed");
                // The pointer cannot be exact without the raw bytes; 0
                // marks "unknown".
                let error = ErrorMessage::new(error_code::LOCATOR_VERIFICATION_FAILED, 0, &[]);
                self.transmit(dst, src, Message::Error(error));
                None
            }
        }
    }

    pub(crate) fn send_r2(&mut self, tag: ContextTag, src: Ipv6Addr, dst: Ipv6Addr, initiator_nonce: u32) {
        let Some(local_ulid) = self.contexts.get(&tag).map(|ctx| ctx.local_ulid) else { return };
        let mut options = Options::default();
        self.local_locator_options(local_ulid, &mut options);
        self.keepalive_timeout_option(&mut options);
        let message = Message::R2(R2 { responder_tag: tag, initiator_nonce, options });
        self.transmit(dst, src, message);
    }

    fn on_r2(&mut self, src: Ipv6Addr, dst: Ipv6Addr, r2: R2) {
        let candidates = self.contexts.awaiting_nonce(r2.initiator_nonce);
        let Some(tag) = candidates.into_iter().find(|tag| {
            self.contexts.get(tag).is_some_and(|ctx| {
                matches!(ctx.state, ContextState::I1Sent | ContextState::I2Sent | ContextState::I2bisSent)
                    && ctx.current_pair == LocatorPair::new(dst, src)
            })
        }) else {
            return;
        };
        let Some(ctx) = self.contexts.get(&tag) else { return };
        let recovering = ctx.state == ContextState::I2bisSent;
        // A recovering context keeps what its peer proved before; a new one
        // knows only the peer's ULID.
        let known = if recovering { ctx.peer_locators.clone() } else { vec![ctx.peer_ulid] };
        let peer_ulid = ctx.peer_ulid;
        let Some(peer_locators) = self.proven_peer_locators(src, dst, peer_ulid, &r2.options, &known) else {
            return;
        };
        if !peer_locators.contains(&src) {
            self.refuse("unverified_source");
            return;
        }
        let Some(ctx) = self.contexts.get_mut(&tag) else { return };
        ctx.peer_tag = Some(r2.responder_tag);
        ctx.peer_locators = peer_locators;
        if let Some(list) = r2.options.locator_list.as_ref() {
            ctx.note_peer_generation(list.generation);
        }
        if let Some(seconds) = r2.options.keepalive_timeout {
            ctx.peer_send_timeout = Some(Duration::from_secs(u64::from(seconds)));
        }
        ctx.state = ContextState::Established;
        ctx.retransmission = None;
        ctx.challenge = None;
        self.start_reap(tag);
        self.emit_event(if recovering {
            HostEvent::PeerTagChanged { local_tag: tag, peer_tag: r2.responder_tag }
        } else {
            HostEvent::Established { local_tag: tag }
        });
        self.resolve_confusion(tag);
    }

    /// Stateless answer to a packet whose tag we do not know (§7.17).
    pub(crate) fn send_r1bis(&mut self, src: Ipv6Addr, dst: Ipv6Addr, packet_tag: ContextTag) {
        let responder_nonce = self.rng.next_u32();
        let input = ValidatorInput::Recovery { packet_tag, peer_locator: src, local_locator: dst };
        let options = Options {
            responder_validator: Some(self.secrets.make(responder_nonce, &input)),
            ..Options::default()
        };
        self.transmit(dst, src, Message::R1bis(R1bis { packet_tag, responder_nonce, options }));
    }

    fn on_r1bis(&mut self, now: Duration, src: Ipv6Addr, dst: Ipv6Addr, r1bis: R1bis) {
        let Some(validator) = r1bis.options.responder_validator else { return };
        let candidates = self.contexts.with_peer_tag(r1bis.packet_tag);
        let Some(tag) = candidates.into_iter().find(|tag| {
            self.contexts
                .get(tag)
                .is_some_and(|ctx| ctx.state == ContextState::Established && ctx.peer_locators.contains(&src))
        }) else {
            return;
        };
        let Some(ctx) = self.contexts.get_mut(&tag) else { return };
        ctx.challenge = Some(ResponderChallenge {
            responder_nonce: r1bis.responder_nonce,
            validator,
            packet_tag: Some(r1bis.packet_tag),
        });
        ctx.state = ContextState::I2bisSent;
        ctx.initiator_nonce = self.rng.next_u32();
        // The I2bis retraces the packet the peer did not recognise.
        ctx.current_pair = LocatorPair::new(dst, src);
        ctx.retransmission = Some(Retransmission::start(now, I2BIS_TIMEOUT, Duration::MAX, &mut self.rng));
        let tag = ctx.local_tag;
        self.send_i2bis(tag);
    }

    pub(crate) fn send_i2bis(&mut self, tag: ContextTag) {
        let Some(ctx) = self.contexts.get(&tag) else { return };
        let Some(challenge) = ctx.challenge.clone() else { return };
        let Some(packet_tag) = challenge.packet_tag else { return };
        let (pair, local_ulid, peer_ulid, nonce) =
            (ctx.current_pair, ctx.local_ulid, ctx.peer_ulid, ctx.initiator_nonce);
        let mut options = Options { responder_validator: Some(challenge.validator), ..Options::default() };
        if pair.local != local_ulid || pair.peer != peer_ulid {
            options.ulid_pair = Some(UlidPair { sender: local_ulid, receiver: peer_ulid });
        }
        self.local_locator_options(local_ulid, &mut options);
        self.keepalive_timeout_option(&mut options);
        let message = Message::I2bis(I2bis {
            initiator_tag: tag,
            initiator_nonce: nonce,
            responder_nonce: challenge.responder_nonce,
            packet_tag,
            options,
        });
        self.transmit(pair.local, pair.peer, message);
    }

    /// §7.6 / §7.15: after CT(peer) of `tag` was set, no other context may
    /// keep the same CT(peer) with overlapping peer locators. Such a context
    /// belongs to a peer that reused its tag; it is dropped.
    pub(crate) fn resolve_confusion(&mut self, tag: ContextTag) {
        let Some(ctx) = self.contexts.get(&tag) else { return };
        let Some(peer_tag) = ctx.peer_tag else { return };
        let peer_locators = ctx.peer_locators.clone();
        let confused: Vec<ContextTag> = self
            .contexts
            .with_peer_tag(peer_tag)
            .into_iter()
            .filter(|&other| {
                other != tag
                    && self.contexts.get(&other).is_some_and(|other| {
                        other.state.has_peer_state()
                            && other.peer_locators.iter().any(|addr| peer_locators.contains(addr))
                    })
            })
            .collect();
        for stale in confused {
            self.contexts.remove(&stale);
            self.emit_event(HostEvent::Removed { local_tag: stale });
        }
    }

    fn on_error(&mut self, error: ErrorMessage) {
        self.emit_event(HostEvent::PeerError { code: error.code, pointer: error.pointer });
    }
}

/// Addresses of a verified list; the ULID always stays a valid locator.
fn locator_addresses(list: &LocatorList, peer_ulid: Ipv6Addr) -> Vec<Ipv6Addr> {
    let mut addresses: Vec<Ipv6Addr> = list.locators.iter().map(|locator| locator.addr).collect();
    if !addresses.contains(&peer_ulid) {
        addresses.push(peer_ulid);
    }
    addresses
}
