//! [`LocatorVerifier`] on shim6-cga: real CGA/HBA checks of received
//! Locator Lists and proofs (CGA Parameters, signature) for our own.

use std::cell::RefCell;
use std::net::Ipv6Addr;
use std::rc::Rc;

use shim6_cga::{
    check_locator_list, sign_locator_list, LocatorListError, VerificationMethod as CgaMethod,
};
use shim6_proto::context::{LocatorVerifier, VerificationFailure};
use shim6_proto::wire::{LocatorList, Options};

use crate::identity::Identity;
use crate::stats::{bump, VerificationStats};

/// Owned by the protocol core; shares its counters with the daemon (same
/// thread, hence `Rc<RefCell<_>>`).
pub struct CgaVerifier {
    identity: Rc<Identity>,
    /// Our last signed list and its signature: the list only changes with
    /// the locator set or its generation, so I2s and R2s reuse it.
    signed: Option<(LocatorList, Vec<u8>)>,
    stats: Rc<RefCell<VerificationStats>>,
}

impl CgaVerifier {
    pub fn new(identity: Rc<Identity>, stats: Rc<RefCell<VerificationStats>>) -> Self {
        CgaVerifier {
            identity,
            signed: None,
            stats,
        }
    }

    fn signature_for(&mut self, locators: &LocatorList) -> Option<Vec<u8>> {
        if let Some((list, signature)) = &self.signed {
            if list == locators {
                self.stats.borrow_mut().signatures_reused += 1;
                return Some(signature.clone());
            }
        }
        let key = self.identity.key.as_ref()?;
        let pairs = method_pairs(locators);
        match sign_locator_list(key, locators.generation, &pairs) {
            Ok(signature) => {
                self.stats.borrow_mut().signatures_made += 1;
                self.signed = Some((locators.clone(), signature.clone()));
                Some(signature)
            }
            Err(error) => {
                log::error!("cannot sign our Locator List: {error}");
                None
            }
        }
    }
}

fn method_pairs(list: &LocatorList) -> Vec<(Ipv6Addr, u8)> {
    list.locators
        .iter()
        .map(|locator| (locator.addr, u8::from(locator.method)))
        .collect()
}

/// Short, stable counter names for rejection reasons.
fn reason_name(error: &LocatorListError) -> &'static str {
    match error {
        LocatorListError::MalformedParams(_) => "malformed_params",
        LocatorListError::UlidNotVerified(_) => "ulid_not_verified",
        LocatorListError::UnknownMethod { .. } => "unknown_method",
        LocatorListError::HbaWithoutMultiPrefix { .. } => "hba_without_multi_prefix",
        LocatorListError::NotInHbaSet { .. } => "not_in_hba_set",
        LocatorListError::CgaWithoutPublicKey { .. } => "cga_without_public_key",
        LocatorListError::MissingSignature => "missing_signature",
        LocatorListError::BadSignature(_) => "bad_signature",
    }
}

fn failing_index(error: &LocatorListError) -> usize {
    match error {
        LocatorListError::UnknownMethod { index, .. }
        | LocatorListError::HbaWithoutMultiPrefix { index }
        | LocatorListError::NotInHbaSet { index, .. }
        | LocatorListError::CgaWithoutPublicKey { index } => *index,
        _ => 0,
    }
}

impl LocatorVerifier for CgaVerifier {
    fn verify_peer_locators(
        &mut self,
        peer_ulid: Ipv6Addr,
        locators: &LocatorList,
        options: &Options,
    ) -> Result<(), VerificationFailure> {
        let mut stats = self.stats.borrow_mut();
        let Some(params) = options.cga_parameters.as_deref() else {
            bump(&mut stats.rejected, "missing_params");
            log::info!("Locator List from {peer_ulid} refused: no CGA Parameters");
            return Err(VerificationFailure { locator_index: 0 });
        };
        let pairs = method_pairs(locators);
        match check_locator_list(
            peer_ulid,
            params,
            locators.generation,
            &pairs,
            options.cga_signature.as_deref(),
        ) {
            Ok(checked) => {
                let any_cga = checked
                    .iter()
                    .any(|locator| locator.method == CgaMethod::Cga);
                if any_cga {
                    stats.cga_verified += 1;
                } else {
                    stats.hba_verified += 1;
                }
                Ok(())
            }
            Err(error) => {
                bump(&mut stats.rejected, reason_name(&error));
                log::info!("Locator List from {peer_ulid} refused: {error}");
                Err(VerificationFailure {
                    locator_index: failing_index(&error),
                })
            }
        }
    }

    fn prove_local_locators(
        &mut self,
        local_ulid: Ipv6Addr,
        locators: &LocatorList,
        options: &mut Options,
    ) {
        let Some(params) = self.identity.params_for(local_ulid) else {
            log::warn!("ULID {local_ulid} is not one of our CGA/HBA addresses; the peer will refuse our locators");
            return;
        };
        options.cga_parameters = Some(params.to_vec());
        let needs_signature = locators
            .locators
            .iter()
            .any(|locator| u8::from(locator.method) == shim6_cga::METHOD_CGA);
        if needs_signature {
            options.cga_signature = self.signature_for(locators);
        }
    }
}
