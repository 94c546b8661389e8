//! Protocol timers and limits of RFC 5533 §14 and RFC 5534 §7 / §4.3, kept in
//! one place so the daemon, the kernel port and the tests agree on them.

use core::time::Duration;

// ---- RFC 5533 §14: context establishment and updates ----

/// Retransmissions of I1 after the first one before giving up (E-FAILED).
pub const I1_RETRIES_MAX: u32 = 4;
pub const I1_TIMEOUT: Duration = Duration::from_secs(4);
/// How long a failed establishment (no R1) blocks new attempts.
pub const NO_R1_HOLDDOWN_TIME: Duration = Duration::from_secs(60);
/// How long an ICMP "unrecognised Next Header" blocks new attempts.
pub const ICMP_HOLDDOWN_TIME: Duration = Duration::from_secs(600);
pub const I2_TIMEOUT: Duration = Duration::from_secs(4);
pub const I2_RETRIES_MAX: u32 = 2;
pub const I2BIS_TIMEOUT: Duration = Duration::from_secs(4);
pub const I2BIS_RETRIES_MAX: u32 = 2;
/// Responder nonces at least this old must still be accepted in I2/I2bis.
pub const VALIDATOR_MIN_LIFETIME: Duration = Duration::from_secs(30);
pub const UPDATE_TIMEOUT: Duration = Duration::from_secs(4);
/// Cap of the Update Request back-off; updates are retried forever.
pub const MAX_UPDATE_TIMEOUT: Duration = Duration::from_secs(120);

/// Responder secret rotation period. Both the current and the previous
/// secret are accepted, so a validator lives between one and two periods;
/// one period must cover VALIDATOR_MIN_LIFETIME.
pub const VALIDATOR_SECRET_LIFETIME: Duration = VALIDATOR_MIN_LIFETIME;

// ---- RFC 5534 §7 and §4.3: failure detection and exploration ----

pub const DEFAULT_SEND_TIMEOUT: Duration = Duration::from_secs(15);
/// Used as Keepalive Timeout when the peer sent no Keepalive Timeout option.
pub const DEFAULT_KEEPALIVE_TIMEOUT: Duration = Duration::from_secs(15);
/// Keepalive Interval = Keepalive Timeout / this (RFC allows 1/3 to 1/2).
pub const KEEPALIVE_INTERVAL_DIVISOR: u32 = 3;
pub const INITIAL_PROBE_TIMEOUT: Duration = Duration::from_millis(500);
pub const INITIAL_PROBES: u32 = 4;
pub const MAX_PROBE_TIMEOUT: Duration = Duration::from_secs(60);
/// Probe intervals are randomised by ±this many percent (RFC 5534 leaves
/// the amount open; 20 % is what the reference implementation uses).
pub const PROBE_JITTER_PERCENT: u32 = 20;
/// Psent and Precvd are 4-bit fields.
pub const MAX_PROBE_REPORTS: usize = 15;
