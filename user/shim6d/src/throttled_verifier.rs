//! Bounds the CPU strangers can spend on us through Locator List checks
//! (M4 of the security review): lists that verified before are taken from
//! a cache, and every real CGA/HBA check takes a token; with none left the
//! list is refused, as unverified, and counted.

use std::cell::RefCell;
use std::net::Ipv6Addr;
use std::rc::Rc;

use shim6_proto::context::{LocatorVerifier, VerificationFailure};
use shim6_proto::wire::{LocatorList, Options};

use crate::config::BucketConfig;
use crate::rate_limit::TokenBucket;
use crate::runtime::Clock;
use crate::stats::VerificationStats;
use crate::verdict_cache::{VerdictCache, VerdictKey};

/// Verified lists remembered: a few per peer of a busy host, and at most
/// about a megabyte (a key holds a 2048-bit signature and CGA Parameters).
pub const VERDICT_CACHE_SIZE: usize = 1024;

pub struct ThrottledVerifier<V, C> {
    checker: V,
    budget: TokenBucket,
    verified: VerdictCache,
    clock: C,
    stats: Rc<RefCell<VerificationStats>>,
}

impl<V: LocatorVerifier, C: Clock> ThrottledVerifier<V, C> {
    pub fn new(
        checker: V,
        budget: BucketConfig,
        clock: C,
        stats: Rc<RefCell<VerificationStats>>,
    ) -> Self {
        ThrottledVerifier {
            checker,
            budget: TokenBucket::new(budget, clock.now()),
            verified: VerdictCache::new(VERDICT_CACHE_SIZE),
            clock,
            stats,
        }
    }
}

impl<V: LocatorVerifier, C: Clock> LocatorVerifier for ThrottledVerifier<V, C> {
    fn verify_peer_locators(
        &mut self,
        peer_ulid: Ipv6Addr,
        locators: &LocatorList,
        options: &Options,
    ) -> Result<(), VerificationFailure> {
        let key = VerdictKey::new(peer_ulid, locators, options);
        if self.verified.hit(&key) {
            self.stats.borrow_mut().cache_hits += 1;
            return Ok(());
        }
        if !self.budget.take(self.clock.now()) {
            self.stats.borrow_mut().rate_limited += 1;
            log::debug!("Locator List from {peer_ulid} refused: no verification token left");
            return Err(VerificationFailure { locator_index: 0 });
        }
        self.checker
            .verify_peer_locators(peer_ulid, locators, options)
            .inspect(|()| self.verified.insert(key))
    }

    fn prove_local_locators(
        &mut self,
        local_ulid: Ipv6Addr,
        locators: &LocatorList,
        options: &mut Options,
    ) {
        self.checker
            .prove_local_locators(local_ulid, locators, options);
    }
}

#[cfg(test)]
#[path = "throttled_verifier_tests.rs"]
mod tests;
