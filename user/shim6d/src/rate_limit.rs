//! Token buckets for what strangers can make the daemon send or compute
//! (R1, R1bis, Error messages, Locator List checks; M4 of the security
//! review). Time comes from the caller, so tests drive it by hand.

use std::time::Duration;

use shim6_proto::wire::Message;

use crate::config::{BucketConfig, RateLimitsConfig};

const NANOS_PER_SECOND: u128 = 1_000_000_000;

/// `per_second` tokens come back each second, at most `burst` are kept.
/// Kept in token-nanoseconds so that refilling never rounds a token away.
#[derive(Debug, Clone)]
pub struct TokenBucket {
    per_second: u128,
    capacity: u128,
    stored: u128,
    refilled_at: Duration,
}

impl TokenBucket {
    /// A full bucket at `now`.
    pub fn new(config: BucketConfig, now: Duration) -> Self {
        let capacity = u128::from(config.burst) * NANOS_PER_SECOND;
        TokenBucket {
            per_second: u128::from(config.per_second),
            capacity,
            stored: capacity,
            refilled_at: now,
        }
    }

    /// Takes one token if there is one.
    pub fn take(&mut self, now: Duration) -> bool {
        // A clock that went back refills nothing (and is not trusted to).
        let elapsed = now.saturating_sub(self.refilled_at).as_nanos();
        self.refilled_at = self.refilled_at.max(now);
        self.stored = self
            .stored
            .saturating_add(elapsed.saturating_mul(self.per_second))
            .min(self.capacity);
        if self.stored < NANOS_PER_SECOND {
            return false;
        }
        self.stored -= NANOS_PER_SECOND;
        true
    }
}

/// Which outgoing messages are limited, by the counter name in stats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitedKind {
    R1,
    R1bis,
    Error,
}

impl LimitedKind {
    pub fn of(message: &Message) -> Option<LimitedKind> {
        match message {
            Message::R1(_) => Some(LimitedKind::R1),
            Message::R1bis(_) => Some(LimitedKind::R1bis),
            Message::Error(_) => Some(LimitedKind::Error),
            _ => None,
        }
    }
}

/// The buckets of the messages anyone can make us send: the answers of
/// the stateless responder and Error messages. Messages of our own
/// contexts (I1, I2, Updates, Probes…) are not limited here.
#[derive(Debug, Clone)]
pub struct OutgoingLimits {
    r1: TokenBucket,
    r1bis: TokenBucket,
    error: TokenBucket,
}

impl OutgoingLimits {
    pub fn new(config: &RateLimitsConfig, now: Duration) -> Self {
        OutgoingLimits {
            r1: TokenBucket::new(config.r1, now),
            r1bis: TokenBucket::new(config.r1bis, now),
            error: TokenBucket::new(config.error, now),
        }
    }

    /// `None` when `message` may go; else the kind whose bucket is empty.
    pub fn refuse(&mut self, message: &Message, now: Duration) -> Option<LimitedKind> {
        let kind = LimitedKind::of(message)?;
        let bucket = match kind {
            LimitedKind::R1 => &mut self.r1,
            LimitedKind::R1bis => &mut self.r1bis,
            LimitedKind::Error => &mut self.error,
        };
        (!bucket.take(now)).then_some(kind)
    }
}

#[cfg(test)]
#[path = "rate_limit_tests.rs"]
mod tests;
