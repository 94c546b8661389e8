//! Command-line syntax.

use clap::{ArgGroup, Args, Parser, Subcommand};
use std::net::Ipv6Addr;
use std::path::PathBuf;

#[derive(Parser, Debug)]
#[command(
    name = "cgatool",
    version,
    about = "Generate, inspect and verify CGAs (RFC 3972) and HBA sets (RFC 5535)"
)]
pub struct Cli {
    /// Print results as JSON on stdout.
    #[arg(long, global = true)]
    pub json: bool,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Generate an RSA key pair (PKCS#8 PEM).
    Genkey(GenkeyArgs),
    /// Generate a CGA on a /64 prefix.
    Gen(GenArgs),
    /// Generate an HBA set, one address per prefix.
    Hba(HbaArgs),
    /// Verify an address against CGA parameters (CGA or HBA-set membership).
    Verify(VerifyArgs),
    /// Print CGA parameters in readable form.
    Show(ShowArgs),
}

#[derive(Args, Debug)]
pub struct GenkeyArgs {
    #[arg(long, default_value_t = 2048)]
    pub bits: usize,
    #[arg(long)]
    pub out: PathBuf,
}

#[derive(Args, Debug)]
pub struct GenArgs {
    /// PEM private key (from `cgatool genkey` or OpenSSL).
    #[arg(long)]
    pub key: PathBuf,
    /// The /64 subnet prefix, e.g. 2001:db8:1::/64.
    #[arg(long)]
    pub prefix: String,
    #[arg(long, default_value_t = 1)]
    pub sec: u8,
    /// Worker threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Write the CGA parameters (binary) here.
    #[arg(long)]
    pub out: Option<PathBuf>,
}

#[derive(Args, Debug)]
#[command(group(ArgGroup::new("key_source").required(true).args(["key", "no_key"])))]
pub struct HbaArgs {
    /// PEM private key: a CGA-compatible HBA set (P = 1).
    #[arg(long)]
    pub key: Option<PathBuf>,
    /// No key: a pure HBA set with a random Extended Modifier (P = 0).
    #[arg(long)]
    pub no_key: bool,
    /// A /64 prefix of the set; repeat for each prefix.
    #[arg(long = "prefix", required = true)]
    pub prefixes: Vec<String>,
    #[arg(long, default_value_t = 1)]
    pub sec: u8,
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Write each address's parameters to DIR/hba-<n>.params (n from 1).
    #[arg(long)]
    pub out_dir: Option<PathBuf>,
}

#[derive(Args, Debug)]
pub struct VerifyArgs {
    #[arg(long)]
    pub addr: Ipv6Addr,
    #[arg(long)]
    pub params: PathBuf,
    /// Require the address to encode exactly this Sec.
    #[arg(long)]
    pub sec: Option<u8>,
}

#[derive(Args, Debug)]
pub struct ShowArgs {
    #[arg(long)]
    pub params: PathBuf,
}
