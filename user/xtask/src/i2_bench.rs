//! The I2 benchmark of `make bench` (Fig. 2.20 of the thesis): I2
//! processing time on the responder with 1 000, 10 000 and 100 000 live
//! contexts and the memory per context, from
//! `user/shim6d/benches/i2_contexts.rs` on the host, then the plot.

use crate::tasks::cargo;
use crate::{paths, step};
use std::path::Path;
use std::process::Command;

/// The outputs in bench-results/; the benchmark writes all but the plot.
const FILES: &[&str] = &["i2-contexts.csv", "i2-contexts.txt", "i2-contexts.png"];

/// Runs the benchmark (release build), leaving its results in `out`.
/// Returns its table.
pub fn run(out: &Path) -> step::Result<String> {
    // A failed run must not leave the previous run's numbers looking current.
    for name in FILES {
        let _ = std::fs::remove_file(out.join(name));
    }
    step::step("I2 benchmark (cargo bench -p shim6d --bench i2_contexts)", || {
        step::run(
            "I2 benchmark",
            cargo(&["bench", "-p", "shim6d", "--bench", "i2_contexts"]).env("SHIM6_BENCH_DIR", out),
        )
    })?;
    plot(out)
}

/// Draws i2-contexts.png from i2-contexts.csv (written by the benchmark,
/// alone or within `cargo bench --workspace`); returns the table.
pub fn plot(out: &Path) -> step::Result<String> {
    const STEP: &str = "I2 benchmark";
    step::step("plot bench-results/i2-contexts.png", || {
        step::run(
            "plot",
            Command::new(paths::venv_bin().join("python3"))
                .args(["-c", PLOT])
                .arg(out.join("i2-contexts.csv"))
                .arg(out.join("i2-contexts.png")),
        )
    })?;
    std::fs::read_to_string(out.join("i2-contexts.txt")).map_err(|e| step::fail(STEP, "read i2-contexts.txt", e.to_string()))
}

/// Median and p95 against live contexts (log scale), the 0.3 ms target,
/// and the memory per context on a second axis.  Arguments: the CSV, the PNG.
const PLOT: &str = r##"
import csv, sys
import matplotlib
matplotlib.use("Agg")  # no display
import matplotlib.pyplot as plt

csv_path, png_path = sys.argv[1:3]
with open(csv_path) as f:
    rows = list(csv.DictReader(f))
contexts = [int(r["contexts"]) for r in rows]
fig, ax = plt.subplots(figsize=(8, 5))
ax.plot(contexts, [float(r["median_us"]) for r in rows], "o-", color="#4c72b0", label="median")
ax.plot(contexts, [float(r["p95_us"]) for r in rows], "s--", color="#dd8452", label="p95")
ax.axhline(300, linestyle=":", color="#444444", label="target: median 0.3 ms")
ax.set_xscale("log")
ax.set_xticks(contexts, [f"{c:,}" for c in contexts])
ax.set_xlabel("live contexts on the responder")
ax.set_ylabel("I2 processing time (µs)")
ax.set_ylim(0, max(350, max(float(r["p95_us"]) for r in rows) * 1.15))
ax.set_title(f"I2 on the responder, CGA (RSA-2048) Locator List, {rows[0]['samples']} I2s per size")
memory = [r["rss_bytes_per_context"] for r in rows]
if all(memory):
    mem = ax.twinx()
    mem.bar(contexts, [float(m) for m in memory], width=[c * 0.3 for c in contexts], alpha=0.2, color="#55a868", label="RSS per context")
    mem.set_ylabel("resident memory per context (bytes)")
    mem.set_ylim(bottom=0)
    mem.legend(loc="lower right")
ax.legend(loc="lower left")
fig.tight_layout()
fig.savefig(png_path, dpi=120)
"##;
