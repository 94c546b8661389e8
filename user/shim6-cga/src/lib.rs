//! Cryptographically Generated Addresses (RFC 3972) and Hash-Based Addresses
//! (RFC 5535) as Shim6 (RFC 5533) uses them.
//!
//! The API uses plain types (`Ipv6Addr`, `u32`, byte slices) so that it does
//! not depend on any wire codec. Every decoder returns an error value for
//! malformed input; nothing here panics on untrusted bytes.
//!
//! * [`params`]: the CGA Parameters data structure and extension fields.
//! * [`multi_prefix`]: the RFC 5535 Multi-Prefix extension (type 0x0012).
//! * [`hash`]: Hash1, Hash2, the interface identifier and the Sec bits.
//! * [`modifier_search`]: the multi-threaded, cancellable Hash2 search.
//! * [`generate`] / [`verify`]: CGA generation and verification.
//! * [`hba`]: HBA-set generation and set-membership verification.
//! * [`signature`]: the CGA signature and its Shim6 input.
//! * [`locator_check`]: end-to-end check of a received Locator List.
#![forbid(unsafe_code)]

pub mod address;
mod der;
pub mod generate;
pub mod hash;
pub mod hba;
pub mod key;
pub mod locator_check;
pub mod modifier_search;
pub mod multi_prefix;
pub mod params;
pub mod sec;
pub mod signature;
pub mod verify;

pub use address::{parse_prefix64, Prefix64, PrefixParseError};
pub use der::random_extended_modifier_key;
pub use generate::{
    cga_address, generate_cga, generate_cga_from, next_collision, GenerateError, GeneratedCga,
};
pub use hba::{generate_hba_set, verify_hba_member, HbaKey, HbaSet};
pub use key::{generate_rsa_key, public_key_der, KeyError};
pub use locator_check::{
    check_locator_list, verify_ulid, CheckedLocator, LocatorListError, VerificationMethod,
    METHOD_CGA, METHOD_HBA,
};
pub use modifier_search::{
    search_modifier, SearchError, SearchOptions, SearchProgress, SearchResult,
};
pub use multi_prefix::{MultiPrefix, MULTI_PREFIX_EXT_TYPE};
pub use params::{CgaParams, Extension, ParamsError};
pub use sec::{Sec, UnsupportedSec};
pub use signature::{
    sign_cga_locators, sign_locator_list, signature_input, verify_cga_locators_signature,
    SignatureError, MIN_SHIM6_RSA_BITS, SHIM6_CGA_TAG,
};
pub use verify::{verify_cga, verify_cga_params, VerifiedCga, VerifyError};

/// RSA types callers need to hold keys (re-exported so versions match).
pub use rsa::{RsaPrivateKey, RsaPublicKey};
