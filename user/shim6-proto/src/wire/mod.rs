//! Shim6 wire format (RFC 5533 §5) and REAP messages (RFC 5534 §5).
