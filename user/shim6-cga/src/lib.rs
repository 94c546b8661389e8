//! Cryptographically Generated Addresses (RFC 3972) and Hash-Based Addresses
//! (RFC 5535) as Shim6 uses them.
#![forbid(unsafe_code)]
