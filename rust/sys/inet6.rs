// SPDX-License-Identifier: GPL-2.0

//! An IPv6 next-header handler (`inet6_add_protocol`), for protocol 140.
//!
//! Like the extension-header handlers of `net/ipv6/exthdrs.c`, a handler
//! may skip its header and let the stack continue with the next one.

use super::net::Net;
use core::marker::PhantomData;
use kernel::{bindings, error::to_result, ffi, prelude::*, types::Opaque};

pub(crate) type Addr = [u8; 16];

/// What becomes of a received packet.
pub(crate) enum Verdict {
    /// Skip `len` octets of header and go on with the header they name.
    Skip(usize),
    /// Drop it (counted by the handler).
    Drop,
    /// Done with it (a control message: raw sockets already have a copy).
    Consume,
}

/// The handler.
pub(crate) trait Protocol {
    fn receive(net: &Net, packet: &mut Packet<'_>) -> Verdict;
}

/// A received packet, at our header.
///
/// # Invariants
///
/// `skb` is a valid received packet whose transport header (and `data`)
/// is at our header, exclusively ours for `'a`.
pub(crate) struct Packet<'a> {
    skb: *mut bindings::sk_buff,
    _owned: PhantomData<&'a mut bindings::sk_buff>,
}

impl Packet<'_> {
    /// The first `len` octets of our header, pulled into the linear area;
    /// `None` if the packet is shorter.
    pub(crate) fn header(&mut self, len: usize) -> Option<&[u8]> {
        let len32 = u32::try_from(len).ok()?;
        // SAFETY: `skb` is valid (type invariant).
        if !unsafe { bindings::pskb_may_pull(self.skb, len32) } {
            return None;
        }
        // SAFETY: `len` octets from the transport header are now linear.
        Some(unsafe { core::slice::from_raw_parts(bindings::skb_transport_header(self.skb), len) })
    }

    /// The packet's length from our header on.
    pub(crate) fn len(&self) -> usize {
        // SAFETY: `skb` is valid (type invariant).
        unsafe { (*self.skb).len as usize }
    }

    fn ip6(&self) -> *mut bindings::ipv6hdr {
        // SAFETY: the IPv6 header is linear in every received packet.
        unsafe { bindings::ipv6_hdr(self.skb) }
    }

    /// (source, destination) of the IPv6 header.
    pub(crate) fn addresses(&self) -> (Addr, Addr) {
        let ip6 = self.ip6();
        // SAFETY: valid header (see `ip6`); plain octet reads.
        unsafe {
            let a = &(*ip6).__bindgen_anon_1.addrs;
            (a.saddr.in6_u.u6_addr8, a.daddr.in6_u.u6_addr8)
        }
    }

    /// Rewrites the IPv6 source and destination; `Err(ENOMEM)` when the
    /// header is shared with a clone and cannot be copied.
    ///
    /// With CHECKSUM_COMPLETE, `skb->csum` still covers the IPv6 header
    /// here: `ip6_protocol_deliver_rcu()` (net/ipv6/ip6_input.c, 6.12) pulls
    /// headers without touching it and, on reaching the first final
    /// protocol, subtracts everything from the network header to the
    /// transport header as it is in memory then (`skb_postpull_rcsum`).  So
    /// skipping our header needs nothing (it is in that range, as
    /// destination options are), but the new addresses must replace the old
    /// ones in the sum, as `seg6_update_csum()` does for a segment-routing
    /// hop; otherwise the transport sees a wrong sum (a software recheck,
    /// and a "hw csum failure" report for a device's sum).
    pub(crate) fn set_addresses(&mut self, src: &Addr, dst: &Addr) -> Result {
        // SAFETY: `skb` is valid and not shared (ipv6_rcv checked); a
        // cloned skb shares its data, so it gets a private copy first, as
        // ipv6_dest_hao() does before swapping addresses.
        unsafe {
            if (*self.skb).cloned() != 0 && bindings::pskb_expand_head(self.skb, 0, 0, bindings::GFP_ATOMIC) != 0 {
                return Err(ENOMEM);
            }
        }
        let mut new = [0u8; 32];
        new[..16].copy_from_slice(src);
        new[16..].copy_from_slice(dst);
        let ip6 = self.ip6();
        // SAFETY: valid header (see `ip6`), now writable: the packet is ours
        // (invariant) and not shared with a clone.  The source and the
        // destination are the 32 contiguous octets at offset 8 (even, so
        // their one's-complement sums combine with the packet's).
        unsafe {
            let a = &mut (*ip6).__bindgen_anon_1.addrs;
            let fields = &mut (*self.skb).__bindgen_anon_4.__bindgen_anon_1;
            if u32::from(fields.as_ref().ip_summed()) == bindings::CHECKSUM_COMPLETE {
                let old = core::ptr::addr_of!(a.saddr).cast::<core::ffi::c_void>();
                let old_sum = bindings::csum_partial(old, 32, 0);
                let new_sum = bindings::csum_partial(new.as_ptr().cast(), 32, 0);
                let csum = &mut fields.as_mut().__bindgen_anon_1.csum;
                *csum = csum_add(csum_add(*csum, !old_sum), new_sum);
            }
            a.saddr.in6_u.u6_addr8 = *src;
            a.daddr.in6_u.u6_addr8 = *dst;
        }
        Ok(())
    }
}

/// One's-complement addition of two 32-bit partial sums (`csum_add()`);
/// adding `!b` subtracts `b`.
fn csum_add(a: u32, b: u32) -> u32 {
    let (sum, carry) = a.overflowing_add(b);
    sum.wrapping_add(u32::from(carry))
}

/// A registered handler.
///
/// # Invariants
///
/// `raw` is registered for protocol `proto` for the lifetime of `self`.
pub(crate) struct Registration {
    raw: KBox<Opaque<bindings::inet6_protocol>>,
    proto: u8,
}

// SAFETY: the stack only reads the registration.
unsafe impl Send for Registration {}
// SAFETY: as above.
unsafe impl Sync for Registration {}

impl Registration {
    pub(crate) fn register<T: Protocol>(proto: u8) -> Result<Self> {
        // SAFETY: `inet6_protocol` is a C struct of integers and pointers.
        let mut p: bindings::inet6_protocol = unsafe { super::zeroed() };
        p.handler = Some(handler::<T>);
        // An extension header: no policy check here (the transport does it).
        p.flags = bindings::INET6_PROTO_NOPOLICY;
        let raw = KBox::new(Opaque::new(p), GFP_KERNEL)?;
        // SAFETY: `raw` stays allocated until `inet6_del_protocol` in `drop`.
        let ret = unsafe { bindings::inet6_add_protocol(raw.get(), proto) };
        if ret != 0 {
            return Err(EBUSY);
        }
        Ok(Registration { raw, proto })
    }
}

impl Drop for Registration {
    fn drop(&mut self) {
        // SAFETY: registered (type invariant); `inet6_del_protocol` waits
        // for running handlers (synchronize_net) before returning.
        let _ = to_result(unsafe { bindings::inet6_del_protocol(self.raw.get(), self.proto) });
    }
}

unsafe extern "C" fn handler<T: Protocol>(skb: *mut bindings::sk_buff) -> ffi::c_int {
    // SAFETY: the stack hands us a received packet with `data` at our header
    // and its device set; it is ours until we return.
    let net = unsafe { Net::from_raw(bindings::dev_net((*skb).__bindgen_anon_1.__bindgen_anon_1.__bindgen_anon_1.dev)) };
    let mut packet = Packet { skb, _owned: PhantomData };
    match T::receive(net, &mut packet) {
        Verdict::Skip(len) => {
            // SAFETY: `len` octets were pulled by `header()`; as in
            // ipv6_destopt_rcv(), nhoff names our Next Header octet and the
            // transport header moves past us, then the stack resubmits.
            unsafe {
                let nh = bindings::skb_network_header(skb);
                let th = bindings::skb_transport_header(skb);
                let cb = (*skb).cb.as_mut_ptr().cast::<bindings::inet6_skb_parm>();
                (*cb).nhoff = th.offset_from(nh) as u16;
                bindings::skb_set_transport_header(skb, len as i32);
            }
            1
        }
        Verdict::Drop => {
            // SAFETY: the packet is ours to free.
            unsafe { bindings::kfree_skb(skb) };
            0
        }
        Verdict::Consume => {
            // SAFETY: the packet is ours to free.
            unsafe { bindings::consume_skb(skb) };
            0
        }
    }
}
