//! shim6d run as systemd runs it (Type=notify): a real AF_UNIX datagram
//! socket plays $NOTIFY_SOCKET and its standard error is "the journal"
//! (JOURNAL_STREAM names it). The daemon must say EXTEND_TIMEOUT_USEC and
//! STATUS while it makes its addresses, READY=1 once they are there,
//! RELOADING=1 with MONOTONIC_USEC then READY=1 around a SIGHUP that
//! applies what can change and refuses, by name, what cannot, and
//! STOPPING=1 on SIGTERM, then exit 0 and remove its control socket. A
//! second run, without $NOTIFY_SOCKET, logs with timestamps and stops on
//! SIGINT.
//!
//! The daemon runs in a network namespace of its own with one prefix on a
//! veth interface. Needs root and `ip` (iproute2); fails if missing.

use std::fs::{self, File};
use std::os::unix::fs::MetadataExt;
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use shim6d::control::client::ControlClient;
use shim6d::control::protocol::{Reply, Request, TimerChanges};
use shim6d::sys::clock::monotonic_usec;

#[path = "support/host_tools.rs"]
mod host_tools;
use host_tools::{ip, require_root_and_ip};

const WAIT: Duration = Duration::from_secs(30);

/// A network namespace with 2001:db8:5::1/64 on an interface,
/// deleted however the test ends.
struct Namespace(String);

impl Namespace {
    /// `label` keeps the tests of one run apart, the pid parallel runs.
    fn new(label: char) -> Namespace {
        let name = format!("shim6d-sd{label}-{}", std::process::id());
        ip(&["netns", "add", &name]);
        let namespace = Namespace(name);
        let ns = namespace.0.as_str();
        ip(&["-n", ns, "link", "set", "lo", "up"]);
        // A veth pair within the namespace (the dummy driver may be missing).
        ip(&[
            "-n", ns, "link", "add", "v0", "type", "veth", "peer", "name", "v1",
        ]);
        ip(&["-n", ns, "link", "set", "v0", "up"]);
        ip(&["-n", ns, "link", "set", "v1", "up"]);
        ip(&[
            "-n",
            ns,
            "addr",
            "add",
            "2001:db8:5::1/64",
            "dev",
            "v0",
            "nodad",
        ]);
        namespace
    }
}

impl Drop for Namespace {
    fn drop(&mut self) {
        let _ = Command::new("ip").args(["netns", "del", &self.0]).status();
    }
}

/// The daemon, killed on drop; its log is printed if the test failed.
struct Daemon {
    child: Child,
    log: PathBuf,
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if thread::panicking() {
            let log = fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("---- shim6d log ----\n{log}");
        }
    }
}

impl Daemon {
    fn signal(&self, name: &str) {
        let status = Command::new("kill")
            .args([name, &self.child.id().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill {name}");
    }

    fn wait_exit(&mut self) -> ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "shim6d did not exit");
            thread::sleep(Duration::from_millis(50));
        }
    }

    fn log(&self) -> String {
        fs::read_to_string(&self.log).unwrap_or_default()
    }
}

/// `ip netns exec NS [WRAPPER...] shim6d --config CONFIG --control-socket
/// SOCKET`, its stderr in `log` (named by JOURNAL_STREAM when `journal`).
fn start(
    ns: &Namespace,
    wrapper: &[&str],
    config: &Path,
    socket: &Path,
    log: &Path,
    notify: Option<&Path>,
    journal: bool,
) -> Daemon {
    let stderr = File::create(log).unwrap();
    let metadata = fs::metadata(log).unwrap();
    let mut command = Command::new("ip");
    command
        .args(["netns", "exec", &ns.0])
        .args(wrapper)
        .args([env!("CARGO_BIN_EXE_shim6d"), "--config"])
        .arg(config)
        .arg("--control-socket")
        .arg(socket)
        .env_remove("NOTIFY_SOCKET")
        .env_remove("JOURNAL_STREAM")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(stderr);
    if let Some(notify) = notify {
        command.env("NOTIFY_SOCKET", notify);
    }
    if journal {
        command.env(
            "JOURNAL_STREAM",
            format!("{}:{}", metadata.dev(), metadata.ino()),
        );
    }
    Daemon {
        child: command.spawn().expect("start shim6d"),
        log: log.to_path_buf(),
    }
}

/// The next notification, as its `KEY=VALUE` lines.
fn next(socket: &UnixDatagram) -> Vec<String> {
    let mut buffer = [0u8; 4096];
    let len = socket
        .recv(&mut buffer)
        .expect("a notification within the timeout");
    String::from_utf8(buffer[..len].to_vec())
        .expect("UTF-8")
        .lines()
        .map(str::to_owned)
        .collect()
}

/// Notifications until one holds `line`; returns them all.
fn until(socket: &UnixDatagram, line: &str) -> Vec<Vec<String>> {
    let deadline = Instant::now() + WAIT;
    let mut seen = Vec::new();
    loop {
        let message = next(socket);
        let found = message.iter().any(|l| l == line);
        seen.push(message);
        if found {
            return seen;
        }
        assert!(Instant::now() < deadline, "no {line} in {seen:?}");
    }
}

fn value<'a>(message: &'a [String], key: &str) -> Option<&'a str> {
    message
        .iter()
        .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
}

fn timers(socket: &Path) -> shim6d::config::TimerConfig {
    let mut client = ControlClient::connect(socket).expect("connect to the control socket");
    client.set_timeout(Some(Duration::from_secs(10))).unwrap();
    match client
        .request(&Request::SetTimers(TimerChanges::default()))
        .expect("timers")
    {
        Reply::Timers { timers } => timers,
        other => panic!("timers: {other:?}"),
    }
}

fn config_text(sec: u8, log_level: &str, send_timeout: u64) -> String {
    format!(
        "log_level = \"{log_level}\"\n\
         control_socket = \"/nonexistent/the-command-line-wins.sock\"\n\
         [addresses]\nrsa_bits = 1024\nsec = {sec}\nlocators = [\"2001:db8:5::/64\"]\n\
         [timers]\nsend_timeout_secs = {send_timeout}\n"
    )
}

/// The configuration both service tests start from: `state_dir` and
/// `config_text(0, "info", 5)`.
fn write_config(config: &std::path::Path, state_dir: &std::path::Path) {
    let text = format!(
        "state_dir = {:?}\n{}",
        state_dir.display().to_string(),
        config_text(0, "info", 5)
    );
    fs::write(config, text).unwrap();
}

#[test]
fn notify_readiness_reload_and_stop_as_systemd_sees_them() {
    require_root_and_ip();
    let ns = Namespace::new('n');
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    let state_dir = base.join("state");
    let config = base.join("shim6d.toml");
    write_config(&config, &state_dir);
    let socket = base.join("run").join("shim6d.sock");
    let notify_path = base.join("notify");
    let notify = UnixDatagram::bind(&notify_path).unwrap();
    notify.set_read_timeout(Some(WAIT)).unwrap();

    let mut daemon = start(
        &ns,
        &[],
        &config,
        &socket,
        &base.join("journal.log"),
        Some(&notify_path),
        true,
    );

    // Start: the timeout is extended and the status says why, then READY.
    let messages = until(&notify, "READY=1");
    assert_eq!(
        messages[0],
        ["EXTEND_TIMEOUT_USEC=30000000"],
        "{messages:?}"
    );
    assert_eq!(
        messages[1],
        ["STATUS=preparing CGA addresses (sec 0)"],
        "{messages:?}"
    );
    let ready = messages.last().unwrap();
    let status = value(ready, "STATUS").expect("READY=1 comes with a STATUS");
    assert!(status.starts_with("0 contexts"), "{ready:?}");
    assert!(
        socket.exists(),
        "the control socket named on the command line"
    );
    assert_eq!(timers(&socket).send_timeout_secs, 5);

    // Reload: log level and Send Timeout change, the CGA Sec cannot; the
    // file's control_socket loses to the command line, silently.
    fs::write(
        &config,
        format!(
            "state_dir = {:?}\n{}",
            state_dir.display().to_string(),
            config_text(1, "debug", 7)
        ),
    )
    .unwrap();
    let before = monotonic_usec().unwrap();
    daemon.signal("-HUP");
    let reloading = next(&notify);
    let after = monotonic_usec().unwrap();
    assert_eq!(
        reloading.first().map(String::as_str),
        Some("RELOADING=1"),
        "{reloading:?}"
    );
    let stamp: u64 = value(&reloading, "MONOTONIC_USEC")
        .expect("MONOTONIC_USEC with RELOADING=1")
        .parse()
        .expect("a number");
    assert!(
        (before..=after).contains(&stamp),
        "MONOTONIC_USEC {stamp} outside {before}..={after}"
    );
    let ready = next(&notify);
    assert_eq!(
        ready.first().map(String::as_str),
        Some("READY=1"),
        "{ready:?}"
    );
    assert!(value(&ready, "STATUS").is_some(), "{ready:?}");
    assert_eq!(timers(&socket).send_timeout_secs, 7);
    let log = daemon.log();
    assert!(
        log.lines().any(
            |line| line.starts_with("<4>reload: addresses.sec cannot change")
                && line.contains("keeping 0, not 1")
        ),
        "{log}"
    );
    assert!(
        log.contains("<6>configuration reloaded from")
            && log.contains("log_level, timers.send_timeout_secs changed"),
        "{log}"
    );
    assert!(!log.contains("control_socket"), "{log}");

    // A file that does not validate changes nothing.
    fs::write(&config, "log_level = \"loud\"\n").unwrap();
    daemon.signal("-HUP");
    assert_eq!(
        next(&notify).first().map(String::as_str),
        Some("RELOADING=1")
    );
    assert_eq!(next(&notify).first().map(String::as_str), Some("READY=1"));
    assert_eq!(timers(&socket).send_timeout_secs, 7);
    assert!(
        daemon
            .log()
            .lines()
            .any(|line| line.starts_with("<3>reload refused, the running configuration stays")),
        "{}",
        daemon.log()
    );

    // Stop.
    daemon.signal("-TERM");
    let stopping = next(&notify);
    assert_eq!(
        stopping.first().map(String::as_str),
        Some("STOPPING=1"),
        "{stopping:?}"
    );
    let status = daemon.wait_exit();
    assert_eq!(status.code(), Some(0), "{}", daemon.log());
    assert!(!socket.exists(), "the control socket is removed");
    let log = daemon.log();
    assert!(log.contains("<6>SIGTERM: stopping"), "{log}");
    for line in log.lines() {
        assert!(
            line.starts_with('<') && line.as_bytes().get(2) == Some(&b'>'),
            "a journal line without priority: {line:?}"
        );
    }

    // Again without the service manager: plain timestamped lines, the key
    // made by the first run is loaded, SIGINT stops it cleanly.
    write_config(&config, &state_dir);
    let mut daemon = start(
        &ns,
        &[],
        &config,
        &socket,
        &base.join("plain.log"),
        None,
        false,
    );
    let deadline = Instant::now() + WAIT;
    while !daemon.log().contains("ready; ULIDs/locators") {
        assert!(Instant::now() < deadline, "not ready: {}", daemon.log());
        assert!(
            daemon.child.try_wait().unwrap().is_none(),
            "{}",
            daemon.log()
        );
        thread::sleep(Duration::from_millis(100));
    }
    daemon.signal("-INT");
    assert_eq!(daemon.wait_exit().code(), Some(0), "{}", daemon.log());
    assert!(!socket.exists());
    let log = daemon.log();
    assert!(log.contains(" shim6d INFO: SIGINT: stopping"), "{log}");
    assert!(!log.contains("<6>"), "{log}");
    // Nothing was sent: the socket of the first run got no datagram.
    notify.set_nonblocking(true).unwrap();
    let mut buffer = [0u8; 64];
    assert!(
        notify.recv(&mut buffer).is_err(),
        "a notification without NOTIFY_SOCKET"
    );
}

/// What the unit grants: another user than root, CAP_NET_ADMIN and
/// CAP_NET_RAW only (bounding, ambient), no new privileges. The daemon must
/// still open its raw socket, exempt it from xfrm policies, install its
/// address, notify and stop cleanly.
#[test]
fn runs_as_the_unit_runs_it_with_two_capabilities_and_no_root() {
    use std::os::unix::fs::{chown, PermissionsExt};

    require_root_and_ip();
    const UID: u32 = 61_235;
    let ns = Namespace::new('u');
    let dir = tempfile::tempdir().unwrap();
    let base = dir.path();
    fs::set_permissions(base, fs::Permissions::from_mode(0o755)).unwrap();
    let (state_dir, run_dir) = (base.join("state"), base.join("run"));
    for owned in [&state_dir, &run_dir] {
        fs::create_dir(owned).unwrap();
        fs::set_permissions(owned, fs::Permissions::from_mode(0o700)).unwrap();
        chown(owned, Some(UID), Some(UID)).unwrap();
    }
    let config = base.join("shim6d.toml");
    write_config(&config, &state_dir);
    let notify_path = base.join("notify");
    let notify = UnixDatagram::bind(&notify_path).unwrap();
    // systemd's notification socket is writable by every service.
    fs::set_permissions(&notify_path, fs::Permissions::from_mode(0o666)).unwrap();
    notify.set_read_timeout(Some(WAIT)).unwrap();
    let socket = run_dir.join("shim6d.sock");
    let uid = UID.to_string();
    let mut daemon = start(
        &ns,
        &[
            "setpriv",
            &format!("--reuid={uid}"),
            &format!("--regid={uid}"),
            "--clear-groups",
            "--no-new-privs",
            "--inh-caps=-all,+net_admin,+net_raw",
            "--ambient-caps=-all,+net_admin,+net_raw",
            "--bounding-set=-all,+net_admin,+net_raw",
        ],
        &config,
        &socket,
        &base.join("unit.log"),
        Some(&notify_path),
        false,
    );
    until(&notify, "READY=1");
    let status = fs::read_to_string(format!("/proc/{}/status", daemon.child.id())).unwrap();
    for field in ["CapEff:", "CapBnd:", "CapAmb:"] {
        let line = status.lines().find(|line| line.starts_with(field)).unwrap();
        // CAP_NET_ADMIN (12) and CAP_NET_RAW (13).
        assert!(line.ends_with("0000000000003000"), "{line}");
    }
    assert!(
        status
            .lines()
            .any(|line| line.starts_with("Uid:") && line.contains(&uid)),
        "{status}"
    );
    let log = daemon.log();
    assert!(log.contains(" INFO: address 2001:db8:5:"), "{log}");
    assert!(!log.contains("cannot"), "{log}");
    assert_eq!(
        timers(&socket).send_timeout_secs,
        5,
        "root may use the socket"
    );
    daemon.signal("-TERM");
    assert_eq!(
        next(&notify).first().map(String::as_str),
        Some("STOPPING=1")
    );
    assert_eq!(daemon.wait_exit().code(), Some(0), "{}", daemon.log());
    assert!(!socket.exists());
}
