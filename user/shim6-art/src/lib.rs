//! shim6-art: measures the application recovery time (ART) of a path
//! failure the way an application sees it.
//!
//! A sender writes small numbered, timestamped records at a steady rate
//! (TCP, MPTCP or UDP); the receiver notes when data arrives, on its own
//! monotonic clock, and reports the silences between arrivals: the longest
//! one is the ART, from the last byte before the failure to the first byte
//! after it.

pub mod cli;
pub mod gaps;
pub mod net;
pub mod receiver;
pub mod record;
pub mod report;
pub mod sender;
pub mod sequence;
