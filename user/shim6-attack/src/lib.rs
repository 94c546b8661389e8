//! `shim6-attack`: an off-path attacker for the VM tests. It sends crafted
//! Shim6 control messages (built with `shim6_proto::wire`, so they are
//! what a real peer would send, byte for byte) from any source address it
//! likes, and counts what comes back. The VM scenarios judge the outcome.
//!
//! * `forge`: the messages of each attack (I1 naming someone else's ULID,
//!   I2/I2bis answering an R1/R1bis without a Locator List, Keepalives
//!   with made-up tags);
//! * `ipv6_header`: the IPv6 header written by hand, so the source can be
//!   any address (IPV6_HDRINCL);
//! * `spoofing_socket`: the raw protocol-140 socket that sends those
//!   datagrams and receives the answers;
//! * `prefix`, `pacing`: addresses in a prefix, a fixed sending rate;
//! * `attacks`: the subcommands; `tally`: the JSON line they print.

#![forbid(unsafe_code)]

pub mod attacks;
pub mod cli;
pub mod forge;
pub mod ipv6_header;
pub mod pacing;
pub mod prefix;
pub mod spoofing_socket;
pub mod tally;
