//! End-to-end check of a received Locator List (RFC 5533 §7.2, §10.4 with
//! RFC 5535 §7): the parameters must verify for the peer's ULID, HBA-method
//! locators must be in the ULID's HBA set, and CGA-method locators must be
//! covered by a valid signature made with the ULID's key.

use crate::address::prefix_of;
use crate::hba::verify_hba_member_params;
use crate::params::{CgaParams, ParamsError};
use crate::sec::Sec;
use crate::signature::{cga_method_locators, verify_cga_locators_signature, SignatureError};
use crate::verify::{verify_cga_params, VerifyError};
use std::net::Ipv6Addr;
use thiserror::Error;

/// Verification Method octet values (RFC 5533 §5.15.2; digest conflict 1).
pub const METHOD_HBA: u8 = 1;
pub const METHOD_CGA: u8 = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VerificationMethod {
    Hba,
    Cga,
}

impl VerificationMethod {
    pub fn from_octet(octet: u8) -> Option<VerificationMethod> {
        match octet {
            METHOD_HBA => Some(VerificationMethod::Hba),
            METHOD_CGA => Some(VerificationMethod::Cga),
            _ => None,
        }
    }

    pub fn octet(self) -> u8 {
        match self {
            VerificationMethod::Hba => METHOD_HBA,
            VerificationMethod::Cga => METHOD_CGA,
        }
    }
}

/// Why a Locator List was rejected. Variants with an `index` point at the
/// offending locator (its position in the list) so the caller can fill the
/// Error message's Pointer at that locator's method octet.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
pub enum LocatorListError {
    #[error("malformed CGA parameters: {0}")]
    MalformedParams(#[from] ParamsError),
    #[error("the CGA parameters do not verify for the peer ULID: {0}")]
    UlidNotVerified(VerifyError),
    #[error("locator {index}: unknown verification method {method}")]
    UnknownMethod { index: usize, method: u8 },
    #[error("locator {index}: HBA method but the parameters carry no Multi-Prefix extension")]
    HbaWithoutMultiPrefix { index: usize },
    #[error("locator {index} ({address}) is not in the peer's HBA set: {reason}")]
    NotInHbaSet {
        index: usize,
        address: Ipv6Addr,
        reason: VerifyError,
    },
    #[error(
        "locator {index}: CGA method but the parameters are a pure HBA set with no public key"
    )]
    CgaWithoutPublicKey { index: usize },
    #[error("CGA-method locators present but no CGA Signature")]
    MissingSignature,
    #[error("bad CGA signature: {0}")]
    BadSignature(SignatureError),
}

/// How a locator was accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CheckedLocator {
    pub address: Ipv6Addr,
    pub method: VerificationMethod,
    /// Sec of the locator's own HBA check; for CGA-method locators, the Sec of
    /// the ULID whose key signed them.
    pub sec: Sec,
}

/// Verifies the parameters for the peer's ULID: HBA membership if they carry
/// a Multi-Prefix extension naming the ULID's prefix, else plain CGA.
pub fn verify_ulid(peer_ulid: Ipv6Addr, params: &CgaParams) -> Result<Sec, VerifyError> {
    match params.multi_prefix()? {
        Some(set) if set.contains(&prefix_of(&peer_ulid)) => {
            verify_hba_member_params(peer_ulid, params)
        }
        _ => verify_cga_params(peer_ulid, params),
    }
}

/// Checks a received Locator List. `locators` are (address, Verification
/// Method octet) in list order; `signature` is the CGA Signature option's
/// content, if the message had one. Any failure rejects the whole list.
pub fn check_locator_list(
    peer_ulid: Ipv6Addr,
    params: &[u8],
    generation: u32,
    locators: &[(Ipv6Addr, u8)],
    signature: Option<&[u8]>,
) -> Result<Vec<CheckedLocator>, LocatorListError> {
    let params = CgaParams::decode(params)?;
    let ulid_sec = verify_ulid(peer_ulid, &params).map_err(LocatorListError::UlidNotVerified)?;
    let multi_prefix = params.multi_prefix()?;
    let has_real_key = !matches!(&multi_prefix, Some(set) if !set.public_key_present);

    let mut checked = Vec::with_capacity(locators.len());
    for (index, &(address, octet)) in locators.iter().enumerate() {
        let method =
            VerificationMethod::from_octet(octet).ok_or(LocatorListError::UnknownMethod {
                index,
                method: octet,
            })?;
        let sec = match method {
            VerificationMethod::Hba => {
                if multi_prefix.is_none() {
                    return Err(LocatorListError::HbaWithoutMultiPrefix { index });
                }
                verify_hba_member_params(address, &params).map_err(|reason| {
                    LocatorListError::NotInHbaSet {
                        index,
                        address,
                        reason,
                    }
                })?
            }
            VerificationMethod::Cga => {
                if !has_real_key {
                    return Err(LocatorListError::CgaWithoutPublicKey { index });
                }
                ulid_sec
            }
        };
        checked.push(CheckedLocator {
            address,
            method,
            sec,
        });
    }

    let signed = cga_method_locators(locators);
    if !signed.is_empty() {
        let signature = signature.ok_or(LocatorListError::MissingSignature)?;
        verify_cga_locators_signature(&params.public_key, generation, &signed, signature)
            .map_err(LocatorListError::BadSignature)?;
    }
    Ok(checked)
}
