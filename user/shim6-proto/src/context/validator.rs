//! Responder Validator (RFC 5533 §7.10.1, §7.17.1): lets the responder
//! recognise its own R1/R1bis in the I2/I2bis without keeping any state.
//!
//! validator = SHA-256(secret ‖ kind ‖ responder nonce ‖ tag ‖ addresses).
//! The secret rotates every `VALIDATOR_SECRET_LIFETIME`; the current and the
//! previous one are accepted, so a validator lives at least one period
//! (≥ VALIDATOR_MIN_LIFETIME) and at most two. The Initiator Nonce is not
//! hashed because the I2 may carry a different one (spec conflict 6).

use core::net::Ipv6Addr;
use core::time::Duration;

use sha2::{Digest, Sha256};

use crate::constants::VALIDATOR_SECRET_LIFETIME;
use crate::random::RandomSource;
use crate::wire::ContextTag;

const SECRET_LEN: usize = 32;

/// What the validator binds, besides the responder nonce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ValidatorInput {
    /// R1 → I2: the Initiator Context Tag, the ULID pair (peer, local) and
    /// the locators the I1 came from and went to (§7.10.1 "ULID,
    /// locators"): an I2 replayed from another address does not validate,
    /// so only a source that received our R1 can make us answer it.
    Establishment {
        initiator_tag: ContextTag,
        peer_ulid: Ipv6Addr,
        local_ulid: Ipv6Addr,
        peer_locator: Ipv6Addr,
        local_locator: Ipv6Addr,
    },
    /// R1bis → I2bis: the unknown tag and the locators of the packet that
    /// carried it (its source and destination).
    Recovery { packet_tag: ContextTag, peer_locator: Ipv6Addr, local_locator: Ipv6Addr },
}

#[derive(Debug, Clone)]
pub struct ResponderSecrets {
    current: [u8; SECRET_LEN],
    previous: [u8; SECRET_LEN],
    rotated_at: Duration,
}

impl ResponderSecrets {
    pub fn new(now: Duration, rng: &mut dyn RandomSource) -> Self {
        ResponderSecrets { current: fresh(rng), previous: fresh(rng), rotated_at: now }
    }

    /// Rotate as many times as the elapsed time requires.
    pub fn rotate_if_due(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        let elapsed = now.saturating_sub(self.rotated_at);
        if elapsed < VALIDATOR_SECRET_LIFETIME {
            return;
        }
        // After two or more periods both secrets are out of date.
        self.previous = if elapsed >= VALIDATOR_SECRET_LIFETIME * 2 {
            fresh(rng)
        } else {
            self.current
        };
        self.current = fresh(rng);
        self.rotated_at = now;
    }

    /// Forced rotation (e.g. suspected secret exposure, or tests).
    pub fn rotate(&mut self, now: Duration, rng: &mut dyn RandomSource) {
        self.previous = self.current;
        self.current = fresh(rng);
        self.rotated_at = now;
    }

    pub fn make(&self, responder_nonce: u32, input: &ValidatorInput) -> Vec<u8> {
        digest(&self.current, responder_nonce, input)
    }

    pub fn check(&self, validator: &[u8], responder_nonce: u32, input: &ValidatorInput) -> bool {
        [&self.current, &self.previous]
            .into_iter()
            .any(|secret| constant_time_eq(&digest(secret, responder_nonce, input), validator))
    }
}

fn fresh(rng: &mut dyn RandomSource) -> [u8; SECRET_LEN] {
    let mut secret = [0u8; SECRET_LEN];
    for chunk in secret.chunks_mut(8) {
        let bytes = rng.next_u64().to_be_bytes();
        chunk.copy_from_slice(&bytes[..chunk.len()]);
    }
    secret
}

fn digest(secret: &[u8; SECRET_LEN], responder_nonce: u32, input: &ValidatorInput) -> Vec<u8> {
    let mut hash = Sha256::new();
    hash.update(secret);
    match input {
        ValidatorInput::Establishment { initiator_tag, peer_ulid, local_ulid, peer_locator, local_locator } => {
            hash.update([1u8]);
            hash.update(responder_nonce.to_be_bytes());
            hash.update(initiator_tag.get().to_be_bytes());
            hash.update(peer_ulid.octets());
            hash.update(local_ulid.octets());
            hash.update(peer_locator.octets());
            hash.update(local_locator.octets());
        }
        ValidatorInput::Recovery { packet_tag, peer_locator, local_locator } => {
            hash.update([2u8]);
            hash.update(responder_nonce.to_be_bytes());
            hash.update(packet_tag.get().to_be_bytes());
            hash.update(peer_locator.octets());
            hash.update(local_locator.octets());
        }
    }
    hash.finalize().to_vec()
}

/// Comparison whose time does not depend on where the first difference is.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SeededRandom;

    fn input() -> ValidatorInput {
        input_from(Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 1))
    }

    fn input_from(peer_locator: Ipv6Addr) -> ValidatorInput {
        ValidatorInput::Establishment {
            initiator_tag: ContextTag::from_masked(42),
            peer_ulid: Ipv6Addr::new(0x2001, 0xdb8, 1, 0, 0, 0, 0, 1),
            local_ulid: Ipv6Addr::new(0x2001, 0xdb8, 2, 0, 0, 0, 0, 1),
            peer_locator,
            local_locator: Ipv6Addr::new(0x2001, 0xdb8, 2, 0, 0, 0, 0, 1),
        }
    }

    #[test]
    fn validator_is_bound_to_the_locators_of_the_i1() {
        let mut rng = SeededRandom::new(11);
        let secrets = ResponderSecrets::new(Duration::ZERO, &mut rng);
        let validator = secrets.make(3, &input());
        let elsewhere = input_from(Ipv6Addr::new(0x2001, 0xdb8, 0x777, 0, 0, 0, 0, 0x77));
        assert!(!secrets.check(&validator, 3, &elsewhere), "a replay from another address validates");
    }

    #[test]
    fn validator_survives_one_rotation_but_not_two() {
        let mut rng = SeededRandom::new(9);
        let mut secrets = ResponderSecrets::new(Duration::ZERO, &mut rng);
        let validator = secrets.make(7, &input());
        assert!(secrets.check(&validator, 7, &input()));
        assert!(!secrets.check(&validator, 8, &input()), "nonce is bound");
        secrets.rotate(Duration::from_secs(1), &mut rng);
        assert!(secrets.check(&validator, 7, &input()));
        secrets.rotate(Duration::from_secs(2), &mut rng);
        assert!(!secrets.check(&validator, 7, &input()));
    }

    #[test]
    fn timed_rotation_keeps_validators_for_at_least_the_minimum_lifetime() {
        let mut rng = SeededRandom::new(10);
        let mut secrets = ResponderSecrets::new(Duration::ZERO, &mut rng);
        let validator = secrets.make(1, &input());
        secrets.rotate_if_due(VALIDATOR_SECRET_LIFETIME, &mut rng);
        assert!(secrets.check(&validator, 1, &input()));
        secrets.rotate_if_due(VALIDATOR_SECRET_LIFETIME * 3, &mut rng);
        assert!(!secrets.check(&validator, 1, &input()));
    }
}
