//! An (own locator, peer locator) address pair, one direction of a path.

use core::net::Ipv6Addr;

/// Source and destination used to send to the peer. The reverse direction
/// is a separate pair of the peer (RFC 5534 §3: directions fail apart).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LocatorPair {
    pub local: Ipv6Addr,
    pub peer: Ipv6Addr,
}

impl LocatorPair {
    pub const fn new(local: Ipv6Addr, peer: Ipv6Addr) -> Self {
        LocatorPair { local, peer }
    }

    /// How many of the two locators differ from `other` (0, 1 or 2).
    pub fn differences_from(&self, other: &LocatorPair) -> u8 {
        u8::from(self.local != other.local) + u8::from(self.peer != other.peer)
    }
}
