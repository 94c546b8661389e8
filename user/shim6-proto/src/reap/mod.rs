//! REAP failure detection and path exploration (RFC 5534).
