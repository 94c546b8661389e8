//! Locator ownership checks (HBA/CGA, RFC 5533 §7.2) are another crate's
//! job; the state machines only ask through this trait.

use core::net::Ipv6Addr;

use crate::wire::{LocatorList, Options};

/// Why a peer's locator list was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerificationFailure {
    /// Index of the first locator that failed, for the Error message pointer.
    pub locator_index: usize,
}

/// Supplied by the caller: the daemon passes the real HBA/CGA checker,
/// tests pass a fake.
pub trait LocatorVerifier {
    /// Do all `locators` belong to the owner of `peer_ulid`? `options` is the
    /// whole option set of the message that carried the list (CGA Parameter
    /// Data Structure, CGA Signature).
    fn verify_peer_locators(
        &mut self,
        peer_ulid: Ipv6Addr,
        locators: &LocatorList,
        options: &Options,
    ) -> Result<(), VerificationFailure>;

    /// Add whatever proves our own `locators` (PDS, signature) to an
    /// outgoing message. The default adds nothing.
    fn prove_local_locators(
        &mut self,
        _local_ulid: Ipv6Addr,
        _locators: &LocatorList,
        _options: &mut Options,
    ) {
    }
}

/// Accepts every list. For tests and for hosts that trust the network.
#[derive(Debug, Clone, Copy, Default)]
pub struct AcceptAllVerifier;

impl LocatorVerifier for AcceptAllVerifier {
    fn verify_peer_locators(
        &mut self,
        _peer_ulid: Ipv6Addr,
        _locators: &LocatorList,
        _options: &Options,
    ) -> Result<(), VerificationFailure> {
        Ok(())
    }
}
