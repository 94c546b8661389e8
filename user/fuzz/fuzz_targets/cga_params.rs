//! Fuzzes the CGA Parameters decoder and the verifiers that consume it:
//! arbitrary bytes must give an error value, never a panic, and anything
//! accepted must re-encode to the same bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use shim6_cga::{verify_cga, verify_hba_member, CgaParams};
use std::net::Ipv6Addr;

fuzz_target!(|data: &[u8]| {
    if let Ok(params) = CgaParams::decode(data) {
        assert_eq!(params.encode(), data);
    }
    // The first 16 octets double as the address to verify.
    if data.len() >= 16 {
        let mut address = [0u8; 16];
        address.copy_from_slice(&data[..16]);
        let _ = verify_cga(Ipv6Addr::from(address), &data[16..]);
        let _ = verify_hba_member(Ipv6Addr::from(address), &data[16..]);
    }
});
