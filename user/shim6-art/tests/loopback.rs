//! The binary end to end over loopback: a sender stopped (SIGSTOP) for a
//! known time must show up as a gap of that length at the receiver.

use std::io::{BufRead, BufReader, Write};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::thread;
use std::time::Duration;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_shim6-art");
/// The pause the sender is put in, and how far the measured gap may be
/// from it (process scheduling on a busy test machine).
const PAUSE: Duration = Duration::from_millis(800);
const TOLERANCE_MS: f64 = 150.0;

struct Server {
    child: Child,
    lines: BufReader<ChildStdout>,
    address: String,
}

impl Server {
    fn start(extra: &[&str]) -> Server {
        let mut child = Command::new(BIN)
            .args(["server", "--listen", "[::1]:0", "--min-gap-ms", "300"])
            .args(extra)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("start the server");
        let mut lines = BufReader::new(child.stdout.take().expect("piped stdout"));
        let listening = next_json(&mut lines);
        assert_eq!(listening["event"], "listening", "{listening}");
        let address = listening["address"].as_str().expect("address").to_string();
        Server {
            child,
            lines,
            address,
        }
    }

    fn request(&mut self, what: &str) {
        let stdin = self.child.stdin.as_mut().expect("piped stdin");
        writeln!(stdin, "{what}").expect("write a request");
    }

    /// Lines until the one whose event is `event`.
    fn until(&mut self, event: &str) -> (Vec<Value>, Value) {
        let mut before = Vec::new();
        loop {
            let v = next_json(&mut self.lines);
            if v["event"] == event {
                return (before, v);
            }
            before.push(v);
        }
    }
}

fn next_json(lines: &mut BufReader<ChildStdout>) -> Value {
    let mut line = String::new();
    let n = lines
        .read_line(&mut line)
        .expect("read the server's output");
    assert!(n > 0, "the server ended early");
    serde_json::from_str(&line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"))
}

fn signal(child: &Child, sig: &str) {
    let ok = Command::new("kill")
        .args([sig, &child.id().to_string()])
        .status()
        .expect("run kill")
        .success();
    assert!(ok, "kill {sig} failed");
}

/// Runs a client for `seconds`, stopped for PAUSE after the first second.
fn paused_client(server: &str, extra: &[&str], seconds: &str) -> Child {
    let client = Command::new(BIN)
        .args([
            "client",
            "--connect",
            server,
            "--rate",
            "500",
            "--duration",
            seconds,
        ])
        .args(extra)
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the client");
    thread::sleep(Duration::from_secs(1));
    signal(&client, "-STOP");
    thread::sleep(PAUSE);
    signal(&client, "-CONT");
    client
}

fn assert_gap_near_pause(ms: f64) {
    let want = PAUSE.as_secs_f64() * 1e3;
    assert!(
        (ms - want).abs() <= TOLERANCE_MS,
        "gap {ms} ms, want {want} ± {TOLERANCE_MS} ms"
    );
}

#[test]
fn tcp_pause_is_the_art() {
    let mut server = Server::start(&[]);
    let client = paused_client(&server.address, &[], "2.5");
    let out = client.wait_with_output().expect("client ends");
    assert!(out.status.success());
    let sent: Value = serde_json::from_slice(&out.stdout).expect("client summary is JSON");
    let (before, report) = server.until("report");
    assert_eq!(report["last"], true, "the stream's end is the last report");
    let gaps: Vec<&Value> = before.iter().filter(|v| v["event"] == "gap").collect();
    assert_eq!(gaps.len(), 1, "one gap printed as it ended: {before:?}");
    let art = report["art_ms"].as_f64().expect("art_ms");
    assert_gap_near_pause(art);
    assert_eq!(gaps[0]["ms"].as_f64(), Some(art));
    assert_eq!(report["records"], sent["records"], "every record arrived");
    assert_eq!(report["sequence_breaks"], 0);
    assert_eq!(report["bytes"], sent["bytes"]);
    assert!(server.child.wait().expect("server ends").success());
}

#[test]
fn udp_pause_is_the_art_and_report_on_request() {
    let mut server = Server::start(&["--udp"]);
    let client = paused_client(&server.address, &["--udp"], "2");
    server.request("report");
    let (_, midway) = server.until("report");
    assert_eq!(midway["last"], false);
    let out = client.wait_with_output().expect("client ends");
    assert!(out.status.success());
    let sent: Value = serde_json::from_slice(&out.stdout).expect("client summary is JSON");
    thread::sleep(Duration::from_millis(200));
    server.request("stop");
    let (_, report) = server.until("report");
    assert_eq!(report["transport"], "udp");
    assert_gap_near_pause(report["art_ms"].as_f64().expect("art_ms"));
    assert_eq!(report["records"], sent["records"], "loopback loses nothing");
    assert_eq!(report["lost"], 0);
    assert!(server.child.wait().expect("server ends").success());
}

#[test]
fn report_after_ends_a_server_that_got_nothing() {
    let out = Command::new(BIN)
        .args(["server", "--listen", "[::1]:0", "--report-after", "0.3"])
        .stdin(Stdio::null())
        .output()
        .expect("run the server");
    assert!(out.status.success());
    let last = String::from_utf8_lossy(&out.stdout)
        .lines()
        .last()
        .map(str::to_string)
        .unwrap_or_default();
    let report: Value = serde_json::from_str(&last).expect("JSON");
    assert_eq!(
        (report["event"].as_str(), report["bytes"].as_u64()),
        (Some("report"), Some(0))
    );
    assert!(report["art_ms"].is_null());
}

#[test]
fn bad_arguments_name_the_problem() {
    let out = Command::new(BIN)
        .args(["client", "--connect", "[::1]:1", "--rate", "0"])
        .output()
        .expect("run");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("the rate must be at least 1 record a second"),
        "{err}"
    );
}
