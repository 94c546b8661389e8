//! The project's entry points: `make test`, `make run`, `make bench`.

use crate::tally::Tally;
use crate::{deps, kernel, module, paths, step, vm};
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Wall-clock limit of one VM test run (boot, every scenario, shutdown).
const VM_TEST_LIMIT: Duration = Duration::from_secs(1500);
/// Seconds each fuzz target runs inside the test command.
const FUZZ_SMOKE_SECONDS: u32 = 10;

fn cargo(args: &[&str]) -> Command {
    let mut cmd = Command::new("cargo");
    cmd.current_dir(paths::repo_root().join("user")).env("PATH", paths::tool_path()).args(args);
    cmd
}

/// Runs a command, echoing and returning its standard output (standard
/// error passes through); the second value is whether it succeeded.
fn run_captured(cmd: &mut Command) -> (String, bool) {
    cmd.stdout(Stdio::piped());
    let Ok(mut child) = cmd.spawn() else {
        return (String::new(), false);
    };
    let mut all = String::new();
    if let Some(out) = child.stdout.take() {
        for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
            println!("{line}");
            all.push_str(&line);
            all.push('\n');
        }
    }
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (all, ok)
}

/// `cargo test` over the whole workspace.
pub fn host_tests(tally: &mut Tally) {
    let _ = step::step("host tests (cargo test --workspace)", || {
        let (out, ok) = run_captured(&mut cargo(&["test", "--workspace", "--no-fail-fast"]));
        let seen = tally.add_cargo_output(&out);
        if seen == 0 || (!ok && !out.contains("test result: FAILED")) {
            tally.fail("cargo test did not run to the end (build error?)");
        }
        Ok(())
    });
}

fn fuzz_targets() -> Vec<String> {
    let dir = paths::repo_root().join("user/fuzz/fuzz_targets");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .filter_map(|e| e.file_name().to_str()?.strip_suffix(".rs").map(String::from))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

/// A short run of every cargo-fuzz target: a crash or a panic fails it.
pub fn fuzz_smoke(tally: &mut Tally) {
    let targets = fuzz_targets();
    if targets.is_empty() {
        return;
    }
    if let Err(e) = deps::ensure_cargo_fuzz() {
        tally.fail(format!("fuzz: {e}"));
        return;
    }
    for target in targets {
        let name = format!("fuzz {target} ({FUZZ_SMOKE_SECONDS} s)");
        let _ = step::step(&name, || {
            let status = cargo(&["fuzz", "run", &target, "--", &format!("-max_total_time={FUZZ_SMOKE_SECONDS}")])
                // cargo-fuzz needs nightly flags; the stable toolchain accepts
                // them with RUSTC_BOOTSTRAP.
                .env("RUSTC_BOOTSTRAP", "1")
                .status();
            if matches!(status, Ok(s) if s.success()) {
                tally.pass(1);
            } else {
                tally.fail(name.clone());
            }
            Ok(())
        });
    }
}

/// Kernel, module and user-space binaries the guest needs.
fn build_for_vm(tally: &mut Tally) -> Option<PathBuf> {
    let kdir = match kernel::ensure(kernel::Variant::from_env()) {
        Ok(k) => k,
        Err(e) => {
            tally.fail(format!("kernel build: {e}"));
            return None;
        }
    };
    if let Err(e) = module::build(&kdir) {
        tally.fail(format!("module build: {e}"));
        return None;
    }
    let built = step::step("build the user-space tools", || {
        step::run("build tools", &mut cargo(&["build", "--bins"]))
    });
    if let Err(e) = built {
        tally.fail(format!("tools build: {e}"));
        return None;
    }
    Some(kdir)
}

/// Boots the VM once and runs the scenarios.
pub fn vm_tests(tally: &mut Tally, scenarios: &[String]) {
    let Some(kdir) = build_for_vm(tally) else { return };
    let accel = vm::choose_accel(&kdir);
    let script = format!("bash tests/vm/run.sh {}", scenarios.join(" "));
    let results = results_dir();
    let outcome = step::step("VM scenarios", || {
        vm::boot(&kdir, accel, &script, VM_TEST_LIMIT, &[&results], true)
    });
    match outcome {
        Ok(o) => {
            let seen = tally.add_scenario_lines(o.lines.iter().map(String::as_str));
            if o.timed_out {
                tally.fail(format!("vm: hung, killed after {}", step::human(VM_TEST_LIMIT)));
            } else if seen == 0 {
                tally.fail("vm: no scenario reported (guest failed to start?)");
            }
        }
        Err(e) => tally.fail(format!("vm: {e}")),
    }
}

/// Where guest runs leave captures and samples.
pub fn results_dir() -> PathBuf {
    let dir = paths::repo_root().join("test-results");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

pub fn report(tally: &Tally) -> bool {
    if !tally.failures.is_empty() {
        println!("\nfailures:");
        for f in &tally.failures {
            println!("  {f}");
        }
    }
    println!("{}", tally.summary());
    tally.failed == 0
}

/// `make run`: the topology, the module, and what reaches what.
pub fn demo() -> step::Result<()> {
    deps::ensure_all()?;
    let mut tally = Tally::default();
    let Some(kdir) = build_for_vm(&mut tally) else {
        return Err(step::fail("run", "build", tally.failures.join("; ")));
    };
    let accel = vm::choose_accel(&kdir);
    let outcome = vm::boot(&kdir, accel, "bash tests/vm/demo.sh", Duration::from_secs(600), &[], true)?;
    if outcome.timed_out || !outcome.exit_ok {
        return Err(step::fail("run", "tests/vm/demo.sh", "the demo did not finish"));
    }
    Ok(())
}

/// `make bench`: every benchmark, results under bench-results/.
pub fn bench() -> step::Result<()> {
    let out = paths::repo_root().join("bench-results");
    std::fs::create_dir_all(&out).map_err(|e| step::fail("bench", "mkdir bench-results", e.to_string()))?;
    step::step("host benchmarks (cargo bench)", || {
        step::run("host benchmarks", cargo(&["bench", "--workspace"]).env("SHIM6_BENCH_DIR", &out))
    })?;
    eprintln!("results in {}", out.display());
    Ok(())
}

