//! shim6-art: see the crate documentation (src/lib.rs) and `--help`.

use std::io::BufRead;
use std::process::ExitCode;
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use clap::Parser;
use shim6_art::cli::{Cli, Command};
use shim6_art::receiver::{self, Control, ReceiverOptions};
use shim6_art::sender::{self, SenderOptions};

/// Forwards requests from standard input; end of input just ends the
/// forwarding (a background server has none).
fn control_from_stdin() -> mpsc::Receiver<Control> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        for line in std::io::stdin().lock().lines().map_while(Result::ok) {
            if line.trim().is_empty() {
                continue;
            }
            match Control::parse(&line) {
                Ok(c) => {
                    if tx.send(c).is_err() {
                        return;
                    }
                }
                Err(e) => eprintln!("shim6-art: {e}"),
            }
        }
    });
    rx
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Server(a) => {
            let options = ReceiverOptions {
                listen: a.listen,
                transport: a.transport.transport(),
                notable_gap: Duration::from_millis(a.min_gap_ms),
                report_after: a.report_after,
            };
            receiver::run(&options, control_from_stdin(), std::io::stdout().lock()).map(|_| ())
        }
        Command::Client(a) => {
            let options = SenderOptions {
                connect: a.connect,
                bind: a.bind,
                transport: a.transport.transport(),
                rate: a.rate,
                duration: a.duration,
            };
            sender::run(&options).and_then(|summary| {
                serde_json::to_string(&summary)
                    .map(|line| println!("{line}"))
                    .map_err(|e| shim6_art::net::Error(format!("JSON: {e}")))
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("shim6-art: {e}");
            ExitCode::FAILURE
        }
    }
}
