//! Minimal `log` backend: one line per record on standard error, which
//! systemd's journal or the test harness collects.
//!
//! When standard error is the journal (systemd sets `JOURNAL_STREAM` to
//! the device and inode of that stream, see systemd.exec(5)), each line
//! starts with the syslog priority in sd-daemon(3) style (`<3>` error,
//! `<4>` warning, `<6>` info, `<7>` debug and trace) and carries nothing
//! else: the journal records the time, the program and the priority.
//! Otherwise the line is `TIMESTAMP shim6d LEVEL: message`, the timestamp
//! in UTC (RFC 3339, milliseconds), for logs kept in plain files.

use std::io::Write;
use std::os::fd::AsFd;
use std::os::unix::fs::MetadataExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use log::{Level, LevelFilter, Log, Metadata, Record};

struct StderrLogger;

static LOGGER: StderrLogger = StderrLogger;

/// Decided once, at [`init`]: a stream does not become the journal later.
static TO_JOURNAL: AtomicBool = AtomicBool::new(false);

impl Log for StderrLogger {
    fn enabled(&self, metadata: &Metadata) -> bool {
        metadata.level() <= log::max_level()
    }

    fn log(&self, record: &Record) {
        if self.enabled(record.metadata()) {
            let message = record.args().to_string();
            let line = if TO_JOURNAL.load(Ordering::Relaxed) {
                journal_line(record.level(), &message)
            } else {
                plain_line(SystemTime::now(), record.level(), &message)
            };
            // One write per record, so that lines of two threads never mix.
            let _ = std::io::stderr().lock().write_all(line.as_bytes());
        }
    }

    fn flush(&self) {}
}

/// Installs the logger; later calls only change the level.
pub fn init(level: LevelFilter) {
    TO_JOURNAL.store(stderr_is_journal(), Ordering::Relaxed);
    let _ = log::set_logger(&LOGGER);
    log::set_max_level(level);
}

/// Changes the level of an installed logger (configuration reload).
pub fn set_level(level: LevelFilter) {
    log::set_max_level(level);
}

/// Whether records go to the journal with priority prefixes.
pub fn to_journal() -> bool {
    TO_JOURNAL.load(Ordering::Relaxed)
}

/// The syslog priority of a level (sd-daemon(3): SD_ERR … SD_DEBUG).
pub fn syslog_priority(level: Level) -> u8 {
    match level {
        Level::Error => 3,
        Level::Warn => 4,
        Level::Info => 6,
        Level::Debug | Level::Trace => 7,
    }
}

/// `<N>message`; every line of a multi-line message gets the prefix, as
/// the journal stores each line as an entry of its own.
pub fn journal_line(level: Level, message: &str) -> String {
    let priority = syslog_priority(level);
    let mut line = String::with_capacity(message.len() + 4);
    for part in message.split('\n') {
        line.push_str(&format!("<{priority}>{part}\n"));
    }
    line
}

/// `2026-01-02T03:04:05.678Z shim6d INFO: message` (the format before
/// journald support, after a timestamp).
pub fn plain_line(now: SystemTime, level: Level, message: &str) -> String {
    format!("{} shim6d {level}: {message}\n", rfc3339_utc(now))
}

/// UTC time with milliseconds; a clock before 1970 prints as the epoch.
pub fn rfc3339_utc(time: SystemTime) -> String {
    let since_epoch = time.duration_since(UNIX_EPOCH).unwrap_or_default();
    let seconds = since_epoch.as_secs();
    let (year, month, day) = civil_from_days(seconds / 86_400);
    let of_day = seconds % 86_400;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        of_day / 3600,
        of_day / 60 % 60,
        of_day % 60,
        since_epoch.subsec_millis()
    )
}

/// Days since 1970-01-01 to (year, month, day) in the proleptic Gregorian
/// calendar (H. Hinnant's `civil_from_days`, for non-negative days).
fn civil_from_days(days: u64) -> (u64, u64, u64) {
    let z = days + 719_468;
    let era = z / 146_097;
    let day_of_era = z % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    (year, month, day)
}

/// systemd connects standard error to the journal and says so in
/// `JOURNAL_STREAM=DEVICE:INODE`; the variable is inherited by children
/// whose stderr may be elsewhere, so it counts only when it names the
/// stream we actually have.
fn stderr_is_journal() -> bool {
    let Some(value) = std::env::var_os("JOURNAL_STREAM") else {
        return false;
    };
    let Ok(stderr) = std::io::stderr().as_fd().try_clone_to_owned() else {
        return false;
    };
    let Ok(metadata) = std::fs::File::from(stderr).metadata() else {
        return false;
    };
    journal_stream_names(&value.to_string_lossy(), metadata.dev(), metadata.ino())
}

/// Whether `JOURNAL_STREAM`'s value (`DEVICE:INODE`, both decimal) names
/// the file with this device and inode number.
pub fn journal_stream_names(value: &str, device: u64, inode: u64) -> bool {
    let Some((dev, ino)) = value.trim().split_once(':') else {
        return false;
    };
    dev.parse::<u64>() == Ok(device) && ino.parse::<u64>() == Ok(inode)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn priorities_follow_sd_daemon() {
        assert_eq!(journal_line(Level::Error, "bad"), "<3>bad\n");
        assert_eq!(journal_line(Level::Warn, "hm"), "<4>hm\n");
        assert_eq!(journal_line(Level::Info, "ok"), "<6>ok\n");
        assert_eq!(journal_line(Level::Debug, "d"), "<7>d\n");
        assert_eq!(journal_line(Level::Trace, "t"), "<7>t\n");
    }

    #[test]
    fn every_line_of_a_message_keeps_its_priority_in_the_journal() {
        assert_eq!(
            journal_line(Level::Error, "file.toml: TOML parse error\n  |\n1 | x"),
            "<3>file.toml: TOML parse error\n<3>  |\n<3>1 | x\n"
        );
    }

    #[test]
    fn plain_lines_keep_the_old_format_after_a_timestamp() {
        let time = UNIX_EPOCH + Duration::from_millis(1_767_323_045_678);
        assert_eq!(
            plain_line(time, Level::Warn, "no kernel module"),
            "2026-01-02T03:04:05.678Z shim6d WARN: no kernel module\n"
        );
    }

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        let at = |secs: u64| rfc3339_utc(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400), "2000-02-29T00:00:00.000Z");
        assert_eq!(at(951_868_799), "2000-02-29T23:59:59.000Z");
        assert_eq!(at(1_709_251_199), "2024-02-29T23:59:59.000Z");
        assert_eq!(at(4_102_444_800), "2100-01-01T00:00:00.000Z");
        assert_eq!(
            rfc3339_utc(UNIX_EPOCH - Duration::from_secs(5)),
            "1970-01-01T00:00:00.000Z"
        );
    }

    #[test]
    fn journal_stream_must_name_this_stream() {
        assert!(journal_stream_names("8:12345", 8, 12345));
        assert!(journal_stream_names("8:12345\n", 8, 12345));
        assert!(!journal_stream_names("8:12346", 8, 12345));
        assert!(!journal_stream_names("9:12345", 8, 12345));
        assert!(!journal_stream_names("812345", 8, 12345));
        assert!(!journal_stream_names("", 8, 12345));
        assert!(!journal_stream_names("x:y", 8, 12345));
    }
}
