//! The per-peer state of one Shim6 context (RFC 5533 §6.2).

use core::net::Ipv6Addr;
use core::time::Duration;

use super::{ContextState, Retransmission};
use crate::reap::{LocatorPair, ReapMachine, ReapState};
use crate::wire::ContextTag;

/// How many past generations of a peer's Locator List are remembered to
/// refuse replayed Update Requests: a peer changes its locator set a few
/// times a day, an attacker would need 32 changes inside a context's life.
const PEER_GENERATIONS_KEPT: usize = 32;

/// Data learned from an R1 or R1bis, echoed in the I2 / I2bis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResponderChallenge {
    pub responder_nonce: u32,
    pub validator: Vec<u8>,
    /// Only for I2bis: the tag the peer did not recognise.
    pub packet_tag: Option<ContextTag>,
}

/// An Update Request waiting for its acknowledgement (RFC 5533 §10.3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PendingUpdate {
    pub request_nonce: u32,
    pub timer: Retransmission,
}

#[derive(Debug, Clone)]
pub struct Context {
    pub(crate) state: ContextState,
    pub(crate) local_ulid: Ipv6Addr,
    pub(crate) peer_ulid: Ipv6Addr,
    pub(crate) local_tag: ContextTag,
    pub(crate) peer_tag: Option<ContextTag>,
    pub(crate) initiator_nonce: u32,
    pub(crate) challenge: Option<ResponderChallenge>,
    /// Lp(local), Lp(peer): the pair payload uses.
    pub(crate) current_pair: LocatorPair,
    /// Ls(peer), verified.
    pub(crate) peer_locators: Vec<Ipv6Addr>,
    /// Generations of the peer's Locator Lists we accepted, oldest first,
    /// the last one current. An Update Request carrying an older one is a
    /// replay (RFC 5533 §10.4 cannot tell, the generations being random).
    pub(crate) peer_generations: Vec<u32>,
    pub(crate) retransmission: Option<Retransmission>,
    pub(crate) update: Option<PendingUpdate>,
    pub(crate) reap: Option<ReapMachine>,
    /// Peer's Send Timeout from its Keepalive Timeout option.
    pub(crate) peer_send_timeout: Option<Duration>,
}

impl Context {
    pub(crate) fn new(
        state: ContextState,
        local_ulid: Ipv6Addr,
        peer_ulid: Ipv6Addr,
        local_tag: ContextTag,
    ) -> Self {
        Context {
            state,
            local_ulid,
            peer_ulid,
            local_tag,
            peer_tag: None,
            initiator_nonce: 0,
            challenge: None,
            current_pair: LocatorPair::new(local_ulid, peer_ulid),
            peer_locators: vec![peer_ulid],
            peer_generations: Vec::new(),
            retransmission: None,
            update: None,
            reap: None,
            peer_send_timeout: None,
        }
    }

    pub fn state(&self) -> ContextState {
        self.state
    }

    pub fn local_ulid(&self) -> Ipv6Addr {
        self.local_ulid
    }

    pub fn peer_ulid(&self) -> Ipv6Addr {
        self.peer_ulid
    }

    /// CT(local): the tag the peer puts in payload headers sent to us.
    pub fn local_tag(&self) -> ContextTag {
        self.local_tag
    }

    /// CT(peer): the tag we put in payload headers, once known.
    pub fn peer_tag(&self) -> Option<ContextTag> {
        self.peer_tag
    }

    pub fn current_pair(&self) -> LocatorPair {
        self.current_pair
    }

    pub fn peer_locators(&self) -> &[Ipv6Addr] {
        &self.peer_locators
    }

    pub fn reap_state(&self) -> Option<ReapState> {
        self.reap.as_ref().map(ReapMachine::state)
    }

    pub fn reap(&self) -> Option<&ReapMachine> {
        self.reap.as_ref()
    }

    /// True while an Update Request is unacknowledged.
    pub fn update_pending(&self) -> bool {
        self.update.is_some()
    }

    /// Record that the peer's list of `generation` was accepted.
    pub(crate) fn note_peer_generation(&mut self, generation: u32) {
        self.peer_generations.retain(|&seen| seen != generation);
        if self.peer_generations.len() >= PEER_GENERATIONS_KEPT {
            self.peer_generations.remove(0);
        }
        self.peer_generations.push(generation);
    }

    /// A list of an earlier generation than the current one: a replay.
    pub(crate) fn is_stale_generation(&self, generation: u32) -> bool {
        self.peer_generations.last() != Some(&generation) && self.peer_generations.contains(&generation)
    }

    pub(crate) fn next_deadline(&self) -> Option<Duration> {
        [
            self.retransmission.as_ref().map(Retransmission::due_at),
            self.update.as_ref().map(|update| update.timer.due_at()),
            self.reap.as_ref().and_then(ReapMachine::next_deadline),
        ]
        .into_iter()
        .flatten()
        .min()
    }
}
