//! Command line syntax.

use std::net::Ipv6Addr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};

use crate::monitor::parse_seconds;
use crate::tag::parse_tag;

/// Query and configure the shim6 (RFC 5533) kernel module of this network
/// namespace, and the shim6d daemon (`shim6ctl daemon ...`).  Context tags
/// are taken in decimal or 0x-hex and printed in hex.  Commands that change
/// the module's state need CAP_NET_ADMIN.
#[derive(Debug, Parser)]
#[command(name = "shim6ctl", version, arg_required_else_help = true)]
pub struct Cli {
    /// Print JSON instead of text (one object, or one per line for
    /// `monitor`).
    #[arg(long, global = true)]
    pub json: bool,

    /// Run the commands of FILE ('-': standard input), one a line, on one
    /// netlink socket; stops at the first that fails, naming its line.
    #[arg(short = 'b', long, value_name = "FILE")]
    pub batch: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

/// One line of a batch: a command and its own `--json`.
#[derive(Debug, Parser)]
#[command(name = "shim6ctl", no_binary_name = true)]
pub struct BatchLine {
    #[arg(long)]
    pub json: bool,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the module version and this namespace's counters.
    Info,
    /// Print this namespace's counters.
    Stats,
    /// Add, remove, show and change contexts.
    #[command(subcommand)]
    Ctx(CtxCommand),
    /// Set the context-establishment trigger thresholds given, then print
    /// them.
    Params(ParamsArgs),
    /// Set when traffic with a peer raises a trigger event.
    PeerPolicy {
        /// The peer's address.
        address: Ipv6Addr,
        policy: PolicyName,
    },
    /// Print the module's events, one line each.
    Monitor(MonitorArgs),
    /// Talk to shim6d over its control socket: the contexts it negotiated
    /// (which `ctx` shows as the kernel holds them), its timers, counters
    /// and events.
    Daemon(DaemonArgs),
}

#[derive(Debug, Args)]
pub struct DaemonArgs {
    /// shim6d's control socket (`control_socket` in its configuration).
    #[arg(long, value_name = "PATH", default_value = "/run/shim6d.sock")]
    pub socket: PathBuf,

    #[command(subcommand)]
    pub command: DaemonCommand,
}

#[derive(Debug, Subcommand)]
pub enum DaemonCommand {
    /// The daemon's contexts, one line each.
    List,
    /// One context in detail.
    Show {
        #[arg(value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
        tag: u64,
    },
    /// Forget a context (the kernel's copy goes with it; Shim6 has no
    /// teardown message, the peer keeps its half until its own GC).
    Del {
        #[arg(value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
        tag: u64,
    },
    /// Start a context with a peer (as the kernel's trigger would).
    Connect {
        /// The peer's ULID.
        peer: Ipv6Addr,
        /// Our ULID [default: our first address].
        #[arg(long, value_name = "ADDR")]
        local: Option<Ipv6Addr>,
    },
    /// Change the timers given, then print them all.
    Timers(DaemonTimersArgs),
    /// Send a context's payload on this locator pair until it fails.
    Path {
        #[arg(value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
        tag: u64,
        /// One of our locators.
        local: Ipv6Addr,
        /// One of the peer's locators.
        peer: Ipv6Addr,
    },
    /// The daemon's counters.
    Stats,
    /// Our addresses (ULIDs and locators) and how they were made.
    Identity,
    /// Print the daemon's events, one line each.
    Monitor(MonitorArgs),
}

#[derive(Debug, Args)]
pub struct DaemonTimersArgs {
    /// REAP Send Timeout in seconds (applies to every context at once).
    #[arg(long, value_name = "SECS")]
    pub send_timeout: Option<u64>,
    /// Keepalive Timeout in seconds (refused: the peer announces it).
    #[arg(long, value_name = "SECS")]
    pub keepalive_timeout: Option<u64>,
    /// I1 retransmissions before a peer counts as without Shim6.
    #[arg(long, value_name = "N")]
    pub i1_retries: Option<u32>,
    /// Seconds without traffic before a context is removed.
    #[arg(long, value_name = "SECS")]
    pub idle_gc: Option<u64>,
}

#[derive(Debug, Subcommand)]
pub enum CtxCommand {
    /// Install a context.
    Add(CtxAddArgs),
    /// Remove a context.
    Del {
        #[arg(value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
        tag: u64,
    },
    /// Show all contexts (a table) or one (in detail).
    Show {
        #[arg(value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
        tag: Option<u64>,
    },
    /// Send on another locator pair.
    SetPath {
        #[arg(value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
        tag: u64,
        /// Our locator (our ULID for the null mapping).
        local: Ipv6Addr,
        /// The peer's locator (its ULID for the null mapping).
        peer: Ipv6Addr,
    },
    /// Change a context's Send or Keepalive timeout.
    SetTimers(SetTimersArgs),
    /// Change a context's peer tag or locator sets.
    Update(UpdateArgs),
}

#[derive(Debug, Args)]
pub struct CtxAddArgs {
    /// The tag we allocated (47 bits).
    #[arg(long, value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
    pub local_tag: u64,
    /// The tag the peer allocated (47 bits).
    #[arg(long, value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
    pub peer_tag: u64,
    #[arg(long, value_name = "ADDR")]
    pub local_ulid: Ipv6Addr,
    #[arg(long, value_name = "ADDR")]
    pub peer_ulid: Ipv6Addr,
    /// Our current locator [default: the local ULID].
    #[arg(long, value_name = "ADDR")]
    pub local_locator: Option<Ipv6Addr>,
    /// The peer's current locator [default: the peer ULID].
    #[arg(long, value_name = "ADDR")]
    pub peer_locator: Option<Ipv6Addr>,
    /// Our locators, comma-separated [default: the ULID and the current
    /// locator].
    #[arg(long, value_name = "ADDR,...", value_delimiter = ',')]
    pub local_locators: Option<Vec<Ipv6Addr>>,
    /// The peer's locators, comma-separated [default: the ULID and the
    /// current locator].
    #[arg(long, value_name = "ADDR,...", value_delimiter = ',')]
    pub peer_locators: Option<Vec<Ipv6Addr>>,
    /// Send Timeout in milliseconds [default: 15000].
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub send_timeout: Option<u32>,
    /// Keepalive Timeout in milliseconds [default: 15000].
    #[arg(long, value_name = "MS", allow_negative_numbers = true)]
    pub keepalive_timeout: Option<u32>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("timers").required(true).multiple(true)))]
pub struct SetTimersArgs {
    #[arg(value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
    pub tag: u64,
    /// Send Timeout in milliseconds.
    #[arg(
        long,
        value_name = "MS",
        allow_negative_numbers = true,
        group = "timers"
    )]
    pub send_timeout: Option<u32>,
    /// Keepalive Timeout in milliseconds.
    #[arg(
        long,
        value_name = "MS",
        allow_negative_numbers = true,
        group = "timers"
    )]
    pub keepalive_timeout: Option<u32>,
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("changes").required(true).multiple(true)))]
pub struct UpdateArgs {
    #[arg(value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true)]
    pub tag: u64,
    /// The peer's new tag.
    #[arg(long, value_parser = parse_tag, value_name = "TAG", allow_negative_numbers = true, group = "changes")]
    pub peer_tag: Option<u64>,
    /// Our locators, comma-separated.
    #[arg(
        long,
        value_name = "ADDR,...",
        value_delimiter = ',',
        group = "changes"
    )]
    pub local_locators: Option<Vec<Ipv6Addr>>,
    /// The peer's locators, comma-separated.
    #[arg(
        long,
        value_name = "ADDR,...",
        value_delimiter = ',',
        group = "changes"
    )]
    pub peer_locators: Option<Vec<Ipv6Addr>>,
}

#[derive(Debug, Args)]
pub struct ParamsArgs {
    /// Bytes of traffic with a peer before a trigger event.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub trigger_bytes: Option<u32>,
    /// Seconds of traffic with a peer before a trigger event.
    #[arg(long, value_name = "N", allow_negative_numbers = true)]
    pub trigger_seconds: Option<u32>,
}

#[derive(Debug, Args)]
pub struct MonitorArgs {
    /// Exit after this many events.
    #[arg(long, value_name = "N", allow_negative_numbers = true, value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,
    /// Exit after this many seconds (with status 1 if --count events did
    /// not all come).
    #[arg(long, value_name = "SECS", allow_negative_numbers = true, value_parser = parse_seconds)]
    pub timeout: Option<Duration>,
}

/// A trigger policy, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyName {
    /// Trigger at the thresholds of `params`.
    Default,
    /// Never trigger.
    Never,
    /// Trigger on the first packet.
    Immediate,
}

impl From<PolicyName> for shim6_netlink::TriggerPolicy {
    fn from(name: PolicyName) -> Self {
        match name {
            PolicyName::Default => shim6_netlink::TriggerPolicy::Default,
            PolicyName::Never => shim6_netlink::TriggerPolicy::Never,
            PolicyName::Immediate => shim6_netlink::TriggerPolicy::Immediate,
        }
    }
}
