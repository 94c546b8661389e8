//! Every usage error of the context, params, peer-policy and monitor
//! commands: exit status 2, a message naming the problem, nothing on
//! standard output, and no request sent (these fail the same way with or
//! without the module).

use std::process::{Command, Output};

fn shim6ctl(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_shim6ctl"))
        .args(args)
        .output()
        .expect("run shim6ctl")
}

fn assert_usage_error(args: &[&str], needles: &[&str]) {
    let output = shim6ctl(args);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    for needle in needles {
        assert!(
            stderr.contains(needle),
            "{args:?}: stderr {stderr:?} lacks {needle:?}"
        );
    }
    assert!(
        output.stdout.is_empty(),
        "{args:?}: stdout {:?}",
        output.stdout
    );
}

/// `ctx add` with its four required options, then `extra`.
fn ctx_add(extra: &[&'static str]) -> Vec<&'static str> {
    let mut args = vec![
        "ctx",
        "add",
        "--local-tag",
        "0x1234",
        "--peer-tag",
        "0x5678",
        "--local-ulid",
        "2001:db8::1",
        "--peer-ulid",
        "2001:db8::2",
    ];
    args.extend_from_slice(extra);
    args
}

#[test]
fn a_tag_over_47_bits_is_refused() {
    let too_big = "over 47 bits (the largest tag is 0x7fffffffffff)";
    assert_usage_error(
        &["ctx", "del", "0x800000000000"],
        &["'0x800000000000'", too_big],
    );
    assert_usage_error(
        &["ctx", "show", "140737488355328"],
        &["0x800000000000 is", too_big],
    );
    let mut args = ctx_add(&[]);
    args[3] = "0xffffffffffffffff";
    assert_usage_error(&args, &["--local-tag", too_big]);
    assert_usage_error(
        &["ctx", "update", "1", "--peer-tag", "0x1000000000000"],
        &["--peer-tag", too_big],
    );
}

#[test]
fn a_tag_that_is_no_number_or_zero_is_refused() {
    for bad in ["12abc", "-5", "0x", "tag"] {
        assert_usage_error(
            &["ctx", "del", bad],
            &[&format!("'{bad}'"), "not a number (give decimal or 0x-hex)"],
        );
    }
    assert_usage_error(
        &["ctx", "set-timers", "0", "--send-timeout", "500"],
        &["context tags are not 0"],
    );
    let mut args = ctx_add(&[]);
    args[5] = "zero";
    assert_usage_error(&args, &["--peer-tag", "'zero'", "not a number"]);
}

#[test]
fn a_bad_address_is_refused_wherever_it_goes() {
    let bad = "invalid IPv6 address syntax";
    let mut args = ctx_add(&[]);
    args[7] = "192.0.2.1";
    assert_usage_error(&args, &["'192.0.2.1'", "--local-ulid", bad]);
    let mut args = ctx_add(&[]);
    args[9] = "2001:db8::zz";
    assert_usage_error(&args, &["--peer-ulid", bad]);
    assert_usage_error(
        &ctx_add(&["--local-locator", "host"]),
        &["--local-locator", bad],
    );
    assert_usage_error(
        &ctx_add(&["--peer-locator", "::g"]),
        &["--peer-locator", bad],
    );
    assert_usage_error(
        &ctx_add(&["--local-locators", "2001:db8::1,nope"]),
        &["'nope'", "--local-locators", bad],
    );
    assert_usage_error(&ctx_add(&["--peer-locators", ""]), &["--peer-locators"]);
    assert_usage_error(
        &["ctx", "set-path", "1", "2001:db8::1", "peer"],
        &["'peer'", "<PEER>", bad],
    );
    assert_usage_error(
        &["ctx", "set-path", "1", "local", "2001:db8::1"],
        &["'local'", "<LOCAL>", bad],
    );
    assert_usage_error(
        &["ctx", "update", "1", "--local-locators", "::1,,::2"],
        &["--local-locators"],
    );
    assert_usage_error(
        &["peer-policy", "10.0.0.1", "never"],
        &["'10.0.0.1'", "<ADDRESS>", bad],
    );
}

#[test]
fn an_unknown_policy_is_refused() {
    assert_usage_error(
        &["peer-policy", "2001:db8::2", "sometimes"],
        &[
            "'sometimes'",
            "<POLICY>",
            "possible values: default, never, immediate",
        ],
    );
    assert_usage_error(&["peer-policy", "2001:db8::2", "Never"], &["'Never'"]);
    assert_usage_error(&["peer-policy", "2001:db8::2"], &["<POLICY>"]);
}

#[test]
fn bad_numbers_are_refused() {
    assert_usage_error(
        &ctx_add(&["--send-timeout", "-4"]),
        &["--send-timeout", "-4"],
    );
    assert_usage_error(
        &ctx_add(&["--keepalive-timeout", "4294967296"]),
        &["--keepalive-timeout", "4294967296"],
    );
    assert_usage_error(
        &["ctx", "set-timers", "1", "--send-timeout", "soon"],
        &["--send-timeout", "'soon'"],
    );
    assert_usage_error(
        &["params", "--trigger-bytes", "1k"],
        &["--trigger-bytes", "'1k'"],
    );
    assert_usage_error(
        &["params", "--trigger-seconds", "-1"],
        &["--trigger-seconds", "'-1'"],
    );
    assert_usage_error(
        &["monitor", "--count", "0"],
        &["--count", "0 is not in 1.."],
    );
    assert_usage_error(&["monitor", "--count", "many"], &["--count", "'many'"]);
    assert_usage_error(
        &["monitor", "--timeout", "-1"],
        &["--timeout", "not a number of seconds from 0 on"],
    );
    assert_usage_error(
        &["monitor", "--timeout", "later"],
        &["--timeout", "not a number of seconds"],
    );
}

#[test]
fn missing_arguments_are_named() {
    assert_usage_error(&["ctx"], &["Usage: shim6ctl ctx [OPTIONS] <COMMAND>"]);
    assert_usage_error(
        &["ctx", "add"],
        &[
            "--local-tag <TAG>",
            "--peer-tag <TAG>",
            "--local-ulid <ADDR>",
            "--peer-ulid <ADDR>",
        ],
    );
    let without_peer_ulid = &ctx_add(&[])[..8];
    assert_usage_error(without_peer_ulid, &["required", "--peer-ulid <ADDR>"]);
    assert_usage_error(&["ctx", "del"], &["<TAG>"]);
    assert_usage_error(&["ctx", "set-path", "1", "2001:db8::1"], &["<PEER>"]);
    assert_usage_error(
        &["ctx", "set-timers", "1"],
        &["--send-timeout <MS>|--keepalive-timeout <MS>"],
    );
    assert_usage_error(
        &["ctx", "update", "1"],
        &["--peer-tag <TAG>|--local-locators"],
    );
}

#[test]
fn stray_and_unknown_arguments_are_refused() {
    assert_usage_error(&["ctx", "show", "1", "2"], &["unexpected argument '2'"]);
    assert_usage_error(
        &["ctx", "del", "1", "--force"],
        &["unexpected argument '--force'"],
    );
    assert_usage_error(&["ctx", "frob"], &["unrecognized subcommand 'frob'"]);
    assert_usage_error(&["monitor", "extra"], &["unexpected argument 'extra'"]);
    assert_usage_error(
        &ctx_add(&["--local-tag", "5"]),
        &["'--local-tag <TAG>' cannot be used multiple times"],
    );
}

#[test]
fn help_shows_the_context_commands() {
    let output = shim6ctl(&["ctx", "--help"]);
    assert_eq!(output.status.code(), Some(0));
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in ["add", "del", "show", "set-path", "set-timers", "update"] {
        assert!(help.contains(needle), "ctx help lacks {needle}: {help}");
    }
    let output = shim6ctl(&["--help"]);
    let help = String::from_utf8_lossy(&output.stdout);
    for needle in ["ctx", "params", "peer-policy", "monitor"] {
        assert!(help.contains(needle), "help lacks {needle}: {help}");
    }
}

#[test]
fn daemon_commands_check_their_arguments() {
    let bad = "invalid IPv6 address syntax";
    assert_usage_error(
        &["daemon", "path", "1", "2001:db8::1", "peer"],
        &["'peer'", "<PEER>", bad],
    );
    assert_usage_error(&["daemon", "show", "0"], &["context tags are not 0"]);
    assert_usage_error(
        &["daemon", "timers", "--send-timeout", "soon"],
        &["--send-timeout", "'soon'"],
    );
    assert_usage_error(&["daemon", "connect"], &["<PEER>"]);
    assert_usage_error(&["daemon", "frobnicate"], &["'frobnicate'"]);
}
