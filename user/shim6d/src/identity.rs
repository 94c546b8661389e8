//! The host's own cryptographic identity: the RSA key (CGA) and one
//! CGA/HBA address per prefix with its CGA Parameters. Generated at first
//! start, kept in the state directory and reused while the configuration
//! (method, Sec, prefixes, key) stays the same, so ULIDs survive restarts.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::net::Ipv6Addr;
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use shim6_cga::key::{private_key_from_pem, private_key_to_pem};
use shim6_cga::{
    cga_address, generate_cga, generate_hba_set, generate_rsa_key, public_key_der, CgaParams,
    HbaKey, Prefix64, RsaPrivateKey, SearchOptions, Sec,
};

use crate::config::AddressMethod;
use crate::hex;
use crate::state_dir::{check_key_file, prepare_state_dir, StateError};

/// Name of the address cache inside the state directory.
pub const ADDRESS_CACHE_FILE: &str = "addresses.json";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalAddress {
    pub address: Ipv6Addr,
    pub prefix: Prefix64,
    /// Encoded CGA Parameters, sent in the CGA Parameter Data Structure option.
    pub params: Vec<u8>,
}

#[derive(Debug, Clone)]
pub struct Identity {
    pub method: AddressMethod,
    pub sec: Sec,
    /// Present for CGA (signs Locator Lists); pure HBA sets have none.
    pub key: Option<RsaPrivateKey>,
    /// In preference order; the first is the default ULID.
    pub addresses: Vec<LocalAddress>,
}

impl Identity {
    pub fn params_for(&self, address: Ipv6Addr) -> Option<&[u8]> {
        self.addresses
            .iter()
            .find(|local| local.address == address)
            .map(|local| local.params.as_slice())
    }

    pub fn locator_addresses(&self) -> Vec<Ipv6Addr> {
        self.addresses.iter().map(|local| local.address).collect()
    }
}

/// Everything the (possibly slow) generation needs, so it can run on a
/// worker thread without touching the daemon's state.
#[derive(Debug, Clone)]
pub struct IdentityRequest {
    pub method: AddressMethod,
    pub sec: Sec,
    pub rsa_bits: usize,
    pub key_path: PathBuf,
    pub state_dir: PathBuf,
    pub prefixes: Vec<Prefix64>,
}

#[derive(Debug, thiserror::Error)]
pub enum IdentityError {
    #[error("{path}: {error}")]
    Io { path: PathBuf, error: io::Error },
    #[error("{path}: {reason}")]
    BadKey { path: PathBuf, reason: String },
    #[error("address generation failed: {0}")]
    Generation(String),
    #[error("no prefixes to form locators in")]
    NoPrefixes,
    #[error(transparent)]
    State(#[from] StateError),
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> IdentityError + '_ {
    move |error| IdentityError::Io {
        path: path.to_path_buf(),
        error,
    }
}

/// What `addresses.json` holds.
#[derive(Debug, Serialize, Deserialize)]
struct AddressCache {
    method: String,
    sec: u8,
    /// Hex CGA Parameters, one per prefix in configuration order.
    params: Vec<String>,
}

pub fn load_or_generate(request: &IdentityRequest) -> Result<Identity, IdentityError> {
    if request.prefixes.is_empty() {
        return Err(IdentityError::NoPrefixes);
    }
    prepare_private_state(&request.state_dir, &request.key_path, request.method)?;
    let key = match request.method {
        AddressMethod::Cga => Some(load_or_generate_key(&request.key_path, request.rsa_bits)?),
        AddressMethod::Hba => None,
    };
    let public_key = match &key {
        Some(key) => {
            Some(
                public_key_der(&key.to_public_key()).map_err(|e| IdentityError::BadKey {
                    path: request.key_path.clone(),
                    reason: e.to_string(),
                })?,
            )
        }
        None => None,
    };
    let cache_path = request.state_dir.join(ADDRESS_CACHE_FILE);
    let params = match cached_params(&cache_path, request, public_key.as_deref()) {
        Some(params) => {
            log::info!("reusing the addresses in {}", cache_path.display());
            params
        }
        None => {
            let params = generate_params(request, public_key.as_deref())?;
            save_cache(&cache_path, request, &params)?;
            params
        }
    };
    let addresses = params
        .into_iter()
        .map(|params| LocalAddress {
            address: cga_address(&params, request.sec),
            prefix: params.subnet_prefix,
            params: params.encode(),
        })
        .collect();
    Ok(Identity {
        method: request.method,
        sec: request.sec,
        key,
        addresses,
    })
}

/// The state directory made (or found) private, and the key, if there is
/// one and the method uses it, readable by us only. The daemon runs this
/// before it starts, so that a problem stops it with a message.
pub fn prepare_private_state(
    state_dir: &Path,
    key_path: &Path,
    method: AddressMethod,
) -> Result<(), StateError> {
    let mut own_files = vec![std::ffi::OsString::from(ADDRESS_CACHE_FILE)];
    if key_path.parent() == Some(state_dir) {
        own_files.extend(key_path.file_name().map(ToOwned::to_owned));
    }
    prepare_state_dir(state_dir, &own_files)?;
    match method {
        AddressMethod::Cga => check_key_file(key_path),
        AddressMethod::Hba => Ok(()),
    }
}

fn load_or_generate_key(path: &Path, bits: usize) -> Result<RsaPrivateKey, IdentityError> {
    match fs::read_to_string(path) {
        Ok(pem) => {
            check_key_file(path)?;
            private_key_from_pem(&pem).map_err(|e| IdentityError::BadKey {
                path: path.to_path_buf(),
                reason: e.to_string(),
            })
        }
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            log::info!("generating a {bits}-bit RSA key in {}", path.display());
            let key =
                generate_rsa_key(bits).map_err(|e| IdentityError::Generation(e.to_string()))?;
            let pem =
                private_key_to_pem(&key).map_err(|e| IdentityError::Generation(e.to_string()))?;
            write_private_file(path, pem.as_bytes())?;
            Ok(key)
        }
        Err(error) => Err(IdentityError::Io {
            path: path.to_path_buf(),
            error,
        }),
    }
}

/// Writes through a temporary file created with mode 0600, then renames,
/// so the secret is never visible with wider permissions or half-written.
fn write_private_file(path: &Path, contents: &[u8]) -> Result<(), IdentityError> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error(parent))?;
    }
    let temporary = path.with_extension("tmp");
    let _ = fs::remove_file(&temporary);
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&temporary)
        .map_err(io_error(&temporary))?;
    file.write_all(contents)
        .and_then(|()| file.sync_all())
        .map_err(io_error(&temporary))?;
    fs::rename(&temporary, path).map_err(io_error(path))
}

fn method_name(method: AddressMethod) -> &'static str {
    match method {
        AddressMethod::Cga => "cga",
        AddressMethod::Hba => "hba",
    }
}

/// The cached parameters if they still match the request exactly.
fn cached_params(
    path: &Path,
    request: &IdentityRequest,
    public_key: Option<&[u8]>,
) -> Option<Vec<CgaParams>> {
    let text = fs::read_to_string(path).ok()?;
    let cache: AddressCache = serde_json::from_str(&text).ok()?;
    if cache.method != method_name(request.method) || cache.sec != request.sec.value() {
        return None;
    }
    let params: Vec<CgaParams> = cache
        .params
        .iter()
        .map(|text| hex::decode(text).and_then(|bytes| CgaParams::decode(&bytes).ok()))
        .collect::<Option<_>>()?;
    let same_prefixes = params.len() == request.prefixes.len()
        && params
            .iter()
            .zip(&request.prefixes)
            .all(|(params, prefix)| params.subnet_prefix == *prefix);
    let same_key = public_key.map_or(true, |key| {
        params.iter().all(|params| params.public_key == key)
    });
    (same_prefixes && same_key).then_some(params)
}

fn generate_params(
    request: &IdentityRequest,
    public_key: Option<&[u8]>,
) -> Result<Vec<CgaParams>, IdentityError> {
    let search = SearchOptions::default();
    let generation = |e: shim6_cga::GenerateError| IdentityError::Generation(e.to_string());
    match (request.method, public_key) {
        (AddressMethod::Cga, Some(key)) => {
            // One modifier search serves every prefix (RFC 3972 §4 allows
            // moving a modifier to another prefix).
            let first = request.prefixes.first().ok_or(IdentityError::NoPrefixes)?;
            let found =
                generate_cga(*first, key, request.sec, Vec::new(), &search).map_err(generation)?;
            Ok(request
                .prefixes
                .iter()
                .map(|prefix| CgaParams {
                    subnet_prefix: *prefix,
                    ..found.params.clone()
                })
                .collect())
        }
        (AddressMethod::Cga, None) => Err(IdentityError::Generation("CGA needs a key".into())),
        (AddressMethod::Hba, _) => {
            let set = generate_hba_set(&request.prefixes, request.sec, HbaKey::Pure, &search)
                .map_err(generation)?;
            Ok(set.params)
        }
    }
}

fn save_cache(
    path: &Path,
    request: &IdentityRequest,
    params: &[CgaParams],
) -> Result<(), IdentityError> {
    let cache = AddressCache {
        method: method_name(request.method).to_owned(),
        sec: request.sec.value(),
        params: params
            .iter()
            .map(|params| hex::encode(&params.encode()))
            .collect(),
    };
    let text = serde_json::to_string_pretty(&cache)
        .map_err(|e| IdentityError::Generation(e.to_string()))?;
    write_private_file(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use shim6_cga::parse_prefix64;
    use std::os::unix::fs::PermissionsExt;

    fn request(dir: &Path, method: AddressMethod) -> IdentityRequest {
        IdentityRequest {
            method,
            sec: Sec::new(0).unwrap(),
            rsa_bits: 1024,
            key_path: dir.join("key.pem"),
            state_dir: dir.to_path_buf(),
            prefixes: vec![
                parse_prefix64("2001:db8:1::/64").unwrap(),
                parse_prefix64("2001:db8:2::/64").unwrap(),
            ],
        }
    }

    #[test]
    fn cga_identity_is_generated_once_with_a_private_key_file() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_generate(&request(dir.path(), AddressMethod::Cga)).unwrap();
        let mode = fs::metadata(dir.path().join("key.pem"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
        assert_eq!(first.addresses.len(), 2);
        for local in &first.addresses {
            shim6_cga::verify_cga(local.address, &local.params).unwrap();
        }
        let second = load_or_generate(&request(dir.path(), AddressMethod::Cga)).unwrap();
        assert_eq!(
            first.addresses, second.addresses,
            "addresses survive a restart"
        );
    }

    #[test]
    fn hba_identity_has_no_key_and_changes_with_the_prefixes() {
        let dir = tempfile::tempdir().unwrap();
        let mut req = request(dir.path(), AddressMethod::Hba);
        let first = load_or_generate(&req).unwrap();
        assert!(first.key.is_none());
        assert!(!dir.path().join("key.pem").exists());
        for local in &first.addresses {
            shim6_cga::verify_hba_member(local.address, &local.params).unwrap();
        }
        req.prefixes.pop();
        let second = load_or_generate(&req).unwrap();
        assert_eq!(second.addresses.len(), 1);
        assert_ne!(
            second.addresses[0].params, first.addresses[0].params,
            "a new set for new prefixes"
        );
    }

    #[test]
    fn a_key_others_can_read_is_refused_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        load_or_generate(&request(dir.path(), AddressMethod::Cga)).unwrap();
        let key = dir.path().join("key.pem");
        fs::set_permissions(&key, fs::Permissions::from_mode(0o640)).unwrap();
        let error = load_or_generate(&request(dir.path(), AddressMethod::Cga)).unwrap_err();
        assert!(
            matches!(error, IdentityError::State(StateError::KeyFile { .. })),
            "{error}"
        );
        assert!(
            error.to_string().contains(&key.display().to_string()),
            "{error}"
        );
        assert!(error.to_string().contains("640"), "{error}");
    }

    #[test]
    fn a_corrupt_key_file_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("key.pem"), "not a key").unwrap();
        let error = load_or_generate(&request(dir.path(), AddressMethod::Cga)).unwrap_err();
        assert!(error.to_string().contains("key.pem"), "{error}");
    }
}
