//! packaging/systemd/shim6d.service: `systemd-analyze verify` accepts it
//! without a warning, and `systemd-analyze security --offline=true`
//! reports the exposure level its header comment states (on the systemd
//! version the comment names; another version must report one below 5.0,
//! "MEDIUM"). Needs systemd-analyze (the systemd package); fails without it.
//!
//! verify checks that every command of the unit exists, so it runs on a
//! copy whose ExecStart= names the binary just built in place of
//! /usr/sbin/shim6d; nothing else changes.

use std::fs;
use std::path::PathBuf;
use std::process::{Command, Output};

const INSTALLED_BINARY: &str = "/usr/sbin/shim6d";

fn unit_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../packaging/systemd/shim6d.service")
}

fn unit_text() -> String {
    fs::read_to_string(unit_path()).expect("packaging/systemd/shim6d.service")
}

fn systemd_analyze(args: &[&str]) -> Output {
    Command::new("systemd-analyze")
        .args(args)
        .env("SYSTEMD_COLORS", "0")
        .env("SYSTEMD_PAGER", "")
        .output()
        .unwrap_or_else(|error| {
            panic!("systemd-analyze: {error}; this test needs it (Debian: apt-get install systemd)")
        })
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn systemd_analyze_verify_accepts_the_unit() {
    let unit = unit_text();
    assert!(
        unit.contains(&format!("ExecStart={INSTALLED_BINARY} ")),
        "ExecStart= runs {INSTALLED_BINARY}"
    );
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("shim6d.service");
    fs::write(
        &copy,
        unit.replace(INSTALLED_BINARY, env!("CARGO_BIN_EXE_shim6d")),
    )
    .unwrap();
    let output = systemd_analyze(&["verify", "--man=no", copy.to_str().unwrap()]);
    let (stdout, stderr) = (text(&output.stdout), text(&output.stderr));
    assert!(output.status.success(), "{stdout}{stderr}");
    assert!(
        stdout.trim().is_empty() && stderr.trim().is_empty(),
        "warnings: {stdout}{stderr}"
    );
}

/// "… exposure 1.6 OK." in the header, and the systemd version it names.
fn recorded_score(unit: &str) -> (String, f64) {
    let comment: String = unit
        .lines()
        .take_while(|line| line.starts_with('#') || line.is_empty())
        .map(|line| line.trim_start_matches('#').trim())
        .collect::<Vec<_>>()
        .join(" ");
    let version = comment
        .split_once("(systemd ")
        .and_then(|(_, rest)| rest.split(|c: char| !c.is_ascii_digit()).next())
        .expect("the header names the systemd version of the score")
        .to_owned();
    let score = comment
        .split_once("overall exposure ")
        .and_then(|(_, rest)| rest.split_whitespace().next())
        .and_then(|number| number.parse().ok())
        .expect("the header states the exposure level");
    (version, score)
}

#[test]
fn systemd_analyze_security_reports_the_recorded_exposure() {
    let unit_path = unit_path();
    let output = systemd_analyze(&["security", "--offline=true", unit_path.to_str().unwrap()]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    let reported: f64 = stdout
        .lines()
        .find_map(|line| {
            line.split_once("Overall exposure level for shim6d.service: ")
                .and_then(|(_, rest)| rest.split_whitespace().next())
                .and_then(|number| number.parse().ok())
        })
        .unwrap_or_else(|| panic!("no exposure level in:\n{stdout}"));

    let (version, recorded) = recorded_score(&unit_text());
    let version_output = systemd_analyze(&["--version"]);
    let running = text(&version_output.stdout);
    if running.starts_with(&format!("systemd {version} ")) {
        assert_eq!(
            reported, recorded,
            "the unit's header says {recorded}; update it (or the hardening)"
        );
    } else {
        assert!(
            reported < 5.0,
            "exposure {reported} on {}",
            running.lines().next().unwrap_or_default()
        );
    }
    // The two capabilities, and only them.
    for line in ["CapabilityBoundingSet=", "AmbientCapabilities="] {
        let value = unit_text()
            .lines()
            .find_map(|l| l.strip_prefix(line).map(str::to_owned))
            .unwrap_or_else(|| panic!("no {line}"));
        assert_eq!(value, "CAP_NET_ADMIN CAP_NET_RAW", "{line}");
    }
}

#[test]
fn the_directories_match_the_daemon_defaults() {
    let unit = unit_text();
    let defaults = shim6d::config::Config::default();
    // StateDirectory=shim6d is /var/lib/shim6d, the default state_dir.
    assert!(unit.contains("\nStateDirectory=shim6d\n"));
    assert_eq!(defaults.state_dir, PathBuf::from("/var/lib/shim6d"));
    // The socket named on the command line is in RuntimeDirectory=.
    assert!(unit.contains("\nRuntimeDirectory=shim6d\n"));
    assert!(unit.contains("--control-socket /run/shim6d/shim6d.sock"));
    assert!(unit.contains("--config /etc/shim6/shim6d.toml"));
    assert!(unit.contains("\nType=notify\n"));
}
