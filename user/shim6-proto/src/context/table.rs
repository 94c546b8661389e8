//! The contexts of a host and the indexes that find them without a scan:
//! by ULID pair, by the nonce an answer will echo, by CT(peer), by the /64
//! of a peer we are still trying to reach, and by deadline.
//!
//! A context's ULIDs never change, so their index is kept at insertion. The
//! other keys change as the state machines run: [`ContextTable::get_mut`]
//! marks the context dirty and [`ContextTable::settle`] re-reads its keys,
//! which every lookup of those keys does first.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use core::net::Ipv6Addr;
use core::time::Duration;

use super::{Context, ContextState};
use crate::wire::ContextTag;

/// The keys a context was last indexed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct IndexedKeys {
    /// Initiator Nonce, while an R1 or R2 may answer it.
    nonce: Option<u32>,
    peer_tag: Option<ContextTag>,
    /// The peer's /64, while we wait for it to answer our I1 or I2.
    half_open_prefix: Option<u64>,
    deadline: Option<Duration>,
}

impl IndexedKeys {
    fn of(ctx: &Context) -> Self {
        let awaiting_answer = matches!(ctx.state, ContextState::I1Sent | ContextState::I2Sent | ContextState::I2bisSent);
        let half_open = matches!(ctx.state, ContextState::I1Sent | ContextState::I2Sent);
        IndexedKeys {
            nonce: awaiting_answer.then_some(ctx.initiator_nonce),
            peer_tag: ctx.peer_tag,
            half_open_prefix: half_open.then(|| prefix_of(ctx.peer_ulid)),
            deadline: ctx.next_deadline(),
        }
    }
}

/// The /64 an address is in: the unit one site's hosts share.
pub(crate) fn prefix_of(addr: Ipv6Addr) -> u64 {
    let octets = addr.octets();
    u64::from_be_bytes([octets[0], octets[1], octets[2], octets[3], octets[4], octets[5], octets[6], octets[7]])
}

#[derive(Debug, Default)]
pub(crate) struct ContextTable {
    contexts: BTreeMap<ContextTag, Context>,
    keys: HashMap<ContextTag, IndexedKeys>,
    by_ulids: HashMap<(Ipv6Addr, Ipv6Addr), Vec<ContextTag>>,
    local_ulids: HashMap<Ipv6Addr, usize>,
    by_nonce: HashMap<u32, Vec<ContextTag>>,
    by_peer_tag: HashMap<ContextTag, Vec<ContextTag>>,
    half_open: HashMap<u64, usize>,
    deadlines: BTreeSet<(Duration, ContextTag)>,
    dirty: BTreeSet<ContextTag>,
}

impl ContextTable {
    pub fn len(&self) -> usize {
        self.contexts.len()
    }

    pub fn get(&self, tag: &ContextTag) -> Option<&Context> {
        self.contexts.get(tag)
    }

    /// The context, to change: it is re-indexed at the next lookup.
    pub fn get_mut(&mut self, tag: &ContextTag) -> Option<&mut Context> {
        let ctx = self.contexts.get_mut(tag)?;
        self.dirty.insert(*tag);
        Some(ctx)
    }

    pub fn contains_key(&self, tag: &ContextTag) -> bool {
        self.contexts.contains_key(tag)
    }

    pub fn values(&self) -> impl Iterator<Item = &Context> {
        self.contexts.values()
    }

    pub fn insert(&mut self, ctx: Context) {
        let tag = ctx.local_tag;
        if self.contexts.contains_key(&tag) {
            self.remove(&tag);
        }
        self.by_ulids.entry((ctx.local_ulid, ctx.peer_ulid)).or_default().push(tag);
        *self.local_ulids.entry(ctx.local_ulid).or_default() += 1;
        self.contexts.insert(tag, ctx);
        self.dirty.insert(tag);
    }

    pub fn remove(&mut self, tag: &ContextTag) -> Option<Context> {
        let ctx = self.contexts.remove(tag)?;
        self.dirty.remove(tag);
        remove_from(&mut self.by_ulids, &(ctx.local_ulid, ctx.peer_ulid), *tag);
        if let Some(count) = self.local_ulids.get_mut(&ctx.local_ulid) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                self.local_ulids.remove(&ctx.local_ulid);
            }
        }
        if let Some(keys) = self.keys.remove(tag) {
            self.unindex(*tag, keys);
        }
        Some(ctx)
    }

    /// Contexts for a ULID pair (more than one only while an old one is
    /// being replaced).
    pub fn for_ulids(&self, local_ulid: Ipv6Addr, peer_ulid: Ipv6Addr) -> impl Iterator<Item = &Context> {
        self.by_ulids
            .get(&(local_ulid, peer_ulid))
            .into_iter()
            .flatten()
            .filter_map(|tag| self.contexts.get(tag))
    }

    /// Does any context have this local ULID?
    pub fn has_local_ulid(&self, local_ulid: Ipv6Addr) -> bool {
        self.local_ulids.contains_key(&local_ulid)
    }

    /// Contexts waiting for an R1 or R2 that echoes `nonce`.
    pub fn awaiting_nonce(&mut self, nonce: u32) -> Vec<ContextTag> {
        self.settle();
        self.by_nonce.get(&nonce).cloned().unwrap_or_default()
    }

    /// Contexts whose CT(peer) is `peer_tag`.
    pub fn with_peer_tag(&mut self, peer_tag: ContextTag) -> Vec<ContextTag> {
        self.settle();
        self.by_peer_tag.get(&peer_tag).cloned().unwrap_or_default()
    }

    /// Establishments we started towards `peer`'s /64 that have no answer.
    pub fn half_open_towards(&mut self, peer: Ipv6Addr) -> usize {
        self.settle();
        self.half_open.get(&prefix_of(peer)).copied().unwrap_or(0)
    }

    /// The earliest deadline of any context. Exact after [`settle`](Self::settle).
    pub fn next_deadline(&self) -> Option<Duration> {
        self.deadlines.first().map(|&(deadline, _)| deadline)
    }

    /// Contexts whose deadline is at or before `now`.
    pub fn due(&mut self, now: Duration) -> Vec<ContextTag> {
        self.settle();
        self.deadlines.iter().take_while(|&&(deadline, _)| deadline <= now).map(|&(_, tag)| tag).collect()
    }

    /// Re-index every context changed since the last call.
    pub fn settle(&mut self) {
        while let Some(tag) = self.dirty.pop_first() {
            let Some(ctx) = self.contexts.get(&tag) else { continue };
            let fresh = IndexedKeys::of(ctx);
            let old = self.keys.insert(tag, fresh);
            if old == Some(fresh) {
                continue;
            }
            if let Some(old) = old {
                self.unindex(tag, old);
            }
            self.index(tag, fresh);
        }
    }

    fn index(&mut self, tag: ContextTag, keys: IndexedKeys) {
        if let Some(nonce) = keys.nonce {
            self.by_nonce.entry(nonce).or_default().push(tag);
        }
        if let Some(peer_tag) = keys.peer_tag {
            self.by_peer_tag.entry(peer_tag).or_default().push(tag);
        }
        if let Some(prefix) = keys.half_open_prefix {
            *self.half_open.entry(prefix).or_default() += 1;
        }
        if let Some(deadline) = keys.deadline {
            self.deadlines.insert((deadline, tag));
        }
    }

    fn unindex(&mut self, tag: ContextTag, keys: IndexedKeys) {
        if let Some(nonce) = keys.nonce {
            remove_from(&mut self.by_nonce, &nonce, tag);
        }
        if let Some(peer_tag) = keys.peer_tag {
            remove_from(&mut self.by_peer_tag, &peer_tag, tag);
        }
        if let Some(prefix) = keys.half_open_prefix {
            if let Some(count) = self.half_open.get_mut(&prefix) {
                *count = count.saturating_sub(1);
                if *count == 0 {
                    self.half_open.remove(&prefix);
                }
            }
        }
        if let Some(deadline) = keys.deadline {
            self.deadlines.remove(&(deadline, tag));
        }
    }
}

fn remove_from<K: Eq + core::hash::Hash>(index: &mut HashMap<K, Vec<ContextTag>>, key: &K, tag: ContextTag) {
    if let Some(tags) = index.get_mut(key) {
        tags.retain(|&t| t != tag);
        if tags.is_empty() {
            index.remove(key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx(tag: u64, peer: u16, state: ContextState) -> Context {
        let local = Ipv6Addr::new(0x2001, 0xdb8, 0xb1, 0, 0, 0, 0, 1);
        let peer = Ipv6Addr::new(0x2001, 0xdb8, 0xa1, 0, 0, 0, 0, peer);
        let mut ctx = Context::new(state, local, peer, ContextTag::from_masked(tag));
        ctx.initiator_nonce = tag as u32;
        ctx
    }

    #[test]
    fn indexes_follow_changes_and_removal() {
        let mut table = ContextTable::default();
        table.insert(ctx(1, 1, ContextState::I1Sent));
        table.insert(ctx(2, 2, ContextState::I1Sent));
        let peer1 = Ipv6Addr::new(0x2001, 0xdb8, 0xa1, 0, 0, 0, 0, 1);
        assert_eq!(table.half_open_towards(peer1), 2, "both peers share a /64");
        assert_eq!(table.awaiting_nonce(1), vec![ContextTag::from_masked(1)]);

        let one = ContextTag::from_masked(1);
        let changed = table.get_mut(&one).expect("context 1");
        changed.state = ContextState::Established;
        changed.peer_tag = Some(ContextTag::from_masked(99));
        assert!(table.awaiting_nonce(1).is_empty(), "established: no longer waits for an answer");
        assert_eq!(table.half_open_towards(peer1), 1);
        assert_eq!(table.with_peer_tag(ContextTag::from_masked(99)), vec![one]);

        table.remove(&one);
        assert!(table.with_peer_tag(ContextTag::from_masked(99)).is_empty());
        assert_eq!(table.for_ulids(Ipv6Addr::new(0x2001, 0xdb8, 0xb1, 0, 0, 0, 0, 1), peer1).count(), 0);
        assert!(table.has_local_ulid(Ipv6Addr::new(0x2001, 0xdb8, 0xb1, 0, 0, 0, 0, 1)), "context 2 is left");
    }
}
