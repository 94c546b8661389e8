//! The out-of-tree Rust module, built against the cached kernel.

use crate::paths;
use crate::step::{self, run, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds `rust/shim6.ko` and returns its path.
pub fn build(kdir: &Path) -> Result<PathBuf> {
    let repo = paths::repo_root();
    // kbuild does not notice that the kernel tree changed (base and debug
    // differ in their KASAN flags): start clean when it did.
    let stamp = repo.join("rust/.shim6-kernel");
    let built_for = std::fs::read_to_string(&stamp).unwrap_or_default();
    if built_for != kdir.display().to_string() {
        step::step("clean the module build (another kernel)", || {
            run(
                "clean module",
                Command::new("make")
                    .env("PATH", paths::tool_path())
                    .arg("-C")
                    .arg(kdir)
                    .arg(format!("M={}", repo.display()))
                    .args(["LLVM=1", "clean"]),
            )
        })?;
    }
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
    std::fs::write(&stamp, kdir.display().to_string())
        .map_err(|e| step::fail("build module", stamp.display().to_string(), e.to_string()))?;
    Ok(repo.join("rust/shim6.ko"))
}
