//! Named steps with progress: every long step says what it is doing and how
//! long it has been at it, and a failure names the step and the command.

use std::fmt;
use std::process::{Command, ExitStatus};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// A failed step: which step, which command, what happened.
#[derive(Debug)]
pub struct StepError {
    pub step: String,
    pub command: String,
    pub detail: String,
}

impl fmt::Display for StepError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "step '{}' failed: `{}`: {}", self.step, self.command, self.detail)
    }
}

impl std::error::Error for StepError {}

pub type Result<T> = std::result::Result<T, StepError>;

/// Announces a step, runs `body`, reports its duration; while it runs, a
/// ticker prints the elapsed time every `TICK` so a long build never looks hung.
pub fn step<T>(name: &str, body: impl FnOnce() -> Result<T>) -> Result<T> {
    const TICK: Duration = Duration::from_secs(60);
    eprintln!("==> {name}");
    let started = Instant::now();
    let done = Arc::new(AtomicBool::new(false));
    let ticker = {
        let done = Arc::clone(&done);
        let name = name.to_string();
        thread::spawn(move || {
            let mut next = TICK;
            while !done.load(Ordering::Relaxed) {
                thread::sleep(Duration::from_millis(250));
                if started.elapsed() >= next {
                    eprintln!("    ... {name}: {} elapsed", human(started.elapsed()));
                    next += TICK;
                }
            }
        })
    };
    let result = body();
    done.store(true, Ordering::Relaxed);
    let _ = ticker.join();
    match &result {
        Ok(_) => eprintln!("    {name}: done in {}", human(started.elapsed())),
        Err(e) => eprintln!("    {name}: FAILED after {}: {e}", human(started.elapsed())),
    }
    result
}

pub fn human(d: Duration) -> String {
    let s = d.as_secs();
    if s >= 60 {
        format!("{}m{:02}s", s / 60, s % 60)
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// Renders a command the way a user would type it, for error messages.
pub fn display(cmd: &Command) -> String {
    let mut out = cmd.get_program().to_string_lossy().into_owned();
    for arg in cmd.get_args() {
        out.push(' ');
        out.push_str(&arg.to_string_lossy());
    }
    if let Some(dir) = cmd.get_current_dir() {
        out = format!("(cd {} && {out})", dir.display());
    }
    out
}

/// Runs a command with inherited output; non-zero exit is an error of `step`.
pub fn run(step: &str, cmd: &mut Command) -> Result<()> {
    let status = spawn_status(step, cmd)?;
    check(step, cmd, status)
}

/// Runs a command and returns its standard output.
pub fn output(step: &str, cmd: &mut Command) -> Result<String> {
    let out = cmd.output().map_err(|e| StepError {
        step: step.into(),
        command: display(cmd),
        detail: format!("cannot start: {e}"),
    })?;
    check(step, cmd, out.status)?;
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn spawn_status(step: &str, cmd: &mut Command) -> Result<ExitStatus> {
    cmd.status().map_err(|e| StepError {
        step: step.into(),
        command: display(cmd),
        detail: format!("cannot start: {e}"),
    })
}

fn check(step: &str, cmd: &Command, status: ExitStatus) -> Result<()> {
    if status.success() {
        Ok(())
    } else {
        Err(StepError { step: step.into(), command: display(cmd), detail: format!("{status}") })
    }
}

/// An error that is not a command's exit status.
pub fn fail(step: &str, what: impl Into<String>, detail: impl Into<String>) -> StepError {
    StepError { step: step.into(), command: what.into(), detail: detail.into() }
}
