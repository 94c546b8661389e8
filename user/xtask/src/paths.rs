//! Where things live: the repository, and the cache outside it that keeps
//! the kernel builds and the virtme-ng virtualenv between runs.

use std::env;
use std::path::PathBuf;

/// The repository root (two levels above this crate).
pub fn repo_root() -> PathBuf {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .and_then(|user| user.parent())
        .map(PathBuf::from)
        .unwrap_or(manifest)
}

/// `$SHIM6_CACHE_DIR`, else `$XDG_CACHE_HOME/shim6-linux`, else
/// `~/.cache/shim6-linux`.
pub fn cache_dir() -> PathBuf {
    if let Some(dir) = env::var_os("SHIM6_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let base = env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from("/var/cache"));
    base.join("shim6-linux")
}

pub fn venv_bin() -> PathBuf {
    cache_dir().join("venv").join("bin")
}

/// Cargo's bin directory, where pinned tools such as bindgen are installed.
pub fn cargo_bin() -> PathBuf {
    env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
        .unwrap_or_else(|| PathBuf::from("/usr/local/cargo"))
        .join("bin")
}

/// PATH with the virtualenv and cargo's bin directory in front, so the
/// pinned vng and bindgen are the ones every child process sees.
pub fn tool_path() -> std::ffi::OsString {
    let mut dirs = vec![venv_bin(), cargo_bin()];
    if let Some(path) = env::var_os("PATH") {
        dirs.extend(env::split_paths(&path));
    }
    env::join_paths(dirs).unwrap_or_default()
}
