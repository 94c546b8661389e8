//! Command line syntax.

use std::net::Ipv6Addr;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::prefix::Prefix;

/// Off-path attacker for the VM tests: sends crafted Shim6 control
/// messages from any source address (raw socket, IPV6_HDRINCL) and prints
/// what it sent and what came back as one JSON line. Exits 0 when it ran,
/// whether or not the attack worked.
#[derive(Debug, Parser)]
#[command(name = "shim6-attack", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Try to redirect a victim's ULID pair to ourselves (finding C1): an
    /// I1 whose ULID Pair names --victim-ulid as the sender, then an I2
    /// echoing the R1's validator with no Locator List; or, with
    /// --via i2bis, a Keepalive with an unknown tag for an R1bis, then an
    /// I2bis. Optionally the same I2/I2bis again from a spoofed source.
    Redirect(RedirectArgs),
    /// I1s with fresh tags from random spoofed sources: each asks for an
    /// R1 (to the spoofed source).
    FloodI1(FloodArgs),
    /// Keepalives with unknown tags from random spoofed sources: each
    /// asks for an R1bis (to the spoofed source).
    FloodKeepalive(FloodArgs),
    /// Complete handshakes (I1, R1, I2 without Locator List) from many
    /// addresses of a prefix that routes to us: each one a context the
    /// responder keeps.
    FloodHandshake(HandshakeFloodArgs),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Via {
    /// I1, R1, I2.
    I2,
    /// Keepalive with an unknown tag, R1bis, I2bis.
    I2bis,
}

#[derive(Debug, Args)]
pub struct RedirectArgs {
    /// The responder attacked (its ULID; messages go there).
    #[arg(long)]
    pub responder: Ipv6Addr,
    /// Our own address: the answers must reach us here.
    #[arg(long)]
    pub from: Ipv6Addr,
    /// The ULID claimed as the sender's: whose traffic we want.
    #[arg(long)]
    pub victim_ulid: Ipv6Addr,
    /// The receiver ULID claimed (default: --responder).
    #[arg(long)]
    pub receiver_ulid: Option<Ipv6Addr>,
    #[arg(long, value_enum, default_value = "i2")]
    pub via: Via,
    /// Send the same I2 (I2bis) again from this spoofed source.
    #[arg(long, value_name = "ADDR")]
    pub spoofed_replay: Option<Ipv6Addr>,
    /// How long to wait for each answer (R1 or R1bis, then R2).
    #[arg(long, default_value_t = 4000, value_name = "MS")]
    pub wait_ms: u64,
}

#[derive(Debug, Args)]
pub struct FloodArgs {
    /// The responder flooded.
    #[arg(long)]
    pub responder: Ipv6Addr,
    /// Sources are random addresses of this prefix.
    #[arg(long, value_name = "PREFIX")]
    pub spoof_prefix: Prefix,
    /// Messages per second.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub rate: u64,
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
}

#[derive(Debug, Args)]
pub struct HandshakeFloodArgs {
    /// The responder flooded.
    #[arg(long)]
    pub responder: Ipv6Addr,
    /// Our prefix: handshake N comes from host part FIRST_HOST + N. It must
    /// route to this namespace, which must accept every address of it.
    #[arg(long, value_name = "PREFIX")]
    pub from_prefix: Prefix,
    #[arg(long, default_value_t = 0x1000, value_name = "N")]
    pub first_host: u128,
    /// Handshakes to attempt.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub count: u64,
    /// I1s per second.
    #[arg(long, default_value_t = 50, value_parser = clap::value_parser!(u64).range(1..=1_000_000))]
    pub rate: u64,
    /// Stop after this long, answered or not.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub seconds: u64,
}
