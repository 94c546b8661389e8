//! The Locator Lists that verified recently, so that a replayed valid
//! message (an I2 within its validator's life, an Update Request) costs
//! no RSA or HBA work (M4 of the security review). A CGA/HBA check is a
//! pure function of what the key holds, so a cached "valid" stays true.

use std::collections::{BTreeMap, HashMap};
use std::net::Ipv6Addr;
use std::rc::Rc;

use shim6_proto::wire::{LocatorList, Options};

/// What a verdict depends on: the peer ULID, the whole Locator List
/// (generation, addresses and methods), the CGA Parameters and the
/// signature, each length-prefixed so that no two inputs share a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VerdictKey(Rc<[u8]>);

impl VerdictKey {
    pub fn new(peer_ulid: Ipv6Addr, locators: &LocatorList, options: &Options) -> Self {
        let mut bytes = Vec::with_capacity(64 + 17 * locators.locators.len());
        bytes.extend_from_slice(&peer_ulid.octets());
        bytes.extend_from_slice(&locators.generation.to_be_bytes());
        put_len(&mut bytes, locators.locators.len());
        for locator in &locators.locators {
            bytes.extend_from_slice(&locator.addr.octets());
            bytes.push(u8::from(locator.method));
        }
        for field in [&options.cga_parameters, &options.cga_signature] {
            match field {
                Some(value) => {
                    bytes.push(1);
                    put_len(&mut bytes, value.len());
                    bytes.extend_from_slice(value);
                }
                None => bytes.push(0),
            }
        }
        VerdictKey(bytes.into())
    }
}

fn put_len(bytes: &mut Vec<u8>, len: usize) {
    bytes.extend_from_slice(&u64::try_from(len).unwrap_or(u64::MAX).to_be_bytes());
}

/// Least recently used entries go first once `capacity` is reached.
#[derive(Debug)]
pub struct VerdictCache {
    capacity: usize,
    /// Key → the use stamp it is filed under in `by_use`.
    entries: HashMap<VerdictKey, u64>,
    by_use: BTreeMap<u64, VerdictKey>,
    next_stamp: u64,
}

impl VerdictCache {
    pub fn new(capacity: usize) -> Self {
        VerdictCache {
            capacity,
            entries: HashMap::new(),
            by_use: BTreeMap::new(),
            next_stamp: 0,
        }
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Was this list verified? A hit counts as a use.
    pub fn hit(&mut self, key: &VerdictKey) -> bool {
        let stamp = self.next_stamp;
        let Some(used) = self.entries.get_mut(key) else {
            return false;
        };
        self.next_stamp += 1;
        if let Some(filed) = self.by_use.remove(used) {
            self.by_use.insert(stamp, filed);
        }
        *used = stamp;
        true
    }

    /// Remembers a list that verified.
    pub fn insert(&mut self, key: VerdictKey) {
        if self.capacity == 0 || self.hit(&key) {
            return;
        }
        while self.entries.len() >= self.capacity {
            let Some((_, oldest)) = self.by_use.pop_first() else {
                break;
            };
            self.entries.remove(&oldest);
        }
        let stamp = self.next_stamp;
        self.next_stamp += 1;
        self.entries.insert(key.clone(), stamp);
        self.by_use.insert(stamp, key);
    }
}

#[cfg(test)]
#[path = "verdict_cache_tests.rs"]
mod tests;
