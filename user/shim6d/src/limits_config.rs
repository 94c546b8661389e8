//! The `[limits]` and `[rate_limits]` sections: how much state and work
//! strangers can make the daemon keep or do (RFC 5533 §16).

use serde::{Deserialize, Serialize};
use shim6_proto::context::HostLimits;

/// Largest value any limit takes: far above what one host can serve, low
/// enough that a typo (an extra digit or ten) is caught.
pub const MAX_LIMIT: u64 = 100_000_000;

/// `[limits]`: caps on the protocol core's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct LimitsConfig {
    /// Contexts in any state; more establishments are refused.
    pub max_contexts: u64,
    /// Contexts we started that have no answer yet, per peer /64.
    pub max_half_open_per_prefix: u64,
    /// Peers without Shim6 remembered so that they cost no more I1s.
    pub negative_cache_size: u64,
}

/// One token bucket: `per_second` tokens come back each second, up to
/// `burst` saved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BucketConfig {
    pub per_second: u64,
    pub burst: u64,
}

/// `[rate_limits]`: what the daemon sends to, or checks for, anyone who
/// asks (M4 of the security review: reflection and CPU exhaustion).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct RateLimitsConfig {
    /// R1s, the stateless answer to every I1.
    pub r1: BucketConfig,
    /// R1bis, the answer to a message with a tag we do not know.
    pub r1bis: BucketConfig,
    /// Error messages (malformed input, refused Locator Lists).
    pub error: BucketConfig,
    /// CGA signature or HBA checks of peers' Locator Lists (the RSA work);
    /// a list verified before and seen again costs none.
    pub verification: BucketConfig,
}

impl Default for LimitsConfig {
    fn default() -> Self {
        let core = HostLimits::default();
        LimitsConfig {
            max_contexts: core.max_contexts as u64,
            max_half_open_per_prefix: core.max_half_open_per_prefix as u64,
            negative_cache_size: core.negative_cache_size as u64,
        }
    }
}

impl Default for RateLimitsConfig {
    fn default() -> Self {
        let messages = BucketConfig {
            per_second: 100,
            burst: 200,
        };
        RateLimitsConfig {
            r1: messages,
            r1bis: messages,
            error: messages,
            verification: BucketConfig {
                per_second: 50,
                burst: 100,
            },
        }
    }
}

fn at_most_max(key: &'static str, value: u64, least: u64) -> Result<(), (&'static str, String)> {
    if (least..=MAX_LIMIT).contains(&value) {
        Ok(())
    } else {
        Err((
            key,
            format!("{value} is out of range {least}..={MAX_LIMIT}"),
        ))
    }
}

impl LimitsConfig {
    /// The error names the key.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        at_most_max("limits.max_contexts", self.max_contexts, 1)?;
        at_most_max(
            "limits.max_half_open_per_prefix",
            self.max_half_open_per_prefix,
            1,
        )?;
        // 0 is allowed: no negative cache (every new flow to a peer
        // without Shim6 costs I1s again).
        at_most_max("limits.negative_cache_size", self.negative_cache_size, 0)?;
        if self.max_half_open_per_prefix > self.max_contexts {
            return Err((
                "limits.max_half_open_per_prefix",
                format!(
                    "{} is above limits.max_contexts ({})",
                    self.max_half_open_per_prefix, self.max_contexts
                ),
            ));
        }
        Ok(())
    }

    /// The core's limits; values were range-checked, and a `usize` that
    /// cannot hold one (32-bit hosts) saturates.
    pub fn host_limits(&self) -> HostLimits {
        let size = |value: u64| usize::try_from(value).unwrap_or(usize::MAX);
        HostLimits {
            max_contexts: size(self.max_contexts),
            max_half_open_per_prefix: size(self.max_half_open_per_prefix),
            negative_cache_size: size(self.negative_cache_size),
        }
    }
}

impl RateLimitsConfig {
    /// The error names the key (`rate_limits.r1.burst`, …).
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        for (rate_key, burst_key, bucket) in [
            ("rate_limits.r1.per_second", "rate_limits.r1.burst", self.r1),
            (
                "rate_limits.r1bis.per_second",
                "rate_limits.r1bis.burst",
                self.r1bis,
            ),
            (
                "rate_limits.error.per_second",
                "rate_limits.error.burst",
                self.error,
            ),
            (
                "rate_limits.verification.per_second",
                "rate_limits.verification.burst",
                self.verification,
            ),
        ] {
            at_most_max(rate_key, bucket.per_second, 1)?;
            at_most_max(burst_key, bucket.burst, 1)?;
        }
        Ok(())
    }
}
