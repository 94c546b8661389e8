//! `shim6ctl`: query and configure the shim6 kernel module over generic
//! netlink, and shim6d over its control socket (`shim6ctl daemon`).
//!
//! Exit status: 0 on success, 1 when the request fails (module not loaded,
//! refused by the kernel, `monitor --count` not reached before
//! `--timeout`, ...), 2 on a usage error (bad address, tag, policy,
//! number, missing or unknown argument).

mod batch;
mod cli;
mod context_output;
mod daemon_control;
mod event_output;
mod failure;
mod monitor;
mod output;
mod params_output;
mod tag;

use std::io::{self, Read, Write};
use std::path::Path;
use std::process::ExitCode;

use clap::{CommandFactory, Parser};
use shim6_netlink::{Client, CtxAdd, CtxSetTimers, CtxUpdate, SetParams};

use cli::{BatchLine, Cli, Command, CtxCommand};
use failure::Failure;

/// Runs a context command; what to print.
fn run_ctx(client: &mut Client, command: &CtxCommand, json: bool) -> Result<String, Failure> {
    match command {
        CtxCommand::Add(args) => {
            client.ctx_add(&CtxAdd {
                local_locator: args.local_locator,
                peer_locator: args.peer_locator,
                local_locators: args.local_locators.clone(),
                peer_locators: args.peer_locators.clone(),
                send_timeout_ms: args.send_timeout,
                keepalive_timeout_ms: args.keepalive_timeout,
                ..CtxAdd::new(
                    args.local_tag,
                    args.peer_tag,
                    args.local_ulid,
                    args.peer_ulid,
                )
            })?;
        }
        CtxCommand::Del { tag } => client.ctx_del(*tag)?,
        CtxCommand::Show { tag: Some(tag) } => {
            let context = client.ctx_get(*tag)?;
            return Ok(if json {
                context_output::context_json(&context)
            } else {
                context_output::context_detail(&context)
            });
        }
        CtxCommand::Show { tag: None } => {
            let contexts = client.ctx_dump()?;
            return Ok(if json {
                context_output::contexts_json(&contexts)
            } else {
                context_output::contexts_table(&contexts)
            });
        }
        CtxCommand::SetPath { tag, local, peer } => client.ctx_set_path(*tag, *local, *peer)?,
        CtxCommand::SetTimers(args) => client.ctx_set_timers(&CtxSetTimers {
            local_tag: args.tag,
            send_timeout_ms: args.send_timeout,
            keepalive_timeout_ms: args.keepalive_timeout,
        })?,
        CtxCommand::Update(args) => client.ctx_update(&CtxUpdate {
            local_tag: args.tag,
            peer_tag: args.peer_tag,
            local_locators: args.local_locators.clone(),
            peer_locators: args.peer_locators.clone(),
        })?,
    }
    Ok(String::new())
}

/// The module's client, connected on first use: `daemon` commands need
/// no module, and a batch shares one socket.
fn module_client(client: &mut Option<Client>) -> Result<&mut Client, Failure> {
    if client.is_none() {
        *client = Some(Client::connect()?);
    }
    Ok(client.as_mut().expect("connected just above"))
}

/// Runs one command; what is left to print (`monitor` prints as it goes).
fn run(command: &Command, json: bool, client: &mut Option<Client>) -> Result<String, Failure> {
    if let Command::Daemon(args) = command {
        return daemon_control::run(args, json, &mut io::stdout().lock());
    }
    let client = module_client(client)?;
    Ok(match command {
        Command::Info => {
            let info = client.get_info()?;
            if json {
                output::info_json(&info)
            } else {
                output::info_text(&info)
            }
        }
        Command::Stats => {
            let info = client.get_info()?;
            if json {
                output::stats_json(&info.stats)
            } else {
                output::stats_text(&info.stats)
            }
        }
        Command::Ctx(command) => run_ctx(client, command, json)?,
        Command::Params(args) => {
            if args.trigger_bytes.is_some() || args.trigger_seconds.is_some() {
                client.set_params(&SetParams {
                    trigger_bytes: args.trigger_bytes,
                    trigger_seconds: args.trigger_seconds,
                })?;
            }
            let params = client.get_params()?;
            if json {
                params_output::params_json(&params)
            } else {
                params_output::params_text(&params)
            }
        }
        Command::PeerPolicy { address, policy } => {
            client.set_peer_policy(*address, (*policy).into())?;
            String::new()
        }
        Command::Monitor(args) => {
            monitor::monitor(client, args, json, &mut io::stdout().lock())?;
            String::new()
        }
        Command::Daemon(_) => unreachable!("handled above"),
    })
}

fn write_out(text: &str) -> Result<(), Failure> {
    io::stdout()
        .lock()
        .write_all(text.as_bytes())
        .map_err(Failure::Output)
}

/// Reads a batch (`-`: standard input); every line is checked before any
/// runs (a usage error: exit 2), then they run in order.
fn run_batch(path: &Path, json: bool) -> Result<(), Failure> {
    let mut text = String::new();
    let read = if path == Path::new("-") {
        io::stdin().read_to_string(&mut text)
    } else {
        std::fs::File::open(path).and_then(|mut file| file.read_to_string(&mut text))
    };
    read.map_err(|error| Failure::BatchFile {
        path: path.display().to_string(),
        error,
    })?;
    let lines = batch::commands(&text, |words| {
        let line =
            BatchLine::try_parse_from(words).map_err(|error| first_line(&error.to_string()))?;
        Ok((line.command, json || line.json))
    })
    .map_err(Failure::BatchUsage)?;
    let mut client = None;
    for (line, (command, json)) in &lines {
        run(command, *json, &mut client)
            .and_then(|text| write_out(&text))
            .map_err(|failure| Failure::BatchLine {
                line: *line,
                failure: Box::new(failure),
            })?;
    }
    Ok(())
}

/// A clap error's first line without its `error: ` prefix.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    line.strip_prefix("error: ").unwrap_or(line).to_string()
}

fn main() -> ExitCode {
    // Usage errors exit with 2, --help and --version with 0.
    let cli = Cli::parse();
    let result = match (&cli.batch, &cli.command) {
        (Some(_), Some(_)) => Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--batch cannot be used with a command",
            )
            .exit(),
        (Some(path), None) => run_batch(path, cli.json),
        (None, Some(command)) => {
            run(command, cli.json, &mut None).and_then(|text| write_out(&text))
        }
        (None, None) => Cli::command()
            .error(
                clap::error::ErrorKind::MissingSubcommand,
                "a command or --batch FILE is needed",
            )
            .exit(),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`shim6ctl info | head -1`) is the reader's choice.
        Err(Failure::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(failure @ Failure::BatchUsage(_)) => {
            eprintln!("shim6ctl: {failure}");
            ExitCode::from(2)
        }
        Err(failure) => {
            eprintln!("shim6ctl: {failure}");
            ExitCode::from(1)
        }
    }
}
