//! Context establishment and maintenance (RFC 5533 §7–§10, Appendix B).
//!
//! [`Host`] is the entry point: it owns every [`Context`] of the host, the
//! stateless responder's secret and each context's REAP machine.

mod address_checks;
#[allow(clippy::module_inception)]
mod context;
mod establishment;
mod host;
mod limits;
mod maintenance;
mod negative_cache;
mod retransmission;
mod state;
mod table;
mod validator;
mod verifier;

pub use address_checks::is_global_unicast;
pub use context::Context;
pub use host::{Host, HostConfig, HostEvent, StartError, Transmit};
pub use limits::HostLimits;
pub use retransmission::Retransmission;
pub use state::ContextState;
pub use validator::{ResponderSecrets, ValidatorInput};
pub use verifier::{AcceptAllVerifier, LocatorVerifier, VerificationFailure};
