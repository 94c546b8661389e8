//! One module per subcommand, plus the helpers they share.

mod gen;
mod genkey;
mod hba;
mod show;
mod verify;

use crate::cli::{Cli, Command};
use crate::error::{fail, CliError};
use shim6_cga::{parse_prefix64, GenerateError, Prefix64, SearchError, Sec};

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Genkey(args) => genkey::run(args, cli.json),
        Command::Gen(args) => gen::run(args, cli.json),
        Command::Hba(args) => hba::run(args, cli.json),
        Command::Verify(args) => verify::run(args, cli.json),
        Command::Show(args) => show::run(args, cli.json),
    }
}

fn parse_sec(value: u8) -> Result<Sec, CliError> {
    Sec::new(value).map_err(|e| fail!("wrong Sec: {e}"))
}

/// More threads than this is surely a typo, not a machine.
const MAX_THREADS: usize = 1024;

fn check_threads(threads: usize) -> Result<usize, CliError> {
    if threads > MAX_THREADS {
        return Err(fail!(
            "--threads {threads} is more than the supported {MAX_THREADS}"
        ));
    }
    Ok(threads)
}

fn parse_prefix(text: &str) -> Result<Prefix64, CliError> {
    parse_prefix64(text).map_err(|e| fail!("{e}"))
}

fn generation_error(error: GenerateError) -> CliError {
    match error {
        GenerateError::Search(SearchError::Cancelled {
            modifiers_tried,
            elapsed,
        }) => CliError::Cancelled(format!(
            "cancelled after {modifiers_tried} modifiers in {:.1} s",
            elapsed.as_secs_f64()
        )),
        other => fail!("{other}"),
    }
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn print_json(value: &serde_json::Value) {
    // A Value always serialises.
    println!(
        "{}",
        serde_json::to_string_pretty(value).unwrap_or_default()
    );
}
