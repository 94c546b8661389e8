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

    /// Rewrites the IPv6 source and destination.
    pub(crate) fn set_addresses(&mut self, src: &Addr, dst: &Addr) {
        let ip6 = self.ip6();
        // SAFETY: valid, writable header of a packet we own (invariant).
        unsafe {
            let a = &mut (*ip6).__bindgen_anon_1.addrs;
            a.saddr.in6_u.u6_addr8 = *src;
            a.daddr.in6_u.u6_addr8 = *dst;
        }
    }
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
