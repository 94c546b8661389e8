//! Runs the cgatool binary and checks its outputs and error messages.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::Duration;

const RFC_ADDRESS: &str = "fe80::3c4a:5bf6:ffb4:ca6c";

fn cgatool(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cgatool"))
        .args(args)
        .output()
        .expect("run cgatool")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_fails_with(output: &Output, needle: &str) {
    assert!(
        !output.status.success(),
        "expected failure, got success: {}",
        stdout(output)
    );
    assert!(
        stderr(output).contains(needle),
        "stderr {:?} lacks {needle:?}",
        stderr(output)
    );
}

fn rfc_params() -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shim6-cga/tests/data/rfc3972-appendix-a.params")
        .display()
        .to_string()
}

/// A fresh directory per test under Cargo's scratch area.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("cgatool-tests")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// One 1024-bit key shared by the tests (key generation is the slow part).
fn key_file() -> &'static str {
    static KEY: OnceLock<String> = OnceLock::new();
    KEY.get_or_init(|| {
        let path = scratch("key").join("key.pem").display().to_string();
        let output = cgatool(&["genkey", "--bits", "1024", "--out", &path]);
        assert!(
            output.status.success(),
            "genkey failed: {}",
            stderr(&output)
        );
        assert!(std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("-----BEGIN PRIVATE KEY-----"));
        path
    })
}

#[test]
fn show_prints_the_rfc_vector() {
    let output = cgatool(&["show", "--params", &rfc_params()]);
    assert!(output.status.success());
    let text = stdout(&output);
    assert!(
        text.contains("modifier:        89a8a8b2e858d8b8f2633f44d2d4ce9b"),
        "{text}"
    );
    assert!(text.contains("subnet prefix:   fe80::/64"), "{text}");
    assert!(text.contains("RSA 512 bits"), "{text}");
    assert!(
        text.contains(&format!("address (Sec 1): {RFC_ADDRESS}")),
        "{text}"
    );
    assert!(!text.contains("Sec 2"), "{text}");
}

#[test]
fn show_json_is_parsable() {
    let output = cgatool(&["--json", "show", "--params", &rfc_params()]);
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["collision_count"], 0);
    assert_eq!(value["hash2_leading_zero_bits"], 23);
    assert_eq!(value["addresses"][1]["address"], RFC_ADDRESS);
}

#[test]
fn verify_accepts_the_rfc_address_and_rejects_others() {
    let output = cgatool(&["verify", "--addr", RFC_ADDRESS, "--params", &rfc_params()]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("is a CGA at Sec 1"));

    let output = cgatool(&[
        "verify",
        "--addr",
        "fe80::3c4a:5bf6:ffb4:ca6d",
        "--params",
        &rfc_params(),
    ]);
    assert_fails_with(&output, "Hash1");
    let output = cgatool(&[
        "verify",
        "--addr",
        "fe80::5c4a:5bf6:ffb4:ca6c",
        "--params",
        &rfc_params(),
    ]);
    assert_fails_with(&output, "too few for Sec 2");
    let output = cgatool(&[
        "verify",
        "--addr",
        "2001:db8::3c4a:5bf6:ffb4:ca6c",
        "--params",
        &rfc_params(),
    ]);
    assert_fails_with(&output, "subnet prefix");
}

#[test]
fn verify_enforces_the_required_sec() {
    let output = cgatool(&[
        "verify",
        "--addr",
        RFC_ADDRESS,
        "--params",
        &rfc_params(),
        "--sec",
        "2",
    ]);
    assert_fails_with(&output, "wrong Sec");
    let output = cgatool(&[
        "verify",
        "--addr",
        RFC_ADDRESS,
        "--params",
        &rfc_params(),
        "--sec",
        "5",
    ]);
    assert_fails_with(&output, "Sec 5 is not supported");
}

#[test]
fn gen_then_verify_round_trip() {
    let dir = scratch("gen");
    let params = dir.join("params.bin").display().to_string();
    let output = cgatool(&[
        "gen",
        "--key",
        key_file(),
        "--prefix",
        "2001:db8:1::/64",
        "--sec",
        "1",
        "--threads",
        "2",
        "--out",
        &params,
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let address = stdout(&output).trim().to_owned();
    assert!(address.starts_with("2001:db8:1:0:"), "{address}");

    let output = cgatool(&[
        "verify", "--addr", &address, "--params", &params, "--sec", "1",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(stdout(&output).contains("Sec 1"));
}

#[test]
fn gen_json_reports_the_parameters() {
    let output = cgatool(&[
        "--json",
        "gen",
        "--key",
        key_file(),
        "--prefix",
        "2001:db8:2::",
        "--sec",
        "0",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let value: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(value["sec"], 0);
    assert_eq!(value["modifiers_tried"], 0);
    assert!(value["address"]
        .as_str()
        .unwrap()
        .starts_with("2001:db8:2:0:"));
    assert_eq!(
        value["params_hex"].as_str().unwrap()[32..48],
        *"20010db800020000"
    );
}

#[test]
fn hba_set_members_verify_against_one_params_file() {
    let dir = scratch("hba");
    let output = cgatool(&[
        "hba",
        "--key",
        key_file(),
        "--prefix",
        "2001:db8:1::/64",
        "--prefix",
        "2001:db8:2::/64",
        "--prefix",
        "2001:db8:3::/64",
        "--sec",
        "1",
        "--out-dir",
        &dir.display().to_string(),
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    let addresses: Vec<String> = stdout(&output).lines().map(str::to_owned).collect();
    assert_eq!(addresses.len(), 3);
    for (index, address) in addresses.iter().enumerate() {
        assert!(
            address.starts_with(&format!("2001:db8:{}:0:", index + 1)),
            "{address}"
        );
    }
    let first_params = dir.join("hba-1.params").display().to_string();
    for address in &addresses {
        let output = cgatool(&["verify", "--addr", address, "--params", &first_params]);
        assert!(output.status.success(), "{address}: {}", stderr(&output));
    }
    let output = cgatool(&["verify", "--addr", &addresses[2], "--params", &first_params]);
    assert!(stdout(&output).contains("HBA-set member"));
    // Same interface identifier on a prefix outside the set.
    let outsider = addresses[1].replacen("2001:db8:2:", "2001:db8:9:", 1);
    let output = cgatool(&["verify", "--addr", &outsider, "--params", &first_params]);
    assert_fails_with(&output, "not in the HBA set");

    let output = cgatool(&["show", "--params", &first_params]);
    assert!(stdout(&output).contains("multi-prefix:    3 prefixes (P = 1, real public key)"));
}

#[test]
fn pure_hba_needs_no_key() {
    let output = cgatool(&[
        "hba",
        "--no-key",
        "--prefix",
        "2001:db8:a::/64",
        "--prefix",
        "2001:db8:b::/64",
        "--sec",
        "0",
    ]);
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(stdout(&output).lines().count(), 2);
    assert!(stderr(&output).contains("pure HBA"));
}

#[test]
fn bad_input_is_named() {
    assert_fails_with(
        &cgatool(&["gen", "--key", key_file(), "--prefix", "2001:db8::/48"]),
        "bad prefix",
    );
    assert_fails_with(
        &cgatool(&["gen", "--key", key_file(), "--prefix", "zzz::/64"]),
        "bad prefix",
    );
    assert_fails_with(
        &cgatool(&[
            "gen",
            "--key",
            key_file(),
            "--prefix",
            "2001:db8::/64",
            "--sec",
            "3",
        ]),
        "wrong Sec",
    );
    assert_fails_with(
        &cgatool(&[
            "gen",
            "--key",
            "/nonexistent/key.pem",
            "--prefix",
            "2001:db8::/64",
        ]),
        "cannot read key file",
    );
    assert_fails_with(
        &cgatool(&["genkey", "--bits", "512", "--out", "unused.pem"]),
        "below the 1024-bit minimum",
    );

    let dir = scratch("bad");
    let garbage = dir.join("garbage.bin");
    std::fs::write(&garbage, [0u8; 40]).unwrap();
    let garbage = garbage.display().to_string();
    assert_fails_with(
        &cgatool(&["show", "--params", &garbage]),
        "bad parameters file",
    );
    assert_fails_with(
        &cgatool(&["verify", "--addr", RFC_ADDRESS, "--params", &garbage]),
        "not a DER SEQUENCE",
    );
    assert_fails_with(
        &cgatool(&["gen", "--key", &garbage, "--prefix", "2001:db8::/64"]),
        "bad key file",
    );
    assert_fails_with(
        &cgatool(&[
            "gen",
            "--key",
            key_file(),
            "--prefix",
            "2001:db8::/64",
            "--threads",
            "5000",
        ]),
        "--threads 5000",
    );
    assert_fails_with(&cgatool(&["hba", "--prefix", "2001:db8::/64"]), "--key");
    assert_fails_with(
        &cgatool(&[
            "hba",
            "--no-key",
            "--prefix",
            "2001:db8::/64",
            "--prefix",
            "2001:db8::/64",
        ]),
        "appears twice",
    );
}

#[test]
fn ctrl_c_cancels_a_long_search_after_reporting_progress() {
    let child = Command::new(env!("CARGO_BIN_EXE_cgatool"))
        .args([
            "gen",
            "--key",
            key_file(),
            "--prefix",
            "2001:db8:1::/64",
            "--sec",
            "2",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn cgatool");
    // Progress starts after one second; leave time for a line or two.
    std::thread::sleep(Duration::from_millis(1800));
    let status = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let output = child.wait_with_output().expect("wait");
    // A Sec 2 search (2^32 expected hashes) cannot finish in under two seconds.
    assert_eq!(output.status.code(), Some(130), "{}", stderr(&output));
    let text = stderr(&output);
    assert!(
        text.contains("modifiers/s") || text.contains("/s,"),
        "no progress line: {text}"
    );
    assert!(text.contains("cancelled after"), "{text}");
    assert!(stdout(&output).is_empty());
}
