//! Project tasks: `cargo xtask <task>` (see the README).

mod deps;
mod kernel;
mod paths;
mod step;

use std::process::ExitCode;

const USAGE: &str = "usage: xtask <setup|kernel>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => deps::ensure_all(),
        Some("kernel") => deps::ensure_all().and_then(|_| kernel::ensure(kernel::Variant::from_env()).map(|k| println!("{}", k.display()))),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
