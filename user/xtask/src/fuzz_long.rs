//! `make fuzz-long`: every cargo-fuzz target for a set time (FUZZ_SECONDS
//! each, 600 by default; FUZZ_TARGETS picks some; FUZZ_JOBS processes per
//! target, 1 by default, sharing its corpus), with libFuzzer's final
//! statistics read back: executions and crashes per target, printed and
//! written to bench-results/fuzz.csv. Fails when any target crashed, which
//! for `state_machines` includes a broken oracle invariant.

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Instant;

use crate::{deps, step, tasks};

const DEFAULT_SECONDS: u64 = 600;

struct Run {
    target: String,
    seconds: f64,
    executions: u64,
    crashed: bool,
}

pub fn fuzz_long() -> step::Result<()> {
    deps::ensure_cargo_fuzz().map_err(|e| step::fail("fuzz-long", "cargo fuzz", e.to_string()))?;
    let seconds = match std::env::var("FUZZ_SECONDS") {
        Ok(text) => text.parse::<u64>().ok().filter(|&s| s > 0).ok_or_else(|| {
            step::fail("fuzz-long", "FUZZ_SECONDS", format!("'{text}' is not a positive number of seconds"))
        })?,
        Err(_) => DEFAULT_SECONDS,
    };
    let all = tasks::fuzz_targets();
    let targets: Vec<String> = match std::env::var("FUZZ_TARGETS") {
        Ok(list) => {
            let wanted: Vec<String> = list.split_whitespace().map(String::from).collect();
            if let Some(unknown) = wanted.iter().find(|name| !all.contains(name)) {
                return Err(step::fail("fuzz-long", "FUZZ_TARGETS", format!("no fuzz target '{unknown}' (have: {})", all.join(" "))));
            }
            wanted
        }
        Err(_) => all,
    };
    let jobs = match std::env::var("FUZZ_JOBS") {
        Ok(text) => text.parse::<usize>().ok().filter(|&n| (1..=64).contains(&n)).ok_or_else(|| {
            step::fail("fuzz-long", "FUZZ_JOBS", format!("'{text}' is not a number of processes from 1 to 64"))
        })?,
        Err(_) => 1,
    };
    let mut runs = Vec::new();
    for target in targets {
        let name = format!("fuzz {target} for {seconds} s ({jobs} process(es))");
        let run = step::step(&name, || Ok(run_target_jobs(&target, seconds, jobs)))?;
        println!(
            "fuzz {}: {} executions in {:.0} s ({:.0}/s), {}",
            run.target,
            run.executions,
            run.seconds,
            run.executions as f64 / run.seconds.max(1.0),
            if run.crashed { "CRASHED (see user/fuzz/artifacts/)" } else { "0 crashes" }
        );
        runs.push(run);
    }
    let out = tasks::bench_results_dir()?;
    let mut csv = String::from("target,seconds,executions,crashes\n");
    for run in &runs {
        csv.push_str(&format!("{},{:.0},{},{}\n", run.target, run.seconds, run.executions, u8::from(run.crashed)));
    }
    std::fs::write(out.join("fuzz.csv"), csv).map_err(|e| step::fail("fuzz-long", "write fuzz.csv", e.to_string()))?;
    match runs.iter().filter(|run| run.crashed).count() {
        0 => Ok(()),
        n => Err(step::fail("fuzz-long", "cargo fuzz run", format!("{n} target(s) crashed"))),
    }
}

/// `jobs` processes of one target at once; their executions add up.
fn run_target_jobs(target: &str, seconds: u64, jobs: usize) -> Run {
    let runs: Vec<Run> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..jobs).map(|_| scope.spawn(|| run_target(target, seconds))).collect();
        handles.into_iter().filter_map(|handle| handle.join().ok()).collect()
    });
    Run {
        target: target.to_owned(),
        seconds: runs.iter().map(|run| run.seconds).fold(0.0, f64::max),
        executions: runs.iter().map(|run| run.executions).sum(),
        crashed: runs.len() != jobs || runs.iter().any(|run| run.crashed),
    }
}

/// One target for `seconds`; executions from libFuzzer's final statistics.
fn run_target(target: &str, seconds: u64) -> Run {
    let started = Instant::now();
    let mut cmd = tasks::cargo(&[
        "fuzz",
        "run",
        // Every target's code forbids `unsafe` (shim6-proto, shim6-cga): the
        // address sanitizer would only halve the executions.
        "--sanitizer",
        "none",
        target,
        "--",
        &format!("-max_total_time={seconds}"),
        "-print_final_stats=1",
    ]);
    // cargo-fuzz needs nightly flags; the stable toolchain takes them so.
    cmd.env("RUSTC_BOOTSTRAP", "1").stderr(Stdio::piped()).stdout(Stdio::null());
    let mut executions = 0;
    let mut crashed = true;
    // The end of the output, shown when the run fails: a crash's report,
    // or the build error when the target never ran.
    let mut tail: std::collections::VecDeque<String> = std::collections::VecDeque::new();
    if let Ok(mut child) = cmd.spawn() {
        if let Some(err) = child.stderr.take() {
            for line in BufReader::new(err).lines().map_while(|l| l.ok()) {
                if let Some(n) = line.strip_prefix("stat::number_of_executed_units:") {
                    executions = n.trim().parse().unwrap_or(0);
                }
                if tail.len() == 40 {
                    tail.pop_front();
                }
                tail.push_back(line);
            }
        }
        crashed = !matches!(child.wait(), Ok(status) if status.success());
    }
    if crashed {
        for line in &tail {
            eprintln!("    {line}");
        }
    }
    Run { target: target.to_owned(), seconds: started.elapsed().as_secs_f64(), executions, crashed }
}
