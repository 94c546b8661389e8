//! Project tasks, run through the top-level Makefile:
//!
//! - `setup`: install what the build and the tests need (idempotent)
//! - `kernel`: build (or find in the cache) the patched test kernel
//! - `module`: build `rust/shim6.ko` against it
//! - `test [host|vm [SCENARIO...]|leak]`: host tests, fuzz runs and VM scenarios
//! - `fuzz-long`: every fuzz target for FUZZ_SECONDS (600) each, executions and crashes
//! - `run`: the demo
//! - `bench [art|kernel|i2]`: the benchmarks, or only one of them

mod art_bench;
mod deps;
mod fuzz_long;
mod guest_settings;
mod i2_bench;
mod kernel;
mod module;
mod paths;
mod step;
mod tally;
mod tasks;
mod vm;

use std::process::ExitCode;
use tally::Tally;

const USAGE: &str = "usage: xtask setup | kernel | module | test [host|vm [SCENARIO...]|leak] | fuzz-long | run | bench [art|kernel|i2]";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(task) = args.first() else {
        eprintln!("{USAGE}");
        return ExitCode::from(2);
    };
    let result = match task.as_str() {
        "setup" => deps::ensure_all(),
        "kernel" => deps::ensure_all()
            .and_then(|_| kernel::ensure(kernel::Variant::from_env()))
            .map(|k| println!("{}", k.display())),
        "module" => deps::ensure_all()
            .and_then(|_| kernel::ensure(kernel::Variant::from_env()))
            .and_then(|k| module::build(&k))
            .map(|m| println!("{}", m.display())),
        "test" => return test(&args[1..]),
        "fuzz-long" => deps::ensure_all().and_then(|_| fuzz_long::fuzz_long()),
        "run" => tasks::demo(),
        "bench" => match args.get(1).map(String::as_str) {
            None => deps::ensure_all().and_then(|_| tasks::bench()),
            Some("art") => deps::ensure_all().and_then(|_| tasks::bench_art()),
            Some("kernel") => deps::ensure_all().and_then(|_| tasks::bench_kernel()),
            Some("i2") => deps::ensure_all().and_then(|_| tasks::bench_i2()),
            Some(other) => {
                eprintln!("xtask: unknown benchmark '{other}' (only `art`, `kernel` and `i2` run alone)\n{USAGE}");
                return ExitCode::from(2);
            }
        },
        other => {
            eprintln!("xtask: unknown task '{other}'\n{USAGE}");
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

fn test(args: &[String]) -> ExitCode {
    let (host, vm, scenarios) = match args.first().map(String::as_str) {
        Some("host") => (true, false, &args[1..]),
        Some("vm") => (false, true, &args[1..]),
        Some("leak") => (false, false, &args[1..]),
        _ => (true, true, args),
    };
    // The whole suite, or `test leak`, ends with the debug-kernel leak check.
    let leak = args.first().map(String::as_str) == Some("leak") || (host && vm && scenarios.is_empty());
    let mut tally = Tally::default();
    if let Err(e) = deps::ensure_all() {
        tally.fail(format!("setup: {e}"));
    } else {
        if host {
            tasks::host_tests(&mut tally);
            tasks::fuzz_smoke(&mut tally);
        }
        if vm {
            tasks::vm_tests(&mut tally, scenarios);
        }
        if leak {
            tasks::leak_tests(&mut tally);
        }
    }
    if tasks::report(&tally) { ExitCode::SUCCESS } else { ExitCode::FAILURE }
}
