//! REAP failure detection and path exploration (RFC 5534).
//!
//! * [`FailureDetector`]: the Send/Keepalive timers (also run by the kernel).
//! * [`ReapMachine`]: the per-context state machine driving probes.
//! * [`exploration_order`], [`ProbeSchedule`]: which pair to probe, and when.

mod exploration_order;
mod failure_detector;
mod locator_pair;
mod machine;
mod probe_history;
mod probe_schedule;

pub use exploration_order::exploration_order;
pub use failure_detector::{DetectorEvent, FailureDetector, OperationalDetection};
pub use locator_pair::LocatorPair;
pub use machine::{ProbeToSend, ReapConfig, ReapMachine, ReapOutput, ReceivedProbe};
pub use probe_history::ProbeHistory;
pub use probe_schedule::{jitter, ProbeSchedule};

pub use crate::wire::ReapState;
