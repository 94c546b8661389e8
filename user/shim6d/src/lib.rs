//! `shim6d`: the Shim6 daemon (RFC 5533 context establishment, CGA/HBA of
//! RFC 3972/5535) around the sans-IO protocol core of `shim6-proto`.
//!
//! The library part holds everything, so that `shim6ctl` can reuse the
//! control-channel client ([`control::client`]) and its message types, and
//! the tests can drive the pieces; `main.rs` only parses arguments.
#![deny(unsafe_code)]

pub mod cli;
pub mod config;
pub mod control;
pub mod daemon;
pub mod hex;
pub mod identity;
pub mod identity_worker;
pub mod kernel;
pub mod kernel_changes;
mod kernel_link;
pub mod kernel_sync;
pub mod limits_config;
pub mod local_locators;
pub mod logger;
pub mod prefixes;
pub mod rate_limit;
pub mod reload;
mod requests;
pub mod runtime;
pub mod service;
pub mod state_dir;
pub mod stats;
pub mod sys;
pub mod systemd_notify;
pub mod throttled_verifier;
pub mod verdict_cache;
pub mod verifier;
