//! CGA generation (RFC 3972 §4).

use crate::address::Prefix64;
use crate::der::der_sequence_len;
use crate::hash::address_from_params;
use crate::modifier_search::{search_modifier, SearchError, SearchOptions};
use crate::params::{encode_extensions, CgaParams, Extension, ParamsError, MODIFIER_LEN};
use crate::sec::Sec;
use rand::RngCore;
use std::net::Ipv6Addr;
use std::time::Duration;
use thiserror::Error;

/// The collision count may only take the values 0, 1 and 2.
pub const MAX_COLLISION_COUNT: u8 = 2;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum GenerateError {
    #[error("the public key is not a single DER SubjectPublicKeyInfo: {0}")]
    BadPublicKey(ParamsError),
    #[error(transparent)]
    Extension(ParamsError),
    #[error(transparent)]
    Search(#[from] SearchError),
    #[error("three address collisions: give up (RFC 3972 §4 step 8)")]
    TooManyCollisions,
    #[error("an HBA set needs at least one prefix")]
    NoPrefixes,
    #[error("prefix {0} appears twice in the HBA set")]
    DuplicatePrefix(Ipv6Addr),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GeneratedCga {
    pub address: Ipv6Addr,
    pub params: CgaParams,
    pub sec: Sec,
    pub modifiers_tried: u64,
    pub search_time: Duration,
}

/// Generates a CGA from a random starting modifier.
pub fn generate_cga(
    prefix: Prefix64,
    public_key: &[u8],
    sec: Sec,
    extensions: Vec<Extension>,
    options: &SearchOptions<'_>,
) -> Result<GeneratedCga, GenerateError> {
    let mut start = [0u8; MODIFIER_LEN];
    rand::thread_rng().fill_bytes(&mut start);
    generate_cga_from(start, prefix, public_key, sec, extensions, options)
}

/// Generates a CGA searching upward from a given modifier (deterministic with
/// one thread; used for test vectors).
pub fn generate_cga_from(
    start_modifier: [u8; MODIFIER_LEN],
    prefix: Prefix64,
    public_key: &[u8],
    sec: Sec,
    extensions: Vec<Extension>,
    options: &SearchOptions<'_>,
) -> Result<GeneratedCga, GenerateError> {
    check_public_key(public_key)?;
    let found = search_modifier(
        start_modifier,
        public_key,
        &encode_extensions(&extensions),
        sec,
        options,
    )?;
    let params = CgaParams {
        modifier: found.modifier,
        subnet_prefix: prefix,
        collision_count: 0,
        public_key: public_key.to_vec(),
        extensions,
    };
    Ok(GeneratedCga {
        address: cga_address(&params, sec),
        params,
        sec,
        modifiers_tried: found.modifiers_tried,
        search_time: found.elapsed,
    })
}

/// The address for these parameters (steps 5–7), e.g. to move an already
/// searched modifier to another prefix (the RFC 3972 §4 shortcut).
pub fn cga_address(params: &CgaParams, sec: Sec) -> Ipv6Addr {
    address_from_params(params, sec)
}

/// After duplicate address detection found `params`' address in use: the
/// parameters and address with the collision count raised (step 8).
pub fn next_collision(
    params: &CgaParams,
    sec: Sec,
) -> Result<(Ipv6Addr, CgaParams), GenerateError> {
    if params.collision_count >= MAX_COLLISION_COUNT {
        return Err(GenerateError::TooManyCollisions);
    }
    let mut next = params.clone();
    next.collision_count += 1;
    Ok((cga_address(&next, sec), next))
}

pub(crate) fn check_public_key(public_key: &[u8]) -> Result<(), GenerateError> {
    let len = der_sequence_len(public_key).map_err(GenerateError::BadPublicKey)?;
    if len != public_key.len() {
        return Err(GenerateError::BadPublicKey(
            ParamsError::PublicKeyTruncated {
                declared: len,
                available: public_key.len(),
            },
        ));
    }
    Ok(())
}
