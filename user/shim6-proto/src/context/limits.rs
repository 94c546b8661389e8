//! Bounds on the state a host keeps for others (RFC 5533 §16: a
//! responder must not let strangers make it keep state).

/// How much a [`Host`](super::Host) may keep. The defaults suit a busy
/// server; tests shrink them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostLimits {
    /// Contexts of any state; establishment beyond it is refused (an I2
    /// gets no R2, a trigger gets [`StartError::ContextLimit`](super::StartError)).
    pub max_contexts: usize,
    /// Contexts we initiated that have no answer yet (I1-SENT, I2-SENT),
    /// per peer /64.
    pub max_half_open_per_prefix: usize,
    /// Peers that never answered our I1s, remembered so that new flows to
    /// them start no context for the No-R1 hold-down. Oldest forgotten first.
    pub negative_cache_size: usize,
}

impl Default for HostLimits {
    fn default() -> Self {
        HostLimits { max_contexts: 100_000, max_half_open_per_prefix: 64, negative_cache_size: 4096 }
    }
}
