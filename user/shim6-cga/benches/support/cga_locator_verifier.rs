//! `LocatorVerifier` (shim6-proto) implemented on shim6-cga: the real HBA/CGA
//! check a responder runs on a received Locator List, and the PDS/signature a
//! sender attaches to its own list.
//!
//! Shared by the `i2` benchmark and its test (`tests/i2_locator_verifier.rs`)
//! through `#[path]`, so the adapter that is timed is the one that is tested.
//! shim6-cga itself stays free of any wire-codec dependency.

use shim6_cga::{check_locator_list, sign_locator_list, LocatorListError, RsaPrivateKey};
use shim6_proto::context::{LocatorVerifier, VerificationFailure};
use shim6_proto::wire::{LocatorList, Options};
use std::net::Ipv6Addr;

/// What proves our own ULID's locators: its encoded CGA Parameters and, when
/// the list has CGA-method locators, the key that signs them.
pub struct LocalProof {
    pub ulid: Ipv6Addr,
    pub encoded_params: Vec<u8>,
    /// `None` for a pure HBA set, which has no key and cannot sign.
    pub signing_key: Option<RsaPrivateKey>,
}

#[derive(Default)]
pub struct CgaLocatorVerifier {
    local_proof: Option<LocalProof>,
}

impl CgaLocatorVerifier {
    /// A verifier that can also prove the locators of `proof.ulid`.
    pub fn proving(proof: LocalProof) -> Self {
        CgaLocatorVerifier {
            local_proof: Some(proof),
        }
    }
}

/// (address, Verification Method octet) pairs, the form shim6-cga takes.
pub fn locator_method_pairs(list: &LocatorList) -> Vec<(Ipv6Addr, u8)> {
    list.locators
        .iter()
        .map(|locator| (locator.addr, u8::from(locator.method)))
        .collect()
}

/// The locator an Error message should point at; failures that concern the
/// whole list (parameters, signature) point at the first one.
fn failing_locator_index(error: &LocatorListError) -> usize {
    match error {
        LocatorListError::UnknownMethod { index, .. }
        | LocatorListError::HbaWithoutMultiPrefix { index }
        | LocatorListError::NotInHbaSet { index, .. }
        | LocatorListError::CgaWithoutPublicKey { index } => *index,
        LocatorListError::MalformedParams(_)
        | LocatorListError::UlidNotVerified(_)
        | LocatorListError::MissingSignature
        | LocatorListError::BadSignature(_) => 0,
    }
}

impl LocatorVerifier for CgaLocatorVerifier {
    fn verify_peer_locators(
        &mut self,
        peer_ulid: Ipv6Addr,
        locators: &LocatorList,
        options: &Options,
    ) -> Result<(), VerificationFailure> {
        // Without a PDS nothing ties the list to the ULID (RFC 5533 §7.2).
        let params = options
            .cga_parameters
            .as_deref()
            .ok_or(VerificationFailure { locator_index: 0 })?;
        check_locator_list(
            peer_ulid,
            params,
            locators.generation,
            &locator_method_pairs(locators),
            options.cga_signature.as_deref(),
        )
        .map(|_| ())
        .map_err(|error| VerificationFailure {
            locator_index: failing_locator_index(&error),
        })
    }

    fn prove_local_locators(
        &mut self,
        local_ulid: Ipv6Addr,
        locators: &LocatorList,
        options: &mut Options,
    ) {
        let Some(proof) = self.local_proof.as_ref().filter(|p| p.ulid == local_ulid) else {
            return;
        };
        options.cga_parameters = Some(proof.encoded_params.clone());
        let pairs = locator_method_pairs(locators);
        let has_cga_locators = pairs
            .iter()
            .any(|&(_, method)| method == shim6_cga::METHOD_CGA);
        if let (true, Some(key)) = (has_cga_locators, proof.signing_key.as_ref()) {
            // The trait cannot report an error: an unsigned list is simply
            // refused by the peer, which is the honest outcome.
            options.cga_signature = sign_locator_list(key, locators.generation, &pairs).ok();
        }
    }
}
