//! Host set-up: Debian packages, the Rust source component, a pinned
//! bindgen-cli and a pinned virtme-ng in a virtualenv.  Each part checks
//! first and only runs (and says so) when something is missing.

use crate::paths;
use crate::step::{self, fail, output, run, Result};
use std::process::Command;

/// Debian packages the build, the VM and the tests use.
const DEBIAN_PACKAGES: &[&str] = &[
    // kernel source and build
    "linux-source-6.12", "make", "bc", "bison", "flex", "libelf-dev", "libssl-dev", "cpio",
    "kmod", "rsync", "dwarves", "xz-utils", "patch",
    // LLVM=1 toolchain and libclang for bindgen
    "clang", "lld", "llvm", "libclang-dev",
    // virtme-ng and its guest (udev: without it the guest's output is lost)
    "python3", "python3-venv", "qemu-system-x86", "udev", "busybox-static",
    // what the tests run inside the guest
    "iproute2", "iputils-ping", "nftables", "iperf3", "tshark", "tcpdump", "ethtool",
    "socat", "procps",
];

pub const BINDGEN_VERSION: &str = "0.73.2";
pub const VIRTME_NG_VERSION: &str = "1.42";
pub const CARGO_FUZZ_VERSION: &str = "0.13.2";
/// For the kernel benchmark's plot; wheels for Python 3.10 to 3.13.
pub const MATPLOTLIB_VERSION: &str = "3.10.8";

pub fn ensure_all() -> Result<()> {
    ensure_debian_packages()?;
    ensure_rust_src()?;
    ensure_bindgen()?;
    ensure_virtme_ng()?;
    Ok(())
}

fn ensure_debian_packages() -> Result<()> {
    let missing: Vec<&str> = DEBIAN_PACKAGES
        .iter()
        .copied()
        .filter(|pkg| !debian_package_installed(pkg))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    step::step(&format!("install Debian packages: {}", missing.join(" ")), || {
        let name = "install Debian packages";
        run(name, apt().arg("update").arg("-q"))?;
        run(
            name,
            apt().args(["install", "-y", "-q", "--no-install-recommends"]).args(&missing),
        )
    })
}

fn apt() -> Command {
    // As root apt-get runs directly; otherwise through sudo.
    let mut cmd = if is_root() {
        Command::new("apt-get")
    } else {
        let mut c = Command::new("sudo");
        c.arg("apt-get");
        c
    };
    cmd.env("DEBIAN_FRONTEND", "noninteractive");
    cmd
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

fn debian_package_installed(pkg: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", pkg])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("install ok installed"))
        .unwrap_or(false)
}

fn ensure_rust_src() -> Result<()> {
    let sysroot = output("check rust-src", Command::new("rustc").args(["--print", "sysroot"]))?;
    let library = std::path::Path::new(sysroot.trim()).join("lib/rustlib/src/rust/library");
    if library.is_dir() {
        return Ok(());
    }
    step::step("install rustup component rust-src", || {
        run("install rust-src", Command::new("rustup").args(["component", "add", "rust-src"]))
    })
}

fn installed_version(tool: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(tool).env("PATH", paths::tool_path()).args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn ensure_bindgen() -> Result<()> {
    let have = installed_version("bindgen", &["--version"]).unwrap_or_default();
    if have.split_whitespace().any(|w| w == BINDGEN_VERSION) {
        return Ok(());
    }
    step::step(&format!("install bindgen-cli {BINDGEN_VERSION}"), || {
        run(
            "install bindgen-cli",
            Command::new("cargo").args(["install", "--locked", "bindgen-cli", "--version", BINDGEN_VERSION]),
        )
    })
}

/// cargo-fuzz, for the short fuzz runs of the test command.
pub fn ensure_cargo_fuzz() -> Result<()> {
    let have = installed_version("cargo", &["fuzz", "--version"]).unwrap_or_default();
    if have.split_whitespace().any(|w| w == CARGO_FUZZ_VERSION) {
        return Ok(());
    }
    step::step(&format!("install cargo-fuzz {CARGO_FUZZ_VERSION}"), || {
        run(
            "install cargo-fuzz",
            Command::new("cargo").args(["install", "--locked", "cargo-fuzz", "--version", CARGO_FUZZ_VERSION]),
        )
    })
}

fn ensure_virtme_ng() -> Result<()> {
    let venv = paths::cache_dir().join("venv");
    let pip = venv.join("bin/pip");
    let pinned = format!("virtme-ng=={VIRTME_NG_VERSION}");
    if let Ok(out) = Command::new(&pip).args(["show", "virtme-ng"]).output() {
        let text = String::from_utf8_lossy(&out.stdout);
        if text.lines().any(|l| l.trim() == format!("Version: {VIRTME_NG_VERSION}")) {
            return Ok(());
        }
    }
    step::step(&format!("install {pinned} in {}", venv.display()), || {
        let name = "install virtme-ng";
        std::fs::create_dir_all(paths::cache_dir())
            .map_err(|e| fail(name, "mkdir cache", e.to_string()))?;
        run(name, Command::new("python3").arg("-m").arg("venv").arg(&venv))?;
        run(name, Command::new(&pip).args(["install", "-q", &pinned]))
    })
}

/// matplotlib in the virtualenv (after virtme-ng created it), for the
/// kernel benchmark's plot.
pub fn ensure_matplotlib() -> Result<()> {
    let venv = paths::cache_dir().join("venv");
    let python = venv.join("bin/python3");
    let have = Command::new(&python)
        .args(["-c", "import matplotlib; print(matplotlib.__version__)"])
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == MATPLOTLIB_VERSION)
        .unwrap_or(false);
    if have {
        return Ok(());
    }
    let pinned = format!("matplotlib=={MATPLOTLIB_VERSION}");
    step::step(&format!("install {pinned} in {}", venv.display()), || {
        run("install matplotlib", Command::new(venv.join("bin/pip")).args(["install", "-q", &pinned]))
    })
}
