// SPDX-License-Identifier: GPL-2.0

//! Sending an IPv6 packet built by the module (REAP keepalives).

use super::net::Net;
use kernel::{bindings, ffi, prelude::*};

pub(crate) type Addr = [u8; 16];

/// Room for link-layer headers in front of the packet.
const HEADROOM: u32 = 128;
const IPV6_HEADER_LEN: usize = 40;

/// Sends `payload` from `src` to `dst` as IPv6 protocol `proto`, routed
/// like a locally generated packet.  Usable in softirq context.
pub(crate) fn send(net: &Net, src: &Addr, dst: &Addr, proto: u8, payload: &[u8]) -> Result {
    let total = IPV6_HEADER_LEN + payload.len();
    let total32 = u32::try_from(total).map_err(|_| EINVAL)?;
    let payload_len = u16::try_from(payload.len()).map_err(|_| EINVAL)?;
    // SAFETY: every pointer is checked before use; the skb is ours until
    // `ip6_local_out` takes it (or we free it on the error paths).
    unsafe {
        let skb = bindings::__alloc_skb(HEADROOM + total32, bindings::GFP_ATOMIC, 0, bindings::NUMA_NO_NODE);
        if skb.is_null() {
            return Err(ENOMEM);
        }
        // Reserve the headroom: put it all, then pull it back off.
        bindings::skb_put(skb, HEADROOM + total32);
        bindings::skb_pull(skb, HEADROOM);
        bindings::skb_reset_network_header(skb);
        let data = (*skb).data;
        let mut header = [0u8; IPV6_HEADER_LEN];
        header[0] = 0x60;
        header[4..6].copy_from_slice(&payload_len.to_be_bytes());
        header[6] = proto;
        header[7] = 64;
        header[8..24].copy_from_slice(src);
        header[24..40].copy_from_slice(dst);
        core::ptr::copy_nonoverlapping(header.as_ptr(), data, IPV6_HEADER_LEN);
        core::ptr::copy_nonoverlapping(payload.as_ptr(), data.add(IPV6_HEADER_LEN), payload.len());

        let mut fl6: bindings::flowi6 = super::zeroed();
        fl6.daddr.in6_u.u6_addr8 = *dst;
        fl6.saddr.in6_u.u6_addr8 = *src;
        fl6.__fl_common.flowic_proto = proto;
        let dst_entry = bindings::ip6_route_output_flags(net.as_ptr(), core::ptr::null(), &mut fl6, 0);
        if dst_entry.is_null() || (*dst_entry).error != 0 {
            if !dst_entry.is_null() {
                bindings::dst_release(dst_entry);
            }
            bindings::kfree_skb(skb);
            return Err(Error::from_errno(-(bindings::ENETUNREACH as i32)));
        }
        // skb_dst_set(): the skb takes over our route reference.
        (*skb).__bindgen_anon_3.__bindgen_anon_1._skb_refdst = dst_entry as ffi::c_ulong;
        (*skb).__bindgen_anon_4.__bindgen_anon_1.as_mut().protocol = (bindings::ETH_P_IPV6 as u16).to_be();
        // Consumes the skb whatever happens.
        let _ = bindings::ip6_local_out(net.as_ptr(), core::ptr::null_mut(), skb);
    }
    Ok(())
}
