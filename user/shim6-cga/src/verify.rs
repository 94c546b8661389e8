//! CGA verification (RFC 3972 §5), one error value per failing step.

use crate::address::{interface_id_of, prefix_as_address, prefix_of};
use crate::generate::MAX_COLLISION_COUNT;
use crate::hash::{
    hash1, hash2_meets_sec, hash2_of_params, iid_matches_hash1, leading_zero_bits, sec_bits_of,
};
use crate::params::{CgaParams, ParamsError};
use crate::sec::Sec;
use std::net::Ipv6Addr;
use thiserror::Error;

#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum VerifyError {
    #[error("malformed CGA parameters: {0}")]
    Malformed(#[from] ParamsError),
    #[error("collision count {0} is not 0, 1 or 2")]
    InvalidCollisionCount(u8),
    #[error("subnet prefix {params} in the parameters differs from the address prefix {address}")]
    SubnetPrefixMismatch { address: Ipv6Addr, params: Ipv6Addr },
    #[error("Hash1 of the parameters does not match the interface identifier")]
    Hash1Mismatch,
    #[error("the address claims Sec {0}, which is not supported (only 0–2)")]
    UnsupportedSec(u8),
    #[error(
        "Hash2 has only {zero_bits} leading zero bits, too few for Sec {sec} (16 per Sec unit)"
    )]
    Hash2Insufficient { sec: u8, zero_bits: u32 },
    #[error("the parameters carry no Multi-Prefix extension, so they define no HBA set")]
    NotAnHbaSet,
    #[error("prefix {0} is not in the HBA set of the parameters")]
    PrefixNotInSet(Ipv6Addr),
}

/// A successful verification: the key in `params` owns the address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedCga {
    pub sec: Sec,
    pub params: CgaParams,
}

/// Verifies `address` against encoded CGA Parameters.
pub fn verify_cga(address: Ipv6Addr, params: &[u8]) -> Result<VerifiedCga, VerifyError> {
    let decoded = CgaParams::decode(params)?;
    let sec = verify_cga_params(address, &decoded)?;
    Ok(VerifiedCga {
        sec,
        params: decoded,
    })
}

/// Verifies `address` against decoded parameters; returns the address's Sec.
pub fn verify_cga_params(address: Ipv6Addr, params: &CgaParams) -> Result<Sec, VerifyError> {
    // Step 1.
    if params.collision_count > MAX_COLLISION_COUNT {
        return Err(VerifyError::InvalidCollisionCount(params.collision_count));
    }
    // Step 2.
    if params.subnet_prefix != prefix_of(&address) {
        return Err(VerifyError::SubnetPrefixMismatch {
            address: prefix_as_address(&prefix_of(&address)),
            params: prefix_as_address(&params.subnet_prefix),
        });
    }
    // Steps 3–4. Encoding reproduces the received octets exactly.
    if !iid_matches_hash1(&interface_id_of(&address), &hash1(&params.encode())) {
        return Err(VerifyError::Hash1Mismatch);
    }
    // Step 5.
    let sec = Sec::new(sec_bits_of(&address))
        .map_err(|unsupported| VerifyError::UnsupportedSec(unsupported.0))?;
    // Steps 6–7.
    if sec != Sec::ZERO {
        let hash2 = hash2_of_params(params);
        if !hash2_meets_sec(&hash2, sec) {
            return Err(VerifyError::Hash2Insufficient {
                sec: sec.value(),
                zero_bits: leading_zero_bits(&hash2),
            });
        }
    }
    Ok(sec)
}
