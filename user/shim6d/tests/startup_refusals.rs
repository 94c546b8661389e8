//! shim6d refuses to start, with a message naming the problem, when its
//! key is readable by others or its state_dir is not a directory of its
//! own (L5 of the security review). Neither check needs root: both run
//! before any socket is opened.

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

/// Runs shim6d on a configuration naming `state_dir`; (exit code, stderr).
fn start_with_state_dir(base: &Path, state_dir: &Path) -> (Option<i32>, String) {
    let config = base.join("shim6d.toml");
    fs::write(
        &config,
        format!(
            "state_dir = {:?}\ncontrol_socket = {:?}\n",
            state_dir.display().to_string(),
            base.join("ctl.sock").display().to_string()
        ),
    )
    .unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_shim6d"))
        .arg("--config")
        .arg(&config)
        .output()
        .expect("run shim6d");
    (
        output.status.code(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_key_others_can_read_stops_the_daemon() {
    let base = tempfile::tempdir().unwrap();
    let state = base.path().join("state");
    fs::create_dir(&state).unwrap();
    fs::set_permissions(&state, fs::Permissions::from_mode(0o700)).unwrap();
    let key = state.join("key.pem");
    fs::write(&key, "-----BEGIN PRIVATE KEY-----\n").unwrap();
    fs::set_permissions(&key, fs::Permissions::from_mode(0o644)).unwrap();
    let (code, stderr) = start_with_state_dir(base.path(), &state);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(stderr.contains(&key.display().to_string()), "{stderr}");
    assert!(stderr.contains("644"), "{stderr}");
    assert!(
        !base.path().join("ctl.sock").exists(),
        "stopped before the control socket"
    );
}

#[test]
fn a_shared_state_dir_stops_the_daemon_and_keeps_its_mode() {
    let base = tempfile::tempdir().unwrap();
    let shared = base.path().join("shared");
    fs::create_dir(&shared).unwrap();
    fs::write(shared.join("another-service.db"), "").unwrap();
    fs::set_permissions(&shared, fs::Permissions::from_mode(0o755)).unwrap();
    let (code, stderr) = start_with_state_dir(base.path(), &shared);
    assert_eq!(code, Some(1), "{stderr}");
    assert!(
        stderr.contains(&format!("state_dir {}", shared.display())),
        "{stderr}"
    );
    let mode = fs::metadata(&shared).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o755);
}
