//! `shim6d [--config FILE] [--check-config]`
//!
//! Exit status: 0 after `--check-config` or `--help`, 1 on a runtime
//! failure, 2 on a usage or configuration error.

use std::path::PathBuf;
use std::process::ExitCode;

use shim6d::config::Config;
use shim6d::daemon::Daemon;
use shim6d::logger;

const USAGE: &str = "usage: shim6d [--config FILE] [--check-config]\n\
  --config FILE    TOML configuration (default: built-in defaults, see shim6d.example.toml)\n\
  --check-config   validate the configuration, print it and exit";

struct Arguments {
    config: Option<PathBuf>,
    check_only: bool,
}

fn parse_arguments() -> Result<Option<Arguments>, String> {
    let mut arguments = Arguments {
        config: None,
        check_only: false,
    };
    let mut words = std::env::args_os().skip(1);
    while let Some(word) = words.next() {
        match word.to_str() {
            Some("--config") => {
                let path = words.next().ok_or("--config needs a file name")?;
                arguments.config = Some(PathBuf::from(path));
            }
            Some("--check-config") => arguments.check_only = true,
            Some("--help" | "-h") => return Ok(None),
            _ => return Err(format!("unknown argument {}", word.to_string_lossy())),
        }
    }
    Ok(Some(arguments))
}

fn main() -> ExitCode {
    let arguments = match parse_arguments() {
        Ok(Some(arguments)) => arguments,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(error) => {
            eprintln!("shim6d: {error}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let config = match &arguments.config {
        Some(path) => match Config::load(path) {
            Ok(config) => config,
            Err(error) => {
                eprintln!("shim6d: {error}");
                return ExitCode::from(2);
            }
        },
        None => Config::default(),
    };
    if arguments.check_only {
        println!("{config:#?}");
        return ExitCode::SUCCESS;
    }
    logger::init(config.log_level.to_filter());
    let mut daemon = match Daemon::start(config) {
        Ok(daemon) => daemon,
        Err(error) => {
            log::error!("{error}");
            return ExitCode::from(1);
        }
    };
    match daemon.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("{error}");
            ExitCode::from(1)
        }
    }
}
