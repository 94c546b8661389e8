//! The application recovery time benchmark of `make bench`: one VM run of
//! tests/vm/bench-art.sh (Shim6 failovers for each REAP Send Timeout, with
//! PATH_UPDATE on and off, and the same failure under MPTCP), then the plot.

use crate::{guest_settings, paths, step, vm};
use std::path::Path;
use std::process::Command;
use std::time::Duration;

/// Wall-clock limit of the VM run: the default 20 failures for each of 5
/// Send Timeouts, PATH_UPDATE on and off, and 20 under MPTCP, under TCG.
const LIMIT: Duration = Duration::from_secs(3 * 3600);
/// Settings passed from the host's environment to the guest script.
const SETTINGS: &[&str] = &["ART_FAILURES", "ART_TSEND", "ART_PATH_UPDATE"];
/// The outputs in bench-results/; the guest writes all but the plot.
const FILES: &[&str] = &["art.csv", "art-summary.csv", "art.txt", "art.png"];

/// Runs the benchmark in a VM booted from `kdir`, leaving its results in
/// `out`.  Returns the guest's table.
pub fn run(kdir: &Path, accel: vm::Accel, out: &Path) -> step::Result<String> {
    const STEP: &str = "ART benchmark";
    // A failed run must not leave the previous run's numbers looking current.
    for name in FILES {
        let _ = std::fs::remove_file(out.join(name));
    }
    let settings = guest_settings::from_env(STEP, SETTINGS, "ART_FAILURES=20, ART_TSEND=\"1 2 3\", ART_PATH_UPDATE=1")?;
    let script = format!("{settings}bash tests/vm/bench-art.sh");
    let outcome = step::step("ART benchmark (VM: tests/vm/bench-art.sh)", || {
        vm::boot(kdir, accel, &script, LIMIT, &[out], true)
    })?;
    if outcome.timed_out {
        return Err(step::fail(
            STEP,
            "tests/vm/bench-art.sh",
            format!("hung, killed after {}", step::human(LIMIT)),
        ));
    }
    let failures: Vec<&str> = outcome
        .lines
        .iter()
        .map(String::as_str)
        .filter(|l| l.starts_with("FAIL:"))
        .collect();
    if !failures.is_empty() || !outcome.exit_ok {
        let why = if failures.is_empty() {
            "the guest script failed".to_string()
        } else {
            failures.join("; ")
        };
        return Err(step::fail(STEP, "tests/vm/bench-art.sh", why));
    }
    let accel_name = if accel == vm::Accel::Kvm {
        "KVM"
    } else {
        "TCG"
    };
    step::step("plot bench-results/art.png", || {
        step::run(
            "plot",
            Command::new(paths::venv_bin().join("python3"))
                .args(["-c", PLOT])
                .arg(out.join("art.csv"))
                .arg(out.join("art.png"))
                .arg(accel_name),
        )
    })?;
    std::fs::read_to_string(out.join("art.txt"))
        .map_err(|e| step::fail(STEP, "read art.txt", e.to_string()))
}

/// ART against Tsend from art.csv: every failure as a dot, median and p95
/// per Tsend for PATH_UPDATE on and off, the target line Tsend + 0.2 s, and
/// MPTCP's median and p95 as horizontal lines.  Arguments: the CSV, the
/// PNG, how the guest CPU ran.
const PLOT: &str = r##"
import csv, statistics, sys
import matplotlib
matplotlib.use("Agg")  # no display
import matplotlib.pyplot as plt

csv_path, png_path, accel = sys.argv[1:4]
shim6, mptcp = {}, []
with open(csv_path) as f:
    for r in csv.DictReader(f):
        if not r["art_ms"]:
            continue
        art = float(r["art_ms"]) / 1000
        if r["case"] == "mptcp":
            mptcp.append(art)
        else:
            shim6.setdefault(r["path_update"], {}).setdefault(float(r["tsend_s"]), []).append(art)

def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]

fig, ax = plt.subplots(figsize=(8, 5.5))
styles = {"1": ("PATH_UPDATE on", "#4c72b0"), "0": ("PATH_UPDATE off", "#dd8452")}
tsends = sorted({t for runs in shim6.values() for t in runs})
for pu, (label, color) in styles.items():
    runs = shim6.get(pu, {})
    xs = sorted(runs)
    if not xs:
        continue
    for x in xs:
        ax.scatter([x] * len(runs[x]), runs[x], s=8, color=color, alpha=0.35)
    ax.plot(xs, [statistics.median(runs[x]) for x in xs], "o-", color=color, label=label + ", median")
    ax.plot(xs, [p95(runs[x]) for x in xs], "s--", color=color, label=label + ", p95")
if tsends:
    ax.plot(tsends, [t + 0.2 for t in tsends], ":", color="#444444", label="target: Tsend + 0.2 s")
if mptcp:
    ax.axhline(statistics.median(mptcp), color="#55a868", label="MPTCP backup subflow, median")
    ax.axhline(p95(mptcp), color="#55a868", linestyle="--", label="MPTCP backup subflow, p95")
ax.set_xlabel("REAP Send Timeout Tsend (s)")
ax.set_ylabel("application recovery time (s)")
ax.set_xticks(tsends)
ax.set_ylim(bottom=0)
ax.grid(alpha=0.3)
ax.legend(fontsize=8)
ax.set_title(f"TCP stream, failure of the pair in use (QEMU guest, {accel})")
fig.tight_layout()
fig.savefig(png_path, dpi=120)
"##;
