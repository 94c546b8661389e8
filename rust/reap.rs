// SPDX-License-Identifier: GPL-2.0

//! REAP failure detection (RFC 5534 §6): the Send and Keepalive timers of
//! a context, updated on every packet.
//!
//! The rules are those of `shim6_proto::reap::FailureDetector` (user/), so
//! the daemon's model and the kernel agree:
//! 1. outbound payload starts the Send timer if it is not running (never
//!    restarts it) and, in Operational, stops the Keepalive timer;
//! 2. any inbound packet stops the Send timer; inbound payload starts the
//!    Keepalive timer in Operational if it is not running, and moves
//!    Exploring to InboundOk;
//! 3. while the Keepalive timer runs a Keepalive is due every third of the
//!    Keepalive Timeout, and a last one when it expires;
//! 4. Send timer expiry moves the context to Exploring, where no timer
//!    runs, and is reported to the daemon, which explores and installs a
//!    new pair (which brings the context back to Operational).
//!
//! Times are `jiffies`; deadlines saturate rather than trap, since they
//! are sums of a clock read and a timeout the daemon chose.

use crate::context::Timeouts;
use core::num::NonZeroU64;

/// A deadline in `jiffies`, or none.  `jiffies` is never 0 on 64-bit
/// (it starts near 2^32 and does not wrap), so the zero niche costs
/// nothing and keeps each deadline at 8 octets (a context's size counts).
type Deadline = Option<NonZeroU64>;

/// REAP states (RFC 5534 §6), numbered as the `reap-state` attribute.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum ReapState {
    Operational = 0,
    Exploring = 1,
    InboundOk = 2,
}

/// What a timer expiry asks for.
#[derive(Default)]
pub(crate) struct Due {
    pub(crate) send_keepalive: bool,
    pub(crate) send_timeout: bool,
}

/// The failure detector of one context.
pub(crate) struct Reap {
    pub(crate) state: ReapState,
    send_deadline: Deadline,
    keepalive_end: Deadline,
    next_keepalive: Deadline,
}

fn ms_to_jiffies(ms: u32) -> u64 {
    crate::sys::time::ms_to_jiffies(ms)
}

impl Reap {
    pub(crate) const fn new() -> Self {
        Reap { state: ReapState::Operational, send_deadline: None, keepalive_end: None, next_keepalive: None }
    }

    /// The earliest deadline, for the timer.
    pub(crate) fn next_deadline(&self) -> Option<u64> {
        [self.send_deadline, self.next_keepalive, self.keepalive_end].into_iter().flatten().min().map(NonZeroU64::get)
    }

    /// Rule 1.  Returns a deadline to arm the timer for, if one was set.
    pub(crate) fn outbound_payload(&mut self, now: u64, t: &Timeouts) -> Option<u64> {
        if self.state == ReapState::Exploring {
            return None;
        }
        if self.state == ReapState::Operational {
            self.keepalive_end = None;
            self.next_keepalive = None;
        }
        if self.send_deadline.is_none() {
            self.send_deadline = NonZeroU64::new(now.saturating_add(ms_to_jiffies(t.send_ms)));
            return self.send_deadline.map(NonZeroU64::get);
        }
        None
    }

    /// Rule 2.  Returns a deadline to arm the timer for, if one was set.
    /// Payload while Exploring means the peer reaches us: InboundOk
    /// (RFC 5534 §6); the daemon is told and finishes the exploration.
    pub(crate) fn inbound(&mut self, now: u64, payload: bool, t: &Timeouts) -> Option<u64> {
        self.send_deadline = None;
        if payload && self.state == ReapState::Exploring {
            self.state = ReapState::InboundOk;
        }
        if payload && self.state == ReapState::Operational && self.keepalive_end.is_none() {
            let interval = ms_to_jiffies(t.keepalive_ms / 3).max(1);
            self.keepalive_end = NonZeroU64::new(now.saturating_add(ms_to_jiffies(t.keepalive_ms)));
            self.next_keepalive = NonZeroU64::new(now.saturating_add(interval));
            return self.next_keepalive.map(NonZeroU64::get);
        }
        None
    }

    /// Rules 3 and 4, at `now`.
    pub(crate) fn expire(&mut self, now: u64, t: &Timeouts) -> Due {
        let mut due = Due::default();
        if self.send_deadline.is_some_and(|d| now >= d.get()) {
            self.state = ReapState::Exploring;
            self.send_deadline = None;
            self.keepalive_end = None;
            self.next_keepalive = None;
            due.send_timeout = true;
            return due;
        }
        if let (Some(next), Some(end)) = (self.next_keepalive.map(NonZeroU64::get), self.keepalive_end.map(NonZeroU64::get)) {
            if now >= end {
                due.send_keepalive = true;
                self.keepalive_end = None;
                self.next_keepalive = None;
            } else if now >= next {
                due.send_keepalive = true;
                let interval = ms_to_jiffies(t.keepalive_ms / 3).max(1);
                self.next_keepalive = NonZeroU64::new(next.saturating_add(interval).min(end));
            }
        }
        due
    }

    /// A new locator pair from the daemon: back to Operational, no timer.
    pub(crate) fn reset(&mut self) {
        *self = Reap::new();
    }
}
