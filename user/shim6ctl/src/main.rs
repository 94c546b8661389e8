//! `shim6ctl`: query the shim6 kernel module over generic netlink.
//!
//! Exit status: 0 on success, 1 when the request fails (module not loaded,
//! refused by the kernel, ...), 2 on a usage error.

mod cli;
mod output;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use shim6_netlink::Client;

use cli::{Cli, Command};

fn run(cli: &Cli) -> Result<String, shim6_netlink::Error> {
    let info = Client::connect()?.get_info()?;
    Ok(match (&cli.command, cli.json) {
        (Command::Info, false) => output::info_text(&info),
        (Command::Info, true) => output::info_json(&info),
        (Command::Stats, false) => output::stats_text(&info.stats),
        (Command::Stats, true) => output::stats_json(&info.stats),
    })
}

fn main() -> ExitCode {
    // Usage errors exit with 2, --help and --version with 0.
    let cli = Cli::parse();
    let text = match run(&cli) {
        Ok(text) => text,
        Err(error) => {
            eprintln!("shim6ctl: {error}");
            return ExitCode::from(1);
        }
    };
    match io::stdout().lock().write_all(text.as_bytes()) {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`shim6ctl info | head -1`) is the reader's choice.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shim6ctl: cannot write output: {error}");
            ExitCode::from(1)
        }
    }
}
