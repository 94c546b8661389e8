use std::os::unix::fs::chown;

use super::*;

fn own() -> Vec<OsString> {
    vec!["addresses.json".into(), "key.pem".into()]
}

fn mode_of(path: &Path) -> u32 {
    fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

#[test]
fn a_missing_state_dir_is_made_private() {
    let base = tempfile::tempdir().unwrap();
    let dir = base.path().join("a/b");
    prepare_state_dir(&dir, &own()).unwrap();
    assert_eq!(mode_of(&dir), 0o700);
}

#[test]
fn an_existing_state_dir_with_only_our_files_is_narrowed() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("addresses.json"), "{}").unwrap();
    fs::write(dir.path().join("key.tmp"), "").unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    prepare_state_dir(dir.path(), &own()).unwrap();
    assert_eq!(mode_of(dir.path()), 0o700);
}

#[test]
fn a_shared_directory_is_refused_and_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join("dpkg"), "").unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let error = prepare_state_dir(dir.path(), &own()).unwrap_err();
    let text = error.to_string();
    assert!(text.starts_with("state_dir "), "{text}");
    assert!(text.contains(&dir.path().display().to_string()), "{text}");
    assert!(text.contains("dpkg"), "{text}");
    assert_eq!(mode_of(dir.path()), 0o755, "the mode was not touched");
}

#[test]
fn a_sticky_world_writable_directory_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    fs::write(dir.path().join(".X11-unix"), "").unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
    assert!(prepare_state_dir(dir.path(), &own()).is_err());
    assert_eq!(mode_of(dir.path()), 0o1777);
}

#[test]
fn the_root_directory_is_refused() {
    // Not ours when we are not root; full of other files when we are.
    let error = prepare_state_dir(Path::new("/"), &own()).unwrap_err();
    assert!(error.to_string().starts_with("state_dir /: "), "{error}");
}

#[test]
fn a_directory_owned_by_someone_else_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    if effective_uid() == 0 {
        chown(dir.path(), Some(65534), None).unwrap();
    }
    // As root, the directory now belongs to nobody; otherwise the test
    // asks for a uid we are not by making the check against a root-owned
    // directory instead.
    let target = if effective_uid() == 0 {
        dir.path()
    } else {
        Path::new("/")
    };
    let error = prepare_state_dir(target, &own()).unwrap_err();
    assert!(error.to_string().contains("owned by uid"), "{error}");
}

#[test]
fn a_file_where_the_directory_should_be_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("state");
    fs::write(&file, "").unwrap();
    let error = prepare_state_dir(&file, &own()).unwrap_err();
    assert!(error.to_string().contains("not a directory"), "{error}");
}

#[test]
fn a_key_file_others_can_read_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let key = dir.path().join("key.pem");
    fs::write(&key, "secret").unwrap();
    for mode in [0o640, 0o604, 0o644] {
        fs::set_permissions(&key, fs::Permissions::from_mode(mode)).unwrap();
        let error = check_key_file(&key).unwrap_err();
        let text = error.to_string();
        assert!(
            text.starts_with(&format!("key file {}", key.display())),
            "{text}"
        );
        assert!(text.contains(&format!("{mode:o}")), "{text}");
    }
    fs::set_permissions(&key, fs::Permissions::from_mode(0o600)).unwrap();
    check_key_file(&key).unwrap();
    check_key_file(&dir.path().join("missing.pem")).unwrap();
}
