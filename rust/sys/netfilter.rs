// SPDX-License-Identifier: GPL-2.0

//! A per-namespace IPv6 netfilter hook that only looks at packets.

use super::net::Net;
use kernel::{bindings, error::to_result, ffi, prelude::*, types::Opaque};

pub(crate) type Addr = [u8; 16];

/// What the hook sees of a packet.
pub(crate) struct Seen {
    pub(crate) src: Addr,
    pub(crate) dst: Addr,
    pub(crate) next_header: u8,
    pub(crate) len: usize,
}

/// The hook: inspects, never changes or drops.
pub(crate) trait Inspect {
    fn inspect(net: &Net, packet: &Seen);
}

/// A registered hook.
///
/// # Invariants
///
/// `ops` is registered in `net` for the lifetime of `self`, and the
/// namespace outlives `self` (it is dropped from the pernet exit).
pub(crate) struct Hook {
    ops: KBox<Opaque<bindings::nf_hook_ops>>,
    net: *mut bindings::net,
}

// SAFETY: netfilter only reads the ops; `net` is only used to unregister.
unsafe impl Send for Hook {}
// SAFETY: as above.
unsafe impl Sync for Hook {}

impl Hook {
    /// At LOCAL_IN, after the filter tables.
    pub(crate) fn local_in<T: Inspect>(net: &Net) -> Result<Self> {
        // SAFETY: `nf_hook_ops` is a C struct of integers and pointers.
        let mut ops: bindings::nf_hook_ops = unsafe { super::zeroed() };
        ops.hook = Some(hook::<T>);
        ops.pf = bindings::NFPROTO_IPV6 as u8;
        ops.hooknum = bindings::nf_inet_hooks_NF_INET_LOCAL_IN;
        ops.priority = bindings::nf_ip6_hook_priorities_NF_IP6_PRI_FILTER as i32 + 1;
        let ops = KBox::new(Opaque::new(ops), GFP_KERNEL)?;
        // SAFETY: `ops` stays allocated until unregistered in `drop`.
        to_result(unsafe { bindings::nf_register_net_hook(net.as_ptr(), ops.get()) })?;
        Ok(Hook { ops, net: net.as_ptr() })
    }
}

impl Drop for Hook {
    fn drop(&mut self) {
        // SAFETY: registered (type invariant); waits for running hooks.
        unsafe { bindings::nf_unregister_net_hook(self.net, self.ops.get()) };
    }
}

unsafe extern "C" fn hook<T: Inspect>(
    _priv: *mut ffi::c_void,
    skb: *mut bindings::sk_buff,
    state: *const bindings::nf_hook_state,
) -> ffi::c_uint {
    // SAFETY: at LOCAL_IN the IPv6 header is linear and valid, and the
    // state names the namespace, alive for the call.
    unsafe {
        let ip6 = bindings::ipv6_hdr(skb);
        let a = &(*ip6).__bindgen_anon_1.addrs;
        let seen = Seen {
            src: a.saddr.in6_u.u6_addr8,
            dst: a.daddr.in6_u.u6_addr8,
            next_header: (*ip6).nexthdr,
            len: (*skb).len as usize,
        };
        T::inspect(Net::from_raw((*state).net), &seen);
    }
    bindings::NF_ACCEPT
}
