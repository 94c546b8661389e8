//! What the tests that start real daemons in network namespaces need of
//! the host: root and iproute2.

use std::fs;
use std::process::Command;

/// Fails (not skips) the test without root or `ip`: its checks would not run.
pub fn require_root_and_ip() {
    // Effective uid 0 (third field of "Uid:") in /proc/self/status.
    let status = fs::read_to_string("/proc/self/status").unwrap_or_default();
    let root = status
        .lines()
        .any(|line| line.starts_with("Uid:") && line.split_whitespace().nth(2) == Some("0"));
    assert!(
        root,
        "this test needs root (network namespaces, raw sockets); run it as root"
    );
    let ip = Command::new("ip").arg("-V").output();
    assert!(
        ip.as_ref().is_ok_and(|output| output.status.success()),
        "this test needs the `ip` command (iproute2): {ip:?}"
    );
}

/// Runs `ip ARGS`; a failure fails the test with ip's message.
pub fn ip(args: &[&str]) {
    let output = Command::new("ip").args(args).output().expect("run ip");
    assert!(
        output.status.success(),
        "ip {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr)
    );
}
