//! cgatool: generate, inspect and verify CGAs (RFC 3972) and HBA sets (RFC 5535).
#![forbid(unsafe_code)]

mod cli;
mod cmd;
mod error;
mod files;
mod progress;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    match cmd::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("cgatool: error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}
