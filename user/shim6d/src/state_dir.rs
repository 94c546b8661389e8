//! The state directory and the key file must be private to the daemon
//! (L5 of the security review). A directory shim6d did not make for
//! itself is never chmodded behind its owner's back, and a key others can
//! read stops the daemon rather than being used.

use std::ffi::OsString;
use std::fs::{self, DirBuilder};
use std::io;
use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::sys::credentials::effective_uid;

#[derive(Debug, thiserror::Error)]
pub enum StateError {
    #[error("state_dir {path}: {reason}")]
    StateDir { path: PathBuf, reason: String },
    #[error("key file {path}: {reason}")]
    KeyFile { path: PathBuf, reason: String },
}

fn state_dir_error(path: &Path, reason: impl Into<String>) -> StateError {
    StateError::StateDir {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

/// Creates `dir` with mode 0700, or checks an existing one: it must be a
/// directory owned by us; a wider mode is narrowed to 0700 only when the
/// directory holds nothing but `own_files` (and their `.tmp` siblings),
/// so that a shared directory (`/var/lib`, `/tmp`) is refused, not broken.
pub fn prepare_state_dir(dir: &Path, own_files: &[OsString]) -> Result<(), StateError> {
    let metadata = match fs::metadata(dir) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)
                .map_err(|error| state_dir_error(dir, format!("cannot create: {error}")));
        }
        Err(error) => return Err(state_dir_error(dir, error.to_string())),
        Ok(metadata) => metadata,
    };
    if !metadata.is_dir() {
        return Err(state_dir_error(dir, "exists and is not a directory"));
    }
    let ours = effective_uid();
    if metadata.uid() != ours {
        return Err(state_dir_error(
            dir,
            format!(
                "owned by uid {}, not by shim6d (uid {ours}); give shim6d a directory of its own",
                metadata.uid()
            ),
        ));
    }
    let mode = metadata.permissions().mode() & 0o7777;
    if mode & 0o7077 == 0 {
        return Ok(());
    }
    if let Some(foreign) = first_foreign_entry(dir, own_files)? {
        return Err(state_dir_error(
            dir,
            format!(
                "mode {mode:o} and it holds {foreign:?}, which is not shim6d's: a shared \
                 directory is not made private; give shim6d a directory of its own"
            ),
        ));
    }
    fs::set_permissions(dir, fs::Permissions::from_mode(0o700))
        .map_err(|error| state_dir_error(dir, format!("cannot set mode 0700: {error}")))
}

fn first_foreign_entry(dir: &Path, own_files: &[OsString]) -> Result<Option<OsString>, StateError> {
    let entries = fs::read_dir(dir).map_err(|error| state_dir_error(dir, error.to_string()))?;
    for entry in entries {
        let name = entry
            .map_err(|error| state_dir_error(dir, error.to_string()))?
            .file_name();
        let is_ours = own_files
            .iter()
            .any(|own| *own == name || Path::new(own).with_extension("tmp").as_os_str() == name);
        if !is_ours {
            return Ok(Some(name));
        }
    }
    Ok(None)
}

/// An existing key must be readable by its owner only; a missing one is
/// fine (it is generated with mode 0600).
pub fn check_key_file(path: &Path) -> Result<(), StateError> {
    let metadata = match fs::metadata(path) {
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(error) => {
            return Err(StateError::KeyFile {
                path: path.to_path_buf(),
                reason: error.to_string(),
            })
        }
        Ok(metadata) => metadata,
    };
    let mode = metadata.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        return Err(StateError::KeyFile {
            path: path.to_path_buf(),
            reason: format!(
                "mode {mode:o} lets others read the private key; chmod 600 it \
                 (and consider it exposed)"
            ),
        });
    }
    Ok(())
}

#[cfg(test)]
#[path = "state_dir_tests.rs"]
mod tests;
