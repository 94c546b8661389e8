//! Reading and writing the tool's files, with errors that name the file.

use crate::error::{fail, CliError};
use shim6_cga::key::{private_key_from_pem, private_key_to_pem};
use shim6_cga::{CgaParams, RsaPrivateKey};
use std::path::Path;

pub fn read_private_key(path: &Path) -> Result<RsaPrivateKey, CliError> {
    let pem = std::fs::read_to_string(path)
        .map_err(|e| fail!("cannot read key file {}: {e}", path.display()))?;
    private_key_from_pem(&pem).map_err(|e| fail!("bad key file {}: {e}", path.display()))
}

pub fn write_private_key(path: &Path, key: &RsaPrivateKey) -> Result<(), CliError> {
    let pem = private_key_to_pem(key).map_err(|e| fail!("{e}"))?;
    write_file(path, pem.as_bytes())
}

/// Returns the raw octets too: verification hashes exactly what was read.
pub fn read_params(path: &Path) -> Result<(Vec<u8>, CgaParams), CliError> {
    let bytes = std::fs::read(path)
        .map_err(|e| fail!("cannot read parameters file {}: {e}", path.display()))?;
    let params = CgaParams::decode(&bytes)
        .map_err(|e| fail!("bad parameters file {}: {e}", path.display()))?;
    Ok((bytes, params))
}

pub fn write_file(path: &Path, contents: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, contents).map_err(|e| fail!("cannot write {}: {e}", path.display()))
}
