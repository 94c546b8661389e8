//! `shim6ctl`: query and configure the shim6 kernel module over generic
//! netlink, and shim6d over its control socket (`shim6ctl daemon`).
//!
//! Exit status: 0 on success, 1 when the request fails (module not loaded,
//! refused by the kernel, `monitor --count` not reached before
//! `--timeout`, ...), 2 on a usage error (bad address, tag, policy,
//! number, missing or unknown argument).

mod cli;
mod context_output;
mod daemon_control;
mod event_output;
mod failure;
mod monitor;
mod output;
mod params_output;
mod tag;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;
use shim6_netlink::{Client, CtxAdd, CtxSetTimers, CtxUpdate, SetParams};

use cli::{Cli, Command, CtxCommand};
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

/// Runs the command; what is left to print (`monitor` prints as it goes).
fn run(cli: &Cli) -> Result<String, Failure> {
    if let Command::Daemon(args) = &cli.command {
        // The daemon's commands need no kernel module.
        return daemon_control::run(args, cli.json, &mut io::stdout().lock());
    }
    let mut client = Client::connect()?;
    let json = cli.json;
    Ok(match &cli.command {
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
        Command::Ctx(command) => run_ctx(&mut client, command, json)?,
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
            monitor::monitor(&client, args, json, &mut io::stdout().lock())?;
            String::new()
        }
        Command::Daemon(args) => daemon_control::run(args, json, &mut io::stdout().lock())?,
    })
}

fn main() -> ExitCode {
    // Usage errors exit with 2, --help and --version with 0.
    let cli = Cli::parse();
    let result = run(&cli).and_then(|text| {
        io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(Failure::Output)
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // A closed pipe (`shim6ctl info | head -1`) is the reader's choice.
        Err(Failure::Output(error)) if error.kind() == io::ErrorKind::BrokenPipe => {
            ExitCode::SUCCESS
        }
        Err(failure) => {
            eprintln!("shim6ctl: {failure}");
            ExitCode::from(1)
        }
    }
}
