//! HBA sets (RFC 5535 §6) and set membership (RFC 5535 §7.2).

use crate::address::{prefix_as_address, prefix_of, Prefix64};
use crate::der::random_extended_modifier_key;
use crate::generate::{cga_address, check_public_key, GenerateError};
use crate::modifier_search::{search_modifier, SearchOptions};
use crate::multi_prefix::MultiPrefix;
use crate::params::{encode_extensions, CgaParams, MODIFIER_LEN};
use crate::sec::Sec;
use crate::verify::{verify_cga_params, VerifiedCga, VerifyError};
use rand::RngCore;
use std::net::Ipv6Addr;
use std::time::Duration;

/// What fills the Public Key field of an HBA set.
#[derive(Clone, Copy, Debug)]
pub enum HbaKey<'a> {
    /// A real DER public key: a CGA-compatible HBA set (P = 1) that can also sign.
    Cga(&'a [u8]),
    /// A random 384-bit Extended Modifier: a pure HBA set (P = 0), no signatures.
    Pure,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HbaSet {
    /// One address per input prefix, in input order.
    pub addresses: Vec<Ipv6Addr>,
    /// The parameters of each address; they differ only in the subnet prefix.
    pub params: Vec<CgaParams>,
    pub sec: Sec,
    pub modifiers_tried: u64,
    pub search_time: Duration,
}

/// Generates an HBA set: one modifier search serves every prefix.
pub fn generate_hba_set(
    prefixes: &[Prefix64],
    sec: Sec,
    key: HbaKey<'_>,
    options: &SearchOptions<'_>,
) -> Result<HbaSet, GenerateError> {
    if prefixes.is_empty() {
        return Err(GenerateError::NoPrefixes);
    }
    for (index, prefix) in prefixes.iter().enumerate() {
        if prefixes[..index].contains(prefix) {
            return Err(GenerateError::DuplicatePrefix(prefix_as_address(prefix)));
        }
    }
    let mut rng = rand::thread_rng();
    let (public_key, public_key_present) = match key {
        HbaKey::Cga(der) => {
            check_public_key(der)?;
            (der.to_vec(), true)
        }
        HbaKey::Pure => (random_extended_modifier_key(&mut rng), false),
    };
    let extension = MultiPrefix {
        public_key_present,
        prefixes: prefixes.to_vec(),
    }
    .to_extension()
    .map_err(GenerateError::Extension)?;
    let extensions = vec![extension];

    let mut start = [0u8; MODIFIER_LEN];
    rng.fill_bytes(&mut start);
    let found = search_modifier(
        start,
        &public_key,
        &encode_extensions(&extensions),
        sec,
        options,
    )?;

    let params: Vec<CgaParams> = prefixes
        .iter()
        .map(|prefix| CgaParams {
            modifier: found.modifier,
            subnet_prefix: *prefix,
            collision_count: 0,
            public_key: public_key.clone(),
            extensions: extensions.clone(),
        })
        .collect();
    let addresses = params.iter().map(|p| cga_address(p, sec)).collect();
    Ok(HbaSet {
        addresses,
        params,
        sec,
        modifiers_tried: found.modifiers_tried,
        search_time: found.elapsed,
    })
}

/// Does `address` belong to the HBA set described by these encoded parameters?
pub fn verify_hba_member(address: Ipv6Addr, params: &[u8]) -> Result<VerifiedCga, VerifyError> {
    let decoded = CgaParams::decode(params)?;
    let sec = verify_hba_member_params(address, &decoded)?;
    Ok(VerifiedCga {
        sec,
        params: decoded,
    })
}

/// Set membership with decoded parameters: the address's prefix must be in
/// the Multi-Prefix extension, and CGA verification must pass with the
/// subnet prefix replaced by that prefix.
pub fn verify_hba_member_params(address: Ipv6Addr, params: &CgaParams) -> Result<Sec, VerifyError> {
    let set = params.multi_prefix()?.ok_or(VerifyError::NotAnHbaSet)?;
    let prefix = prefix_of(&address);
    if !set.contains(&prefix) {
        return Err(VerifyError::PrefixNotInSet(prefix_as_address(&prefix)));
    }
    let mut for_this_prefix = params.clone();
    for_this_prefix.subnet_prefix = prefix;
    verify_cga_params(address, &for_this_prefix)
}
