//! The test kernel: Debian's linux-source-6.12, patched with `patches/`,
//! configured from `virtme/` fragments, built with LLVM=1 in a cache
//! directory outside the repository.
//!
//! A build directory is named by a hash of everything that shapes the
//! kernel: source version, patch contents, config fragments, toolchain
//! versions and this recipe's own revision.  When the hash changes, the
//! newest finished build of the same variant is moved over, its patches are
//! reverted, the new ones applied and make runs incrementally: a changed
//! patch costs a rebuild of what it touches, not of the whole kernel.

use crate::paths;
use crate::step::{self, fail, output, run, Result};
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Bump when the steps below change in a way that changes the result.
const RECIPE_REVISION: &str = "1";
const SOURCE_TARBALL: &str = "/usr/src/linux-source-6.12.tar.xz";
const SOURCE_PACKAGE: &str = "linux-source-6.12";
/// Marks a tree whose build finished.
const COMPLETE: &str = ".shim6-complete";
/// The patches applied to a tree, in order, so a later key can revert them.
const APPLIED: &str = ".shim6-applied";
/// Marks a tree whose configuration passed the fragment check.
const CONFIGURED: &str = ".shim6-configured";

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Variant {
    /// The kernel every test runs on.
    Base,
    /// kmemleak + KASAN, for leak checks.
    Debug,
}

impl Variant {
    pub fn from_env() -> Variant {
        match std::env::var("SHIM6_KERNEL").as_deref() {
            Ok("debug") => Variant::Debug,
            _ => Variant::Base,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Variant::Base => "base",
            Variant::Debug => "debug",
        }
    }

    fn fragments(self) -> Vec<PathBuf> {
        let dir = paths::repo_root().join("virtme");
        match self {
            Variant::Base => vec![dir.join("base.config")],
            Variant::Debug => vec![dir.join("base.config"), dir.join("debug.config")],
        }
    }
}

/// A patch of the series: its file name and contents.
struct Patch {
    name: String,
    text: Vec<u8>,
}

fn read_series() -> Result<Vec<Patch>> {
    let dir = paths::repo_root().join("patches");
    let series = fs::read_to_string(dir.join("series"))
        .map_err(|e| fail("read patches/series", "patches/series", e.to_string()))?;
    series
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(|name| {
            fs::read(dir.join(name))
                .map(|text| Patch { name: name.to_string(), text })
                .map_err(|e| fail("read patches", format!("patches/{name}"), e.to_string()))
        })
        .collect()
}

fn source_version() -> Result<String> {
    let v = output(
        "kernel source version",
        Command::new("dpkg-query").args(["-W", "-f=${Version}", SOURCE_PACKAGE]),
    )?;
    Ok(v.trim().to_string())
}

fn tool_version(tool: &str) -> String {
    Command::new(tool)
        .env("PATH", paths::tool_path())
        .arg("--version")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).lines().next().unwrap_or("").to_string())
        .unwrap_or_else(|_| format!("{tool}: missing"))
}

/// The cache key: what the kernel is built from.
fn build_key(variant: Variant, source: &str, patches: &[Patch]) -> Result<String> {
    let mut h = Sha256::new();
    h.update(format!("recipe {RECIPE_REVISION}\nvariant {}\nsource {source}\n", variant.name()));
    for p in patches {
        h.update(format!("patch {} {}\n", p.name, p.text.len()));
        h.update(&p.text);
    }
    for frag in variant.fragments() {
        let text = fs::read(&frag)
            .map_err(|e| fail("read config fragment", frag.display().to_string(), e.to_string()))?;
        h.update(format!("fragment {}\n", text.len()));
        h.update(&text);
    }
    for tool in ["rustc", "bindgen", "clang", "ld.lld"] {
        h.update(format!("tool {}\n", tool_version(tool)));
    }
    let digest = h.finalize();
    Ok(digest.iter().take(8).map(|b| format!("{b:02x}")).collect())
}

/// Returns the directory of a finished kernel build for `variant`,
/// building it first when needed.
pub fn ensure(variant: Variant) -> Result<PathBuf> {
    let source = source_version()?;
    let patches = read_series()?;
    let key = build_key(variant, &source, &patches)?;
    let root = paths::cache_dir().join("kernel");
    let prefix = format!("{}-{source}-", variant.name());
    let kdir = root.join(format!("{prefix}{key}"));
    // A finished tree is never changed again: no need to wait for a build
    // of another variant going on meanwhile.
    if kdir.join(COMPLETE).exists() {
        eprintln!("==> kernel {} is cached: {}", variant.name(), kdir.display());
        return Ok(kdir);
    }
    fs::create_dir_all(&root).map_err(|e| fail("kernel cache", root.display().to_string(), e.to_string()))?;
    // One build per variant at a time: a second `make` waits here instead
    // of building in the same tree (variants never share a tree).
    let lock_path = root.join(format!(".lock-{}", variant.name()));
    let lock = fs::File::create(&lock_path).map_err(|e| fail("kernel cache", "lock file", e.to_string()))?;
    if lock.try_lock().is_err() {
        eprintln!("==> waiting for another build of the kernel cache to finish");
        lock.lock().map_err(|e| fail("kernel cache", "lock", e.to_string()))?;
    }
    if kdir.join(COMPLETE).exists() {
        eprintln!("==> kernel {} is cached: {}", variant.name(), kdir.display());
        return Ok(kdir);
    }
    if !kdir.join(APPLIED).exists() {
        prepare_tree(&root, &prefix, &kdir, &patches)?;
    }
    if !kdir.join(CONFIGURED).exists() {
        configure(variant, &kdir)?;
        fs::write(kdir.join(CONFIGURED), "").map_err(|e| fail("kernel stamp", "write stamp", e.to_string()))?;
    }
    build(&kdir)?;
    fs::write(kdir.join(COMPLETE), &key).map_err(|e| fail("kernel stamp", "write stamp", e.to_string()))?;
    remove_stale(&root, &prefix, &kdir);
    Ok(kdir)
}

/// Sets up `kdir` with the series applied: from an older build of the same
/// variant when one exists (incremental), else from the source tarball.
fn prepare_tree(root: &Path, prefix: &str, kdir: &Path, patches: &[Patch]) -> Result<()> {
    if let Some(old) = newest_build(root, prefix) {
        let moved = step::step(&format!("reuse {} for the new patch set", old.display()), || {
            fs::rename(&old, kdir).map_err(|e| fail("reuse kernel tree", "rename", e.to_string()))?;
            let _ = fs::remove_file(kdir.join(COMPLETE));
            let _ = fs::remove_file(kdir.join(CONFIGURED));
            resync(kdir, patches)
        });
        if moved.is_ok() {
            return Ok(());
        }
        eprintln!("    could not reuse the old tree; unpacking a fresh one");
        let _ = fs::remove_dir_all(kdir);
    }
    unpack(root, kdir)?;
    step::step(&format!("apply {} patches", patches.len()), || apply(kdir, 0, patches))
}

/// The newest tree of a variant with patches applied, finished or not.
fn newest_build(root: &Path, prefix: &str) -> Option<PathBuf> {
    let entries = fs::read_dir(root).ok()?;
    entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().starts_with(prefix))
        .filter(|e| e.path().join(APPLIED).exists())
        .max_by_key(|e| e.metadata().and_then(|m| m.modified()).ok())
        .map(|e| e.path())
}

fn unpack(root: &Path, kdir: &Path) -> Result<()> {
    step::step(&format!("unpack {SOURCE_TARBALL}"), || {
        let scratch = root.join("unpack.tmp");
        let _ = fs::remove_dir_all(&scratch);
        fs::create_dir_all(&scratch).map_err(|e| fail("unpack", "mkdir", e.to_string()))?;
        run("unpack kernel source", Command::new("tar").arg("xf").arg(SOURCE_TARBALL).arg("-C").arg(&scratch))?;
        fs::rename(scratch.join("linux-source-6.12"), kdir)
            .map_err(|e| fail("unpack", "rename", e.to_string()))?;
        let _ = fs::remove_dir_all(&scratch);
        Ok(())
    })
}

/// The patches recorded as applied to a tree, in order: (record, contents).
fn applied(kdir: &Path) -> Result<Vec<(PathBuf, Vec<u8>)>> {
    let record = kdir.join(APPLIED);
    let mut paths: Vec<PathBuf> = fs::read_dir(&record)
        .map_err(|e| fail("revert patches", "read record", e.to_string()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| fs::read(&p).map(|t| (p, t)).map_err(|e| fail("revert patches", "read record", e.to_string())))
        .collect()
}

/// Brings a tree from its recorded patches to `patches`: the common
/// prefix stays, the rest is reverted and the new tail applied.  Files
/// whose contents come out unchanged get their old mtime back, so make
/// rebuilds only what the changed patches really change.
fn resync(kdir: &Path, patches: &[Patch]) -> Result<()> {
    let old = applied(kdir)?;
    let keep = old
        .iter()
        .zip(patches)
        .enumerate()
        .take_while(|(i, ((record, text), p))| {
            record.file_name().is_some_and(|n| n.to_string_lossy() == format!("{i:04}-{}", p.name)) && *text == p.text
        })
        .count();
    let touched: Vec<String> = old[keep..]
        .iter()
        .map(|(_, t)| t.as_slice())
        .chain(patches[keep..].iter().map(|p| p.text.as_slice()))
        .flat_map(patched_files)
        .collect();
    let before: Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> = touched
        .iter()
        .map(|f| kdir.join(f))
        .filter_map(|f| Some((f.clone(), fs::read(&f).ok()?, fs::metadata(&f).ok()?.modified().ok()?)))
        .collect();
    for (record, text) in old[keep..].iter().rev() {
        eprintln!("    reverting {}", record.file_name().unwrap_or_default().to_string_lossy());
        patch(kdir, text, true)?;
        fs::remove_file(record).map_err(|e| fail("revert patches", "remove record", e.to_string()))?;
    }
    apply(kdir, keep, &patches[keep..])?;
    for (file, text, mtime) in before {
        if fs::read(&file).is_ok_and(|now| now == text) {
            let _ = fs::File::options().write(true).open(&file).and_then(|f| f.set_modified(mtime));
        }
    }
    Ok(())
}

/// The files a unified diff changes (its `+++ b/...` lines).
fn patched_files(text: &[u8]) -> Vec<String> {
    String::from_utf8_lossy(text)
        .lines()
        .filter_map(|l| l.strip_prefix("+++ b/"))
        .map(|l| l.split('\t').next().unwrap_or(l).trim().to_string())
        .collect()
}

/// Applies `patches`, the series from position `first` on, and records them.
fn apply(kdir: &Path, first: usize, patches: &[Patch]) -> Result<()> {
    let record = kdir.join(APPLIED);
    fs::create_dir_all(&record).map_err(|e| fail("apply patches", "mkdir", e.to_string()))?;
    for (i, p) in patches.iter().enumerate() {
        eprintln!("    applying {}", p.name);
        patch(kdir, &p.text, false).map_err(|e| fail("apply patches", format!("patch -p1 < patches/{}", p.name), e.detail))?;
        let kept = record.join(format!("{:04}-{}", first + i, p.name));
        fs::write(&kept, &p.text).map_err(|e| fail("apply patches", "record", e.to_string()))?;
    }
    Ok(())
}

fn patch(kdir: &Path, text: &[u8], reverse: bool) -> Result<()> {
    use std::io::Write;
    let mut cmd = Command::new("patch");
    cmd.current_dir(kdir).args(["-p1", "-s", "--forward", "--no-backup-if-mismatch"]);
    if reverse {
        cmd.arg("-R");
    }
    let mut child = cmd
        .stdin(Stdio::piped())
        .spawn()
        .map_err(|e| fail("patch", "patch", e.to_string()))?;
    if let Some(mut stdin) = child.stdin.take() {
        stdin.write_all(text).map_err(|e| fail("patch", "patch", e.to_string()))?;
    }
    let status = child.wait().map_err(|e| fail("patch", "patch", e.to_string()))?;
    if status.success() {
        Ok(())
    } else {
        Err(fail("patch", step::display(&cmd), status.to_string()))
    }
}

fn make(kdir: &Path) -> Command {
    let mut cmd = Command::new("make");
    cmd.current_dir(kdir).env("PATH", paths::tool_path()).arg("LLVM=1");
    cmd
}

fn configure(variant: Variant, kdir: &Path) -> Result<()> {
    step::step(&format!("configure the {} kernel", variant.name()), || {
        let name = "configure kernel";
        run(name, make(kdir).arg("-s").arg("rustavailable"))?;
        // virtme-ng's minimal config for QEMU guests, plus our fragments.
        let mut vng = Command::new("vng");
        vng.current_dir(kdir).env("PATH", paths::tool_path()).arg("--kconfig");
        for frag in variant.fragments() {
            vng.arg("--config").arg(frag);
        }
        vng.arg("LLVM=1");
        let log = kdir.join("configure.log");
        let file = fs::File::create(&log).map_err(|e| fail(name, "configure.log", e.to_string()))?;
        let err = file.try_clone().map_err(|e| fail(name, "configure.log", e.to_string()))?;
        vng.stdout(file).stderr(err);
        if let Err(e) = run(name, &mut vng) {
            print_tail(&log, 20);
            return Err(e);
        }
        // vng turns DWARF debug info back on after the fragments; the tests
        // do not need it and it doubles the build time.
        run(
            name,
            Command::new(kdir.join("scripts/config")).current_dir(kdir).args([
                "-d", "DEBUG_INFO_DWARF_TOOLCHAIN_DEFAULT", "-d", "DEBUG_INFO_DWARF4",
                "-d", "DEBUG_INFO_DWARF5", "-e", "DEBUG_INFO_NONE", "-d", "DEBUG_INFO_BTF",
            ]),
        )?;
        run(name, make(kdir).arg("-s").arg("olddefconfig"))?;
        check_config(variant, kdir)
    })
}

/// Every `CONFIG_X=y` a fragment asks for must survive olddefconfig: a
/// dependency that silently drops an option would otherwise surface as a
/// confusing test failure much later.
fn check_config(variant: Variant, kdir: &Path) -> Result<()> {
    let config = fs::read_to_string(kdir.join(".config"))
        .map_err(|e| fail("check config", ".config", e.to_string()))?;
    let mut dropped = Vec::new();
    for frag in variant.fragments() {
        let text = fs::read_to_string(&frag).unwrap_or_default();
        for line in text.lines().map(str::trim) {
            if line.starts_with("CONFIG_") && line.ends_with("=y") && !config.lines().any(|l| l == line) {
                dropped.push(line.to_string());
            }
        }
    }
    if dropped.is_empty() {
        Ok(())
    } else {
        Err(fail("check config", "make olddefconfig", format!("options dropped: {}", dropped.join(" "))))
    }
}

fn build(kdir: &Path) -> Result<()> {
    let jobs = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    step::step(&format!("build the kernel (make LLVM=1 -j{jobs}; log in build.log)"), || {
        let log = kdir.join("build.log");
        let file = fs::File::create(&log).map_err(|e| fail("build kernel", "build.log", e.to_string()))?;
        let err = file.try_clone().map_err(|e| fail("build kernel", "build.log", e.to_string()))?;
        let mut cmd = make(kdir);
        cmd.arg(format!("-j{jobs}")).stdout(file).stderr(err);
        let result = run("build kernel", &mut cmd);
        if result.is_err() {
            print_tail(&log, 40);
        }
        result
    })
}

pub fn print_tail(path: &Path, lines: usize) {
    let text = fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    eprintln!("---- last {lines} lines of {} ----", path.display());
    for l in &all[all.len().saturating_sub(lines)..] {
        eprintln!("{l}");
    }
}

/// Finished builds of the same variant that the current key replaced.
fn remove_stale(root: &Path, prefix: &str, keep: &Path) {
    let Ok(entries) = fs::read_dir(root) else { return };
    for e in entries.filter_map(|e| e.ok()) {
        let p = e.path();
        if p != keep && e.file_name().to_string_lossy().starts_with(prefix) {
            eprintln!("    removing stale kernel build {}", p.display());
            let _ = fs::remove_dir_all(&p);
        }
    }
}
