//! shim6d's command line as a user meets it: help, version, usage errors
//! (exit 2, naming the option or value), `--check-config` with
//! `--control-socket`, and the form of its log lines on standard error
//! (syslog priorities when that is the journal, timestamps otherwise).
//! Nothing here needs root: every run stops before opening a socket.

use std::fs::{self, File};
use std::os::unix::fs::MetadataExt;
use std::path::Path;
use std::process::{Command, Output};

fn shim6d(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shim6d"))
        .args(args)
        .env_remove("JOURNAL_STREAM")
        .env_remove("NOTIFY_SOCKET")
        .output()
        .expect("run shim6d")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn help_lists_every_option_and_exits_0() {
    let output = shim6d(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = text(&output.stdout);
    for option in [
        "--config <FILE>",
        "--check-config",
        "--control-socket <PATH>",
        "--help",
        "--version",
        "SIGHUP",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    assert_eq!(shim6d(&["-h"]).status.code(), Some(0));
}

#[test]
fn version_names_the_program_and_exits_0() {
    let output = shim6d(&["--version"]);
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        text(&output.stdout).trim(),
        format!("shim6d {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn usage_errors_exit_2_and_name_the_culprit() {
    for (args, named) in [
        (&["--no-such-option"][..], "--no-such-option"),
        (&["--config"][..], "--config"),
        (&["--check-config", "surplus"][..], "surplus"),
        (&["--control-socket", ""][..], "--control-socket"),
    ] {
        let output = shim6d(args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(named), "{args:?}: {stderr}");
        assert!(stderr.starts_with("error: "), "{args:?}: {stderr}");
    }
}

#[test]
fn check_config_prints_the_configuration_with_the_command_line_socket() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("shim6d.toml");
    fs::write(
        &config,
        "control_socket = \"/tmp/from-the-file.sock\"\n[timers]\nsend_timeout_secs = 3\n",
    )
    .unwrap();
    let config = config.to_str().unwrap();
    let output = shim6d(&["--config", config, "--check-config"]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let printed = text(&output.stdout);
    assert!(printed.contains("send_timeout_secs: 3"), "{printed}");
    assert!(printed.contains("/tmp/from-the-file.sock"), "{printed}");

    let output = shim6d(&[
        "--check-config",
        "--config",
        config,
        "--control-socket",
        "/run/shim6d/shim6d.sock",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let printed = text(&output.stdout);
    assert!(printed.contains("\"/run/shim6d/shim6d.sock\""), "{printed}");
    assert!(!printed.contains("from-the-file"), "{printed}");
}

#[test]
fn check_config_without_a_file_prints_the_defaults() {
    let output = shim6d(&["--check-config"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stdout).contains("\"/var/lib/shim6d\""));
}

#[test]
fn a_bad_configuration_exits_2_naming_file_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("bad.toml");
    fs::write(&config, "[addresses]\nsec = 7\n").unwrap();
    let config = config.to_str().unwrap();
    for args in [
        &["--config", config, "--check-config"][..],
        &["--config", config][..],
    ] {
        let output = shim6d(args);
        let stderr = text(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(config), "{stderr}");
        assert!(stderr.contains("addresses.sec"), "{stderr}");
    }
}

/// Runs shim6d on a bad file with its standard error in `log`; with
/// `journal`, JOURNAL_STREAM names `log` (or, if `matching` is false,
/// another file), as systemd does for a unit's stderr.
fn error_line(dir: &Path, journal: bool, matching: bool) -> String {
    let config = dir.join("bad.toml");
    fs::write(&config, "no_such_key = 1\n").unwrap();
    let log = dir.join(format!("stderr-{journal}-{matching}"));
    let stderr = File::create(&log).unwrap();
    let metadata = fs::metadata(&log).unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_shim6d"));
    command
        .arg("--config")
        .arg(&config)
        .env_remove("JOURNAL_STREAM")
        .env_remove("NOTIFY_SOCKET")
        .stderr(stderr);
    if journal {
        let inode = if matching {
            metadata.ino()
        } else {
            metadata.ino() + 1
        };
        command.env("JOURNAL_STREAM", format!("{}:{inode}", metadata.dev()));
    }
    let status = command.status().expect("run shim6d");
    assert_eq!(status.code(), Some(2));
    fs::read_to_string(&log).unwrap()
}

#[test]
fn log_lines_carry_the_syslog_priority_when_stderr_is_the_journal() {
    let dir = tempfile::tempdir().unwrap();
    let logged = error_line(dir.path(), true, true);
    assert!(logged.starts_with("<3>"), "{logged}");
    assert!(logged.contains("no_such_key"), "{logged}");
    for line in logged.lines() {
        assert!(line.starts_with("<3>"), "a line without priority: {logged}");
    }
}

#[test]
fn log_lines_carry_a_timestamp_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    for logged in [
        error_line(dir.path(), false, false),
        // JOURNAL_STREAM inherited from a parent whose stderr went elsewhere.
        error_line(dir.path(), true, false),
    ] {
        let first = logged.lines().next().unwrap_or_default();
        let (stamp, rest) = first.split_once(' ').unwrap_or_default();
        assert_eq!(stamp.len(), "2026-01-02T03:04:05.678Z".len(), "{first}");
        assert!(
            stamp.ends_with('Z') && stamp.as_bytes()[10] == b'T',
            "{first}"
        );
        assert!(rest.starts_with("shim6d ERROR: "), "{first}");
        assert!(!logged.contains("<3>"), "{logged}");
    }
}
