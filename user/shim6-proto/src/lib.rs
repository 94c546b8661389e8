//! Shim6 (RFC 5533) and REAP (RFC 5534) protocol core: wire format and state
//! machines, sans-IO. Nothing here reads a clock or touches a socket: callers
//! pass time in and get packets and timer deadlines out.
#![forbid(unsafe_code)]

pub mod constants;
pub mod context;
pub mod random;
pub mod reap;
pub mod sim;
pub mod wire;
