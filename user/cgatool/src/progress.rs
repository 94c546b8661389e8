//! Progress lines on stderr and Ctrl-C cancellation for long searches.

use shim6_cga::{SearchOptions, SearchProgress};
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;
use std::time::Duration;

/// Searches shorter than this print nothing, to keep quick runs quiet.
const QUIET_PERIOD: Duration = Duration::from_secs(1);

/// The flag Ctrl-C sets. The handler is installed on first use.
pub fn cancel_flag() -> &'static AtomicBool {
    static FLAG: OnceLock<&'static AtomicBool> = OnceLock::new();
    FLAG.get_or_init(|| {
        let flag: &'static AtomicBool = Box::leak(Box::new(AtomicBool::new(false)));
        // Without a handler Ctrl-C still ends the process, just less tidily.
        let _ = ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst));
        flag
    })
}

pub struct ProgressLine {
    printed: AtomicBool,
}

impl ProgressLine {
    pub fn new() -> ProgressLine {
        ProgressLine {
            printed: AtomicBool::new(false),
        }
    }

    pub fn report(&self, progress: SearchProgress) {
        if progress.elapsed < QUIET_PERIOD {
            return;
        }
        self.printed.store(true, Ordering::Relaxed);
        let seconds = progress.elapsed.as_secs_f64();
        let rate = progress.modifiers_tried as f64 / seconds;
        eprint!(
            "\rtried {} modifiers, {}/s, {:.1} s elapsed (Ctrl-C to stop)   ",
            human(progress.modifiers_tried as f64),
            human(rate),
            seconds
        );
        let _ = std::io::stderr().flush();
    }

    /// Ends the progress line so later messages start on their own line.
    pub fn finish(&self) {
        if self.printed.load(Ordering::Relaxed) {
            eprintln!();
        }
    }
}

pub fn search_options<'a>(
    threads: usize,
    line: &'a (dyn Fn(SearchProgress) + Sync),
) -> SearchOptions<'a> {
    SearchOptions {
        threads,
        cancel: Some(cancel_flag()),
        progress: Some(line),
        progress_interval: Duration::from_millis(250),
    }
}

fn human(value: f64) -> String {
    match value {
        v if v >= 1e9 => format!("{:.2} G", v / 1e9),
        v if v >= 1e6 => format!("{:.2} M", v / 1e6),
        v if v >= 1e3 => format!("{:.1} k", v / 1e3),
        v => format!("{v:.0}"),
    }
}
