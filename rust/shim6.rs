// SPDX-License-Identifier: GPL-2.0

//! Shim6 (RFC 5533): a layer-3 shim for IPv6 multihoming.
//!
//! This is the kernel half of the sublayer: per network namespace state and
//! the `shim6` generic netlink family through which the daemon drives it.
//! All `unsafe` code lives in [`sys`], a thin layer over the C APIs; the
//! rest of the crate is safe Rust.

use kernel::{c_str, prelude::*};

mod context;
mod events;
mod genl;
mod input;
mod keepalive;
mod local_out;
mod netns;
mod plain_input;
mod reap;
mod reap_timer;
mod stats;
mod sys;
mod sysctl;
mod trigger;
mod xfrm;

/// Reported by the `get-info` command; follows the user-space crates.
pub(crate) const VERSION: &CStr = c_str!("0.1.0");

module! {
    type: Shim6,
    name: "shim6",
    author: "shim6-linux developers",
    description: "Shim6 multihoming sublayer for IPv6 (RFC 5533, RFC 5534)",
    license: "GPL",
}

struct Shim6 {
    // Fields drop in declaration order, the reverse of `init`: first what
    // feeds work in (netlink, received packets, the xfrm output handler,
    // which reads the per-namespace state), then the per-namespace state,
    // which deletes the remaining contexts and their xfrm states.  States
    // still held by a socket's route may outlive the module: the xfrm type
    // they use is built in and drops their packets once we are gone.
    _family: genl::Family,
    _input: sys::inet6::Registration,
    _output: sys::xfrm::OutputRegistration,
    _pernet: sys::pernet::Registration<netns::Shim6Net>,
}

impl kernel::Module for Shim6 {
    fn init(module: &'static ThisModule) -> Result<Self> {
        let pernet = sys::pernet::Registration::register()?;
        let output = sys::xfrm::OutputRegistration::register::<xfrm::Shim6Output>()?;
        let input = sys::inet6::Registration::register::<input::Shim6Input>(sys::IPPROTO_SHIM6)?;
        let family = genl::Family::register(module)?;
        pr_info!("version {} loaded\n", VERSION);
        Ok(Shim6 { _family: family, _input: input, _output: output, _pernet: pernet })
    }
}

impl Drop for Shim6 {
    fn drop(&mut self) {
        pr_info!("unloading\n");
    }
}
