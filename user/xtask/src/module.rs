//! The out-of-tree Rust module, built against the cached kernel.

use crate::paths;
use crate::step::{self, run, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `rust/shim6.ko` and returns its path.
pub fn build(kdir: &Path) -> Result<PathBuf> {
    let repo = paths::repo_root();
    step::step("build the shim6 module", || {
        run(
            "build module",
            Command::new("make")
                .env("PATH", paths::tool_path())
                .arg("-C")
                .arg(kdir)
                .arg(format!("M={}", repo.display()))
                .args(["LLVM=1", "modules"]),
        )
    })?;
    Ok(repo.join("rust/shim6.ko"))
}
