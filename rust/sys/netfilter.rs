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
    /// Transport payload octets: the IPv6 payload less the TCP or UDP
    /// header (a pure TCP acknowledgement has none).
    pub(crate) payload: usize,
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
        Self::register::<T>(net, bindings::nf_inet_hooks_NF_INET_LOCAL_IN)
    }

    /// At LOCAL_OUT, after the filter tables.
    pub(crate) fn local_out<T: Inspect>(net: &Net) -> Result<Self> {
        Self::register::<T>(net, bindings::nf_inet_hooks_NF_INET_LOCAL_OUT)
    }

    fn register<T: Inspect>(net: &Net, hooknum: u32) -> Result<Self> {
        // SAFETY: `nf_hook_ops` is a C struct of integers and pointers.
        let mut ops: bindings::nf_hook_ops = unsafe { super::zeroed() };
        ops.hook = Some(hook::<T>);
        ops.pf = bindings::NFPROTO_IPV6 as u8;
        ops.hooknum = hooknum;
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
        let next_header = (*ip6).nexthdr;
        let ip6_payload = usize::from(u16::from_be((*ip6).payload_len));
        let seen = Seen {
            src: a.saddr.in6_u.u6_addr8,
            dst: a.daddr.in6_u.u6_addr8,
            next_header,
            len: (*skb).len as usize,
            payload: transport_payload(skb, next_header, ip6_payload),
        };
        T::inspect(Net::from_raw((*state).net), &seen);
    }
    bindings::NF_ACCEPT
}

/// Octets after the TCP or UDP header, when that header follows the IPv6
/// header directly and is in the linear area; otherwise the IPv6 payload.
///
/// # Safety
///
/// `skb` is a valid packet whose IPv6 header is linear.
unsafe fn transport_payload(skb: *mut bindings::sk_buff, next_header: u8, ip6_payload: usize) -> usize {
    const TCP: u8 = 6;
    const UDP: u8 = 17;
    match next_header {
        UDP => ip6_payload.saturating_sub(8),
        TCP => {
            // SAFETY: per the caller; the 13th octet of the TCP header is
            // read only if it lies within the linear area.
            unsafe {
                let th = bindings::skb_network_header(skb).add(40);
                let end = (*skb).data.add(((*skb).len - (*skb).data_len) as usize);
                if th.add(13) >= end {
                    return ip6_payload;
                }
                let header_len = usize::from(*th.add(12) >> 4) * 4;
                ip6_payload.saturating_sub(header_len)
            }
        }
        _ => ip6_payload,
    }
}
