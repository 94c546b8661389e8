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

#[test]
fn context_commands_report_a_missing_module_or_answer() {
    // Without the module, every command fails before sending; with it,
    // `ctx show` of a tag nobody uses is ENOENT and the dump parses.
    if module_loaded() {
        let output = shim6ctl(&["ctx", "show", "0x7ffffffffffe"]);
        assert_eq!(output.status.code(), Some(1), "{}", stdout(&output));
        assert!(
            stderr(&output).contains("No such file or directory"),
            "{}",
            stderr(&output)
        );
        check_command(&["ctx", "show", "--json"], |text| {
            assert!(text.starts_with('[') && text.ends_with("]\n"), "{text}");
        });
        return;
    }
    for args in [
        &["ctx", "show"][..],
        &["ctx", "show", "0x1234", "--json"],
        &["ctx", "del", "0x1234"],
        &["ctx", "set-path", "0x1234", "2001:db8::1", "2001:db8::2"],
        &["ctx", "set-timers", "0x1234", "--send-timeout", "500"],
        &["ctx", "update", "0x1234", "--peer-tag", "7"],
        &["params"],
        &["params", "--trigger-bytes", "1000"],
        &["peer-policy", "2001:db8::2", "never"],
        &["monitor", "--count", "1", "--timeout", "0.1"],
        &[
            "ctx",
            "add",
            "--local-tag",
            "1",
            "--peer-tag",
            "2",
            "--local-ulid",
            "::1",
            "--peer-ulid",
            "::2",
        ],
    ] {
        check_command(args, |_| {});
    }
}

fn shim6ctl_with_stdin(args: &[&str], input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = Command::new(env!("CARGO_BIN_EXE_shim6ctl"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run shim6ctl");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write batch");
    child.wait_with_output().expect("wait for shim6ctl")
}

#[test]
fn a_batch_with_a_bad_line_runs_nothing_and_names_the_line() {
    // Line 3 is a usage error: nothing runs, not even line 1 (which would
    // otherwise fail for want of the module, with status 1).
    let output = shim6ctl_with_stdin(
        &["--batch", "-"],
        "info\n# a comment\nctx add --local-tag 0 --peer-tag 1\n",
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.starts_with("shim6ctl: line 3: "), "{err:?}");
    assert!(!err.contains(NOT_LOADED), "a line ran: {err:?}");
    assert!(output.stdout.is_empty());

    let output = shim6ctl_with_stdin(&["-b", "-"], "info\nfrobnicate\n");
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("line 2: unrecognized subcommand 'frobnicate'"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn a_batch_file_that_cannot_be_read_is_named() {
    let output = shim6ctl(&["--batch", "/nonexistent/shim6ctl-batch"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).starts_with("shim6ctl: cannot read batch /nonexistent/shim6ctl-batch: "),
        "{}",
        stderr(&output)
    );
}

#[test]
fn batch_and_command_together_or_neither_are_usage_errors() {
    assert_usage_error(&["--batch", "-", "info"], "cannot be used with");
    assert_usage_error(&["--json"], "a command or --batch FILE is needed");
}

#[test]
fn a_failing_batch_line_stops_the_batch_and_is_named() {
    if module_loaded() {
        return;
    }
    let output = shim6ctl_with_stdin(&["--batch", "-"], "\n\nctx show\ninfo\n");
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(stderr(&output), format!("shim6ctl: line 3: {NOT_LOADED}\n"));
}
