//! Verifiers for adversarial tests and the fuzz oracle: they stand for what
//! CGA and HBA prove (which addresses belong to the owner of a ULID) without
//! RSA or hashing, so an attacker's claims can be told from the truth.

use core::net::Ipv6Addr;

use crate::context::{LocatorVerifier, VerificationFailure};
use crate::wire::{LocatorList, Options};

/// Accepts a Locator List for a ULID exactly when every locator in it
/// belongs to the same owner as the ULID, as a CGA signature or an HBA set
/// would prove. Counts its calls.
#[derive(Debug, Clone, Default)]
pub struct OwnershipVerifier {
    /// Each entry: every address of one owner.
    owners: Vec<Vec<Ipv6Addr>>,
    pub calls: u64,
}

impl OwnershipVerifier {
    pub fn new(owners: Vec<Vec<Ipv6Addr>>) -> Self {
        OwnershipVerifier { owners, calls: 0 }
    }

    /// The addresses whose ownership by `ulid`'s owner could be proved.
    pub fn owned_with(&self, ulid: Ipv6Addr) -> &[Ipv6Addr] {
        self.owners.iter().find(|owned| owned.contains(&ulid)).map_or(&[], Vec::as_slice)
    }
}

impl LocatorVerifier for OwnershipVerifier {
    fn verify_peer_locators(
        &mut self,
        peer_ulid: Ipv6Addr,
        locators: &LocatorList,
        _options: &Options,
    ) -> Result<(), VerificationFailure> {
        self.calls += 1;
        let owned = self.owned_with(peer_ulid);
        match locators.locators.iter().position(|locator| !owned.contains(&locator.addr)) {
            None => Ok(()),
            Some(locator_index) => Err(VerificationFailure { locator_index }),
        }
    }
}

/// Refuses every Locator List: a peer can then only ever be reached at its
/// ULID. The strictest setting for the fuzz oracle.
#[derive(Debug, Clone, Copy, Default)]
pub struct RefuseAllVerifier;

impl LocatorVerifier for RefuseAllVerifier {
    fn verify_peer_locators(
        &mut self,
        _peer_ulid: Ipv6Addr,
        _locators: &LocatorList,
        _options: &Options,
    ) -> Result<(), VerificationFailure> {
        Err(VerificationFailure { locator_index: 0 })
    }
}
