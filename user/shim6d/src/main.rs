//! `shim6d [--config FILE] [--check-config] [--control-socket PATH]`; the
//! options are in `cli.rs` (`shim6d --help`).
//!
//! Exit status: 0 after a stop by SIGTERM or SIGINT, `--check-config`,
//! `--help` or `--version`; 1 on a runtime failure; 2 on a usage or
//! configuration error.

use std::process::ExitCode;

use clap::Parser;
use shim6d::cli::Cli;
use shim6d::config::{Config, ConfigError};
use shim6d::daemon::Daemon;
use shim6d::logger;
use shim6d::service::Service;
use shim6d::sys::signals::SignalPipe;
use shim6d::systemd_notify::Notifier;

/// The file's configuration (or the defaults), with the command line's
/// overrides.
fn load(cli: &Cli) -> Result<Config, ConfigError> {
    let mut config = match &cli.config {
        Some(path) => Config::load(path)?,
        None => Config::default(),
    };
    if let Some(socket) = &cli.control_socket {
        config.control_socket = socket.clone();
    }
    Ok(config)
}

fn main() -> ExitCode {
    // A usage error prints clap's message and exits with 2; --help and
    // --version exit with 0.
    let cli = Cli::parse();
    if cli.check_config {
        return match load(&cli) {
            Ok(config) => {
                println!("{config:#?}");
                ExitCode::SUCCESS
            }
            Err(error) => {
                eprintln!("shim6d: {error}");
                ExitCode::from(2)
            }
        };
    }
    // The logger first, so that a configuration error reaches the journal
    // with its priority.
    logger::init(log::LevelFilter::Info);
    let config = match load(&cli) {
        Ok(config) => config,
        Err(error) => {
            log::error!("{error}");
            return ExitCode::from(2);
        }
    };
    logger::set_level(config.log_level.to_filter());
    // Before any thread or socket exists: from here on a SIGTERM is a
    // clean stop, even during the start.
    let signals = match SignalPipe::install() {
        Ok(signals) => signals,
        Err(error) => {
            log::error!("cannot handle signals: {error}");
            return ExitCode::from(1);
        }
    };
    let notifier = Notifier::from_env().unwrap_or_else(|error| {
        log::warn!("{error}: the service manager gets no readiness notification");
        Notifier::inactive()
    });
    let mut daemon = match Daemon::start(config) {
        Ok(daemon) => daemon,
        Err(error) => {
            log::error!("{error}");
            return ExitCode::from(1);
        }
    };
    daemon.attach_service(Service::new(
        Some(signals),
        notifier,
        cli.config.clone(),
        cli.control_socket.clone(),
    ));
    match daemon.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            log::error!("{error}");
            ExitCode::from(1)
        }
    }
}
