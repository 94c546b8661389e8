//! The control channel: newline-delimited JSON over a Unix socket.
//!
//! * [`protocol`]: requests, replies and events (shared with clients);
//! * [`server`]: the daemon side, non-blocking, driven by the event loop;
//! * [`client`]: a small blocking client for `shim6ctl` and the tests.

pub mod client;
pub mod protocol;
pub mod server;
