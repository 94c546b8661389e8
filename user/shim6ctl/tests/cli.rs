//! Runs the shim6ctl binary: usage errors, and the module-not-loaded path
//! (or, where the module is loaded, real output).

use std::path::Path;
use std::process::{Command, Output};

const NOT_LOADED: &str =
    "shim6 kernel module not loaded (generic netlink family 'shim6' not found)";

fn shim6ctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shim6ctl"))
        .args(args)
        .output()
        .expect("run shim6ctl")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn module_loaded() -> bool {
    Path::new("/sys/module/shim6").exists()
}

fn assert_usage_error(args: &[&str], needle: &str) {
    let output = shim6ctl(args);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{args:?}: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains(needle),
        "{args:?}: stderr {:?} lacks {needle:?}",
        stderr(&output)
    );
    assert!(
        output.stdout.is_empty(),
        "{args:?}: stdout {:?}",
        stdout(&output)
    );
}

#[test]
fn no_subcommand_is_a_usage_error() {
    assert_usage_error(&[], "Usage:");
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    assert_usage_error(&["frobnicate"], "unrecognized subcommand 'frobnicate'");
}

#[test]
fn unknown_option_is_a_usage_error() {
    assert_usage_error(&["info", "--zero"], "unexpected argument '--zero'");
}

#[test]
fn stray_argument_is_a_usage_error() {
    assert_usage_error(&["stats", "extra"], "unexpected argument 'extra'");
}

#[test]
fn help_lists_the_commands() {
    let output = shim6ctl(&["--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = stdout(&output);
    for needle in ["info", "stats", "--json"] {
        assert!(help.contains(needle), "help lacks {needle}: {help}");
    }
}

/// Without the module every command fails the same way; with it, the
/// output has the documented shape.
fn check_command(args: &[&str], check_output: impl Fn(&str)) {
    let output = shim6ctl(args);
    if module_loaded() {
        assert_eq!(
            output.status.code(),
            Some(0),
            "{args:?}: {}",
            stderr(&output)
        );
        check_output(&stdout(&output));
    } else {
        assert_eq!(
            output.status.code(),
            Some(1),
            "{args:?}: {}",
            stdout(&output)
        );
        assert_eq!(
            stderr(&output),
            format!("shim6ctl: {NOT_LOADED}\n"),
            "{args:?}"
        );
        assert!(
            output.stdout.is_empty(),
            "{args:?}: stdout {:?}",
            stdout(&output)
        );
    }
}

fn counter_line(line: &str) -> bool {
    let mut fields = line.split_whitespace();
    matches!(
        (
            fields.next(),
            fields.next().map(str::parse::<u64>),
            fields.next()
        ),
        (Some(_), Some(Ok(_)), None)
    )
}

#[test]
fn info_reports_a_missing_module_or_prints_the_counters() {
    check_command(&["info"], |text| {
        let mut lines = text.lines();
        assert!(
            lines
                .next()
                .is_some_and(|line| line.starts_with("#shim6 version ")),
            "{text}"
        );
        assert!(lines.all(counter_line), "{text}");
        assert!(text.contains("Shim6InfoRequests"), "{text}");
    });
}

#[test]
fn info_json_reports_a_missing_module_or_prints_one_object() {
    check_command(&["info", "--json"], |text| {
        assert_eq!(text.lines().count(), 1, "{text}");
        assert!(text.starts_with("{\"version\":\""), "{text}");
        assert!(text.contains("\"stats\":{\"Shim6InfoRequests\":"), "{text}");
    });
}

#[test]
fn stats_reports_a_missing_module_or_prints_the_counters() {
    check_command(&["stats"], |text| {
        assert!(text.lines().all(counter_line), "{text}");
        assert!(text.contains("Shim6InfoRequests"), "{text}");
    });
}

#[test]
fn json_flag_before_the_subcommand_works_too() {
    check_command(&["--json", "stats"], |text| {
        assert!(
            text.starts_with("{\"stats\":{\"Shim6InfoRequests\":"),
            "{text}"
        );
    });
}
