//! Peers that did not answer our I1s (E-FAILED) or said they have no Shim6
//! (NO-SUPPORT): remembered until their hold-down ends, in a table of fixed
//! size, so that a server whose clients mostly lack Shim6 keeps one small
//! entry per client instead of a context.

use std::collections::{HashMap, VecDeque};

use core::net::Ipv6Addr;
use core::time::Duration;

#[derive(Debug, Default)]
pub(crate) struct NegativeCache {
    until: HashMap<Ipv6Addr, Duration>,
    /// Insertion order, oldest first, for eviction when full. May hold
    /// stale entries of peers inserted again; `until` is the truth.
    order: VecDeque<(Ipv6Addr, Duration)>,
    capacity: usize,
}

impl NegativeCache {
    pub fn new(capacity: usize) -> Self {
        NegativeCache { capacity, ..NegativeCache::default() }
    }

    pub fn insert(&mut self, peer: Ipv6Addr, until: Duration) {
        if self.capacity == 0 {
            return;
        }
        while self.until.len() >= self.capacity && !self.until.contains_key(&peer) {
            let Some((oldest, when)) = self.order.pop_front() else { break };
            if self.until.get(&oldest) == Some(&when) {
                self.until.remove(&oldest);
            }
        }
        self.until.insert(peer, until);
        self.order.push_back((peer, until));
        // Stale order entries are bounded by the live ones.
        if self.order.len() > self.capacity.saturating_mul(2) {
            let until = &self.until;
            self.order.retain(|(peer, when)| until.get(peer) == Some(when));
        }
    }

    /// Until when `peer` is held down, if it still is at `now`.
    pub fn held_down_until(&mut self, peer: Ipv6Addr, now: Duration) -> Option<Duration> {
        let until = *self.until.get(&peer)?;
        if until > now {
            return Some(until);
        }
        self.until.remove(&peer);
        None
    }

    /// The peer answered after all (it initiated towards us).
    pub fn forget(&mut self, peer: Ipv6Addr) {
        self.until.remove(&peer);
    }

    pub fn len(&self) -> usize {
        self.until.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peer(n: u16) -> Ipv6Addr {
        Ipv6Addr::new(0x2001, 0xdb8, 0xa1, 0, 0, 0, 0, n)
    }

    #[test]
    fn bounded_oldest_forgotten_first_and_expiring() {
        let mut cache = NegativeCache::new(3);
        let until = Duration::from_secs(60);
        for n in 1..=5 {
            cache.insert(peer(n), until);
        }
        assert_eq!(cache.len(), 3);
        assert_eq!(cache.held_down_until(peer(1), Duration::ZERO), None, "evicted");
        assert_eq!(cache.held_down_until(peer(5), Duration::ZERO), Some(until));
        assert_eq!(cache.held_down_until(peer(5), until), None, "expired at its time");
        for n in 0..1000 {
            cache.insert(peer(7), Duration::from_secs(n));
        }
        assert!(cache.order.len() <= 6, "re-inserting one peer does not grow the table");
    }
}
