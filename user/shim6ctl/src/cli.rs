//! Command line syntax.

use clap::{Parser, Subcommand};

/// Query the shim6 (RFC 5533) kernel module of this network namespace.
#[derive(Debug, Parser)]
#[command(name = "shim6ctl", version)]
pub struct Cli {
    /// Print one JSON object instead of text.
    #[arg(long, global = true)]
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
}
