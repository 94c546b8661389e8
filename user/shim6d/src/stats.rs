//! Counters the daemon exposes over the control channel (`stats`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::rate_limit::LimitedKind;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stats {
    /// Control messages received and parsed.
    pub rx_messages: u64,
    /// Received packets refused by the codec, by reason.
    pub rx_malformed: BTreeMap<String, u64>,
    /// Payload headers (P = 1) that reached the socket anyway; always 0
    /// while the socket filter works.
    pub rx_payload_ignored: u64,
    /// Control messages the raw socket dropped, its receive queue full
    /// (SO_RXQ_OVFL): a flood outran the daemon.
    pub rx_queue_overflows: u64,
    /// Control messages dropped because our addresses are not ready yet.
    pub rx_before_identity: u64,
    pub tx_messages: u64,
    pub tx_errors: u64,
    /// Error messages we sent for malformed input (RFC 5533 §5.14).
    pub tx_error_replies: u64,
    pub verification: VerificationStats,
    pub contexts_established: u64,
    pub contexts_failed: u64,
    pub contexts_garbage_collected: u64,
    /// Kernel contexts of a previous run replaced by a recovered context.
    pub contexts_recovered: u64,
    /// Commands given to the kernel module, and those it refused.
    pub kernel_commands: u64,
    pub kernel_errors: u64,
    /// Events from the kernel module, by name.
    pub kernel_events: BTreeMap<String, u64>,
    /// Times the kernel's events overran our socket (events lost).
    pub kernel_events_lost: u64,
    /// Kernel triggers not acted on (not our ULID, held down, exists).
    pub triggers_ignored: u64,
    /// Keepalives the core asked for; the module sends them instead.
    pub keepalives_left_to_kernel: u64,
    /// rtnetlink datagrams from a sender other than the kernel (forged
    /// address events), dropped.
    pub address_events_forged: u64,
    /// Changes of our locator set (each one an Update Request per context).
    pub local_locator_changes: u64,
    /// Control clients refused: neither root nor the daemon's uid.
    pub control_clients_refused: u64,
    /// What the token buckets of `[rate_limits]` stopped.
    pub rate_limited: RateLimitedStats,
    /// What the protocol core refused, by reason (limits, failed checks).
    pub core_refused: BTreeMap<String, u64>,
    /// Contexts the core holds now, in any state.
    pub live_contexts: u64,
}

/// Messages not sent, and Locator List checks not run, for want of a token.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RateLimitedStats {
    pub r1: u64,
    pub r1bis: u64,
    pub error: u64,
    pub verification: u64,
}

impl RateLimitedStats {
    pub fn count(&mut self, kind: LimitedKind) {
        match kind {
            LimitedKind::R1 => self.r1 += 1,
            LimitedKind::R1bis => self.r1bis += 1,
            LimitedKind::Error => self.error += 1,
        }
    }
}

/// Locator List checks, both directions.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VerificationStats {
    /// Peer Locator Lists accepted whose ULID is a CGA (signature checked).
    pub cga_verified: u64,
    /// Peer Locator Lists accepted whose ULID is in an HBA set.
    pub hba_verified: u64,
    /// Peer Locator Lists refused, by reason.
    pub rejected: BTreeMap<String, u64>,
    /// Signatures made over our own Locator List: one per locator set.
    pub signatures_made: u64,
    pub signatures_reused: u64,
    /// Peer Locator Lists accepted from the cache of verified lists, with
    /// no RSA or HBA work (a replayed I2 or Update Request).
    pub cache_hits: u64,
    /// Peer Locator Lists refused because the verification budget
    /// (`rate_limits.verification`) was spent.
    pub rate_limited: u64,
}

impl VerificationStats {
    pub fn rejected_total(&self) -> u64 {
        self.rejected.values().sum()
    }
}

pub fn bump(map: &mut BTreeMap<String, u64>, reason: &str) {
    *map.entry(reason.to_owned()).or_default() += 1;
}
