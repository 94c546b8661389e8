use std::cell::Cell;
use std::time::Duration;

use shim6_proto::wire::{Locator, VerificationMethod};

use super::*;
use crate::runtime::ManualClock;

/// Accepts a list whose signature is `good`; counts the checks it ran
/// (each one stands for an RSA verification).
struct CountingChecker {
    checks: Rc<Cell<u32>>,
}

impl LocatorVerifier for CountingChecker {
    fn verify_peer_locators(
        &mut self,
        _peer_ulid: Ipv6Addr,
        _locators: &LocatorList,
        options: &Options,
    ) -> Result<(), VerificationFailure> {
        self.checks.set(self.checks.get() + 1);
        match options.cga_signature.as_deref() {
            Some(b"good") => Ok(()),
            _ => Err(VerificationFailure { locator_index: 1 }),
        }
    }
}

struct Fixture {
    verifier: ThrottledVerifier<CountingChecker, ManualClock>,
    checks: Rc<Cell<u32>>,
    clock: ManualClock,
    stats: Rc<RefCell<VerificationStats>>,
}

fn fixture(per_second: u64, burst: u64) -> Fixture {
    let checks = Rc::new(Cell::new(0));
    let clock = ManualClock::default();
    clock.set(Duration::from_secs(100));
    let stats = Rc::new(RefCell::new(VerificationStats::default()));
    let verifier = ThrottledVerifier::new(
        CountingChecker {
            checks: Rc::clone(&checks),
        },
        BucketConfig { per_second, burst },
        clock.clone(),
        Rc::clone(&stats),
    );
    Fixture {
        verifier,
        checks,
        clock,
        stats,
    }
}

const PEER: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xa1, 0, 0, 0, 0, 1);

fn list(generation: u32) -> LocatorList {
    LocatorList {
        generation,
        locators: vec![
            Locator {
                addr: PEER,
                method: VerificationMethod::Cga,
            },
            Locator {
                addr: Ipv6Addr::new(0x2001, 0xdb8, 0xa2, 0, 0, 0, 0, 1),
                method: VerificationMethod::Cga,
            },
        ],
    }
}

fn signed(signature: &[u8]) -> Options {
    Options {
        cga_parameters: Some(vec![7; 40]),
        cga_signature: Some(signature.to_vec()),
        ..Options::default()
    }
}

#[test]
fn a_replayed_valid_list_costs_no_second_check() {
    let mut f = fixture(50, 100);
    for _ in 0..10 {
        assert_eq!(
            f.verifier
                .verify_peer_locators(PEER, &list(1), &signed(b"good")),
            Ok(())
        );
    }
    assert_eq!(f.checks.get(), 1, "one real check, nine cache hits");
    assert_eq!(f.stats.borrow().cache_hits, 9);
}

#[test]
fn a_forged_variant_of_a_cached_list_is_checked_and_refused() {
    let mut f = fixture(50, 100);
    let options = signed(b"good");
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &list(1), &options)
        .is_ok());
    // Same list and signature, another peer ULID; another generation;
    // another signature; other CGA Parameters: none is a hit.
    let other_peer = Ipv6Addr::new(0x2001, 0xdb8, 0xa9, 0, 0, 0, 0, 9);
    assert!(f
        .verifier
        .verify_peer_locators(other_peer, &list(1), &options)
        .is_ok());
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &list(2), &options)
        .is_ok());
    assert_eq!(
        f.verifier
            .verify_peer_locators(PEER, &list(1), &signed(b"forged")),
        Err(VerificationFailure { locator_index: 1 })
    );
    let mut other_params = signed(b"good");
    other_params.cga_parameters = Some(vec![8; 40]);
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &list(1), &other_params)
        .is_ok());
    let mut moved = list(1);
    moved.locators[1].addr = Ipv6Addr::new(0x2001, 0xdb8, 0x66, 0, 0, 0, 0, 66);
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &moved, &options)
        .is_ok());
    assert_eq!(f.checks.get(), 6, "every variant was checked for real");
    assert_eq!(f.stats.borrow().cache_hits, 0);
}

#[test]
fn a_refused_list_is_not_cached() {
    let mut f = fixture(50, 100);
    for _ in 0..3 {
        assert!(f
            .verifier
            .verify_peer_locators(PEER, &list(1), &signed(b"forged"))
            .is_err());
    }
    assert_eq!(f.checks.get(), 3);
    assert_eq!(f.stats.borrow().cache_hits, 0);
}

#[test]
fn checks_beyond_the_budget_are_refused_and_counted() {
    let mut f = fixture(2, 3);
    let results: Vec<bool> = (0..5)
        .map(|generation| {
            f.verifier
                .verify_peer_locators(PEER, &list(generation), &signed(b"good"))
                .is_ok()
        })
        .collect();
    assert_eq!(results, [true, true, true, false, false]);
    assert_eq!(f.checks.get(), 3, "no check ran without a token");
    assert_eq!(f.stats.borrow().rate_limited, 2);
    // Half a second at 2/s gives one token back.
    f.clock.advance(Duration::from_millis(500));
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &list(10), &signed(b"good"))
        .is_ok());
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &list(11), &signed(b"good"))
        .is_err());
    assert_eq!(f.stats.borrow().rate_limited, 3);
}

#[test]
fn a_cached_list_passes_even_with_the_budget_spent() {
    let mut f = fixture(1, 1);
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &list(1), &signed(b"good"))
        .is_ok());
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &list(2), &signed(b"good"))
        .is_err());
    assert!(f
        .verifier
        .verify_peer_locators(PEER, &list(1), &signed(b"good"))
        .is_ok());
    assert_eq!(f.checks.get(), 1);
}
