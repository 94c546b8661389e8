//! Unit tests of the wire codec.
