//! Booting the test kernel with virtme-ng and running a script inside it.
//!
//! Every run has a time limit: a guest that hangs is killed and reported as
//! a failure with the tail of its console.  KVM is used only when a bounded
//! probe shows it works; otherwise the guest runs under TCG.

use crate::paths;
use crate::step::{self, fail, Result};
use std::collections::VecDeque;
use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// What a guest run printed, and how it ended.
pub struct Outcome {
    pub lines: Vec<String>,
    pub timed_out: bool,
    pub exit_ok: bool,
    /// The guest script printed its first line.
    pub guest_started: bool,
}

/// How the guest's CPU is provided.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Accel {
    Kvm,
    Tcg,
}

/// Decides between KVM and TCG.  `SHIM6_ACCEL=tcg|kvm` overrides.
pub fn choose_accel(kdir: &Path) -> Accel {
    match std::env::var("SHIM6_ACCEL").as_deref() {
        Ok("tcg") => return Accel::Tcg,
        Ok("kvm") => return Accel::Kvm,
        _ => {}
    }
    let reason = if std::fs::OpenOptions::new().read(true).write(true).open("/dev/kvm").is_err() {
        Some("no usable /dev/kvm".to_string())
    } else if Path::new("/sys/module/kvm_pvm").exists() {
        // A software nested hypervisor: guests hang or crawl on it.
        Some("/dev/kvm is the kvm_pvm nested hypervisor".to_string())
    } else {
        let probe = boot(kdir, Accel::Kvm, "true", Duration::from_secs(60), &[], false);
        match probe {
            Ok(o) if o.exit_ok && !o.timed_out => None,
            Ok(o) if o.timed_out => Some("a KVM probe boot did not finish in 60 s".to_string()),
            _ => Some("a KVM probe boot failed".to_string()),
        }
    };
    match reason {
        None => Accel::Kvm,
        Some(why) => {
            eprintln!("notice: {why}; running the VM under TCG (slower, same results)");
            Accel::Tcg
        }
    }
}

/// Boots `kdir` and runs `script` (a shell command line) in the guest.
/// `rw_dirs` are host directories the guest may write.  Output lines are
/// echoed as they arrive when `echo` is set.
pub fn boot(
    kdir: &Path,
    accel: Accel,
    script: &str,
    limit: Duration,
    rw_dirs: &[&Path],
    echo: bool,
) -> Result<Outcome> {
    const CONSOLE_TAIL: usize = 200;
    let mut cmd = Command::new("vng");
    cmd.env("PATH", paths::tool_path())
        .current_dir(paths::repo_root())
        .arg("--run")
        .arg(kdir)
        .args(["--memory", "2G", "--cpus", "2", "--verbose"]);
    if accel == Accel::Tcg {
        cmd.arg("--disable-kvm");
    }
    for dir in rw_dirs {
        cmd.arg("--rwdir").arg(dir);
    }
    cmd.arg("--exec").arg(script);
    // QEMU reopens its standard output, so it must be a pipe, not a file.
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    // Its own process group, so a hang can be killed with every child.
    cmd.process_group(0);
    let mut child = cmd.spawn().map_err(|e| fail("boot VM", step::display(&cmd), e.to_string()))?;

    let (tx, rx) = mpsc::channel::<String>();
    let mut readers = Vec::new();
    if let Some(out) = child.stdout.take() {
        let tx = tx.clone();
        readers.push(thread::spawn(move || {
            for line in BufReader::new(out).lines().map_while(|l| l.ok()) {
                let _ = tx.send(line);
            }
        }));
    }
    if let Some(err) = child.stderr.take() {
        let tx = tx.clone();
        readers.push(thread::spawn(move || {
            for line in BufReader::new(err).lines().map_while(|l| l.ok()) {
                let _ = tx.send(line);
            }
        }));
    }
    drop(tx);

    let deadline = Instant::now() + limit;
    let mut lines = Vec::new();
    let mut tail: VecDeque<String> = VecDeque::new();
    let mut timed_out = false;
    // Boot messages stay in the tail for a hang report; what the guest
    // script prints (from its first `guest:` line on) is shown.
    let mut guest_started = false;
    loop {
        match rx.recv_timeout(Duration::from_millis(200)) {
            Ok(line) => {
                guest_started |= line.starts_with("guest:");
                if echo && (guest_started || is_kernel_complaint(&line)) && !is_console_noise(&line) {
                    println!("{line}");
                }
                tail.push_back(line.clone());
                if tail.len() > CONSOLE_TAIL {
                    tail.pop_front();
                }
                lines.push(line);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => {}
        }
        if Instant::now() >= deadline {
            timed_out = true;
            // Kill the whole process group: vng, QEMU and their helpers.
            let _ = Command::new("kill").args(["-KILL", &format!("-{}", child.id())]).status();
            break;
        }
    }
    let status = child.wait().map_err(|e| fail("boot VM", "wait", e.to_string()))?;
    for r in readers {
        let _ = r.join();
    }
    if timed_out {
        eprintln!("---- VM hung: no end after {}; last {} console lines ----", step::human(limit), tail.len());
        for l in &tail {
            eprintln!("{l}");
        }
    } else if tail.iter().any(|l| l.contains("Kernel panic") || l.contains("Oops")) {
        // The trace is what the next person needs; the filter above hid it.
        eprintln!("---- the guest kernel crashed; last {} console lines ----", tail.len());
        for l in &tail {
            eprintln!("{l}");
        }
    }
    Ok(Outcome { lines, timed_out, exit_ok: status.success(), guest_started })
}

/// Kernel log lines that are shown even before the guest script runs.
fn is_kernel_complaint(line: &str) -> bool {
    ["WARNING", "BUG", "Oops", "Kernel panic", "KASAN"].iter().any(|w| line.contains(w))
}

/// Kernel log lines from `--verbose` that the test log does not need,
/// unless they come from our module or report a problem; the full console
/// is kept for the hang report.
fn is_console_noise(line: &str) -> bool {
    let t = line.trim_start();
    t.starts_with('[') && t.contains(']') && !t.contains("shim6:") && !is_kernel_complaint(t)
}
