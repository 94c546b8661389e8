//! I2 processing time on the responder with 1 000, 10 000 and 100 000
//! live contexts (median and p95), and the memory per context (Fig. 2.20
//! of the thesis; the method is in `support/i2_load.rs`).
//!
//! Run: `make bench-i2` (this, then the plot), or
//! `cargo bench -p shim6d --bench i2_contexts`. Results go to
//! `$SHIM6_BENCH_DIR` (default: `bench-results` at the repository root):
//! `i2-contexts.csv` and `i2-contexts.txt`; xtask draws `i2-contexts.png`.
//! `SHIM6_I2_SAMPLES` changes the I2s timed per size (default 200).

#[path = "support/i2_load.rs"]
mod i2_load;
#[path = "support/responder_load.rs"]
mod responder_load;

use std::fmt::Write as _;
use std::path::PathBuf;
use std::time::Duration;

use i2_load::{run, Point, Settings};

const SIZES: [u32; 3] = [1_000, 10_000, 100_000];
const SAMPLES: usize = 200;
/// shim6d's default key size.
const RSA_BITS: usize = 2048;
/// The target at 100 000 contexts.
const TARGET_MEDIAN: Duration = Duration::from_micros(300);

fn main() {
    // `cargo bench` passes `--bench`; a filter or `--list` are not ours.
    if std::env::args().any(|argument| argument == "--list") {
        return;
    }
    let samples = match std::env::var("SHIM6_I2_SAMPLES") {
        Ok(text) => match text.parse::<usize>() {
            Ok(count) if count > 0 => count,
            _ => {
                eprintln!("SHIM6_I2_SAMPLES={text:?} is not a positive number");
                std::process::exit(2);
            }
        },
        Err(_) => SAMPLES,
    };
    let settings = Settings {
        sizes: SIZES.to_vec(),
        samples,
        rsa_bits: RSA_BITS,
    };
    let points = run(&settings, |step| eprintln!("i2_contexts: {step}"));
    let table = table(&points, &settings);
    print!("{table}");
    save(&points, &table);
}

fn micros(duration: Duration) -> f64 {
    duration.as_nanos() as f64 / 1000.0
}

fn table(points: &[Point], settings: &Settings) -> String {
    let mut text = format!(
        "I2 processing on the responder (parse + handle_message with the CGA check of an \
         RSA-{} signed 3-locator list + R2 emitted), {} I2s per size, release build\n\n\
         {:>9}  {:>11}  {:>8}  {:>8}  {:>16}\n",
        settings.rsa_bits,
        settings.samples,
        "contexts",
        "median µs",
        "p95 µs",
        "mean µs",
        "RSS B/context"
    );
    for point in points {
        let rss = point
            .rss_bytes_per_context
            .map_or("?".to_owned(), |bytes| format!("{bytes:.0}"));
        let _ = writeln!(
            text,
            "{:>9}  {:>11.1}  {:>8.1}  {:>8.1}  {:>16}",
            point.contexts,
            micros(point.median),
            micros(point.p95),
            micros(point.mean),
            rss
        );
    }
    if let Some(last) = points.last() {
        let verdict = if last.median <= TARGET_MEDIAN {
            "met"
        } else {
            "MISSED"
        };
        let _ = writeln!(
            text,
            "\ntarget: median ≤ {:.0} µs at {} contexts: {verdict} ({:.1} µs)",
            micros(TARGET_MEDIAN),
            last.contexts,
            micros(last.median)
        );
        let _ = writeln!(
            text,
            "signature checks: {} (cache hits {}, refused {})",
            last.verification.cga_verified,
            last.verification.cache_hits,
            last.verification.rejected_total() + last.verification.rate_limited
        );
    }
    text
}

fn output_dir() -> PathBuf {
    match std::env::var_os("SHIM6_BENCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench-results"),
    }
}

fn save(points: &[Point], table: &str) {
    let dir = output_dir();
    if let Err(error) = std::fs::create_dir_all(&dir) {
        eprintln!("i2_contexts: {}: {error}", dir.display());
        std::process::exit(1);
    }
    let mut csv = String::from("contexts,samples,median_us,p95_us,mean_us,rss_bytes_per_context\n");
    for point in points {
        let rss = point
            .rss_bytes_per_context
            .map_or(String::new(), |bytes| format!("{bytes:.0}"));
        let _ = writeln!(
            csv,
            "{},{},{:.3},{:.3},{:.3},{rss}",
            point.contexts,
            point.samples,
            micros(point.median),
            micros(point.p95),
            micros(point.mean)
        );
    }
    for (name, contents) in [
        ("i2-contexts.csv", csv.as_str()),
        ("i2-contexts.txt", table),
    ] {
        let path = dir.join(name);
        if let Err(error) = std::fs::write(&path, contents) {
            eprintln!("i2_contexts: {}: {error}", path.display());
            std::process::exit(1);
        }
    }
    eprintln!("i2_contexts: results in {}", dir.display());
}
