//! The daemon's clock and random source, as the protocol core wants them.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngCore, SeedableRng};
use shim6_proto::random::RandomSource;

/// Monotonic time as a `Duration` since daemon start: the protocol core's
/// time type. Wall-clock jumps cannot move timers.
#[derive(Debug, Clone, Copy)]
pub struct MonotonicClock {
    start: Instant,
}

impl MonotonicClock {
    pub fn start() -> Self {
        MonotonicClock {
            start: Instant::now(),
        }
    }

    pub fn now(&self) -> Duration {
        self.start.elapsed()
    }
}

/// Where time comes from, for the parts that keep it themselves (the
/// rate-limited verifier, owned by the core): tests inject a [`ManualClock`].
pub trait Clock {
    fn now(&self) -> Duration;
}

impl Clock for MonotonicClock {
    fn now(&self) -> Duration {
        MonotonicClock::now(self)
    }
}

/// A clock moved by hand (tests and benchmarks); clones share the time.
#[derive(Debug, Clone, Default)]
pub struct ManualClock(Rc<Cell<Duration>>);

impl ManualClock {
    pub fn set(&self, now: Duration) {
        self.0.set(now);
    }

    pub fn advance(&self, by: Duration) {
        self.0.set(self.0.get().saturating_add(by));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        self.0.get()
    }
}

/// ChaCha-based CSPRNG seeded from the OS: context tags, nonces and
/// validator secrets must be unguessable (RFC 5533 §7.1).
pub struct OsRandom {
    rng: StdRng,
}

impl OsRandom {
    pub fn new() -> Self {
        OsRandom {
            rng: StdRng::from_entropy(),
        }
    }
}

impl Default for OsRandom {
    fn default() -> Self {
        Self::new()
    }
}

impl RandomSource for OsRandom {
    fn next_u64(&mut self) -> u64 {
        self.rng.next_u64()
    }
}
