// SPDX-License-Identifier: GPL-2.0

//! The Shim6 xfrm type's output handler, and the state/policy pairs that
//! send a ULID pair's packets through it.
//!
//! The type itself is built into the kernel (`net/ipv6/shim6_xfrm.c`,
//! patch 0009), so a state that outlives the module, held by a socket's
//! cached bundle, never points into it: the module only attaches its
//! output handler, and unloads with contexts installed.
//!
//! The xfrm core (as `xfrm6_ro_output()` does for MIPv6) opens an 8-octet
//! gap where the Shim6 header goes, after the routing-sublayer headers, and
//! then calls our `output`, which either fills the gap with the payload
//! extension header and rewrites the addresses, or closes it again when
//! the context uses its ULIDs as locators.  The bundle is routed from the
//! state's care-of address, the local locator (XFRM_TYPE_LOCAL_COADDR), to
//! the peer ULID.

use super::net::Net;
use core::ptr::NonNull;
use kernel::{bindings, error::to_result, ffi, prelude::*, types::Opaque};

pub(crate) type Addr = [u8; 16];

/// Shim6 payload extension header length (RFC 5533 §5.2).
pub(crate) const PAYLOAD_HEADER_LEN: usize = bindings::SHIM6_PAYLOAD_HLEN as usize;

/// What to do with one outbound packet of a state.
pub(crate) enum Output {
    /// Rewrite to these locators and insert the header with `peer_tag`.
    Rewrite { local: Addr, peer: Addr, peer_tag: u64 },
    /// Send on the ULIDs, without the header.
    Plain,
    /// The context is gone: drop.
    Drop,
}

/// The Shim6-specific part of the type.
pub(crate) trait ShimType {
    /// Decides for one outbound packet of the state whose cookie is `cookie`.
    fn output(net: &Net, cookie: u64, len: usize) -> Output;
}

/// Our output handler, attached to the built-in type.
///
/// # Invariants
///
/// `raw` is registered with `shim6_xfrm_register_ops` for the lifetime of
/// `self`.
pub(crate) struct OutputRegistration {
    raw: KBox<Opaque<bindings::shim6_xfrm_ops>>,
}

// SAFETY: the type only reads the handler table (under RCU).
unsafe impl Send for OutputRegistration {}
// SAFETY: as above.
unsafe impl Sync for OutputRegistration {}

impl OutputRegistration {
    /// Attaches `T`'s output; fails with `EBUSY` if another module has.
    pub(crate) fn register<T: ShimType>() -> Result<Self> {
        // SAFETY: `shim6_xfrm_ops` is a C struct of function pointers.
        let mut ops: bindings::shim6_xfrm_ops = unsafe { super::zeroed() };
        ops.output = Some(output::<T>);
        let raw = KBox::new(Opaque::new(ops), GFP_KERNEL)?;
        // SAFETY: `raw` stays allocated until unregistered in `drop`.
        to_result(unsafe { bindings::shim6_xfrm_register_ops(raw.get()) })?;
        Ok(OutputRegistration { raw })
    }
}

impl Drop for OutputRegistration {
    fn drop(&mut self) {
        // SAFETY: registered in `register` (type invariant).  This waits
        // for outputs already running; states used from now on drop their
        // packets in the built-in type.
        unsafe { bindings::shim6_xfrm_unregister_ops(self.raw.get()) };
    }
}

/// The state's cookie: the context tag stored in the state's private data.
fn cookie(x: *mut bindings::xfrm_state) -> u64 {
    // SAFETY: `data` is ours (set in `StatePair::install`), a plain integer.
    unsafe { (*x).data as usize as u64 }
}

unsafe extern "C" fn output<T: ShimType>(x: *mut bindings::xfrm_state, skb: *mut bindings::sk_buff) -> ffi::c_int {
    // SAFETY: the core calls `output` with a valid state (which holds its
    // namespace) and an skb laid out by `xfrm6_ro_output()`: the network
    // header, then `hdr_len` octets of IPv6 and routing-sublayer headers,
    // the 8-octet gap at the transport header, and `data` right after it.
    unsafe {
        let net = Net::from_raw((*x).xs_net.net);
        let nh = bindings::skb_network_header(skb);
        let th = bindings::skb_transport_header(skb);
        let hdr_len = th.offset_from(nh) as usize;
        match T::output(net, cookie(x), (*skb).len as usize) {
            Output::Rewrite { local, peer, peer_tag } => {
                // The previous header's Next Header now names Shim6 and
                // ours carries the old value (mip6 does the same).
                let prev = bindings::skb_mac_header(skb);
                let next = *prev;
                *prev = bindings::IPPROTO_SHIM6 as u8;
                let header = [
                    next,
                    0,
                    0x80 | ((peer_tag >> 40) as u8 & 0x7f),
                    (peer_tag >> 32) as u8,
                    (peer_tag >> 24) as u8,
                    (peer_tag >> 16) as u8,
                    (peer_tag >> 8) as u8,
                    peer_tag as u8,
                ];
                core::ptr::copy_nonoverlapping(header.as_ptr(), th, PAYLOAD_HEADER_LEN);
                let ip6 = nh.cast::<bindings::ipv6hdr>();
                set_addr(&mut (*ip6).__bindgen_anon_1.addrs.saddr, &local);
                set_addr(&mut (*ip6).__bindgen_anon_1.addrs.daddr, &peer);
                bindings::skb_push(skb, (hdr_len + PAYLOAD_HEADER_LEN) as u32);
                // GSO computes the segment length from the transport header
                // (the TCP header length is read there): point it past ours.
                bindings::skb_set_transport_header(skb, (hdr_len + PAYLOAD_HEADER_LEN) as i32);
                0
            }
            Output::Plain => {
                // Close the gap: move the headers up against the payload.
                core::ptr::copy(nh, nh.add(PAYLOAD_HEADER_LEN), hdr_len);
                bindings::skb_push(skb, hdr_len as u32);
                bindings::skb_reset_network_header(skb);
                bindings::skb_set_transport_header(skb, hdr_len as i32);
                0
            }
            Output::Drop => -(bindings::ENOENT as i32),
        }
    }
}

fn set_addr(dst: &mut bindings::in6_addr, src: &Addr) {
    // Writing a union field is safe; every bit pattern is a valid address.
    dst.in6_u.u6_addr8 = *src;
}

fn xfrm_addr(a: &Addr) -> bindings::xfrm_address_t {
    // SAFETY: `xfrm_address_t` is a union of integer arrays.
    let mut x: bindings::xfrm_address_t = unsafe { super::zeroed() };
    // SAFETY: `in6` covers the whole union, all of it initialised above.
    set_addr(unsafe { &mut x.in6 }, a);
    x
}

fn selector(local_ulid: &Addr, peer_ulid: &Addr) -> bindings::xfrm_selector {
    // SAFETY: `xfrm_selector` is a C struct of integers.
    let mut sel: bindings::xfrm_selector = unsafe { super::zeroed() };
    sel.family = bindings::AF_INET6 as u16;
    sel.saddr = xfrm_addr(local_ulid);
    sel.daddr = xfrm_addr(peer_ulid);
    sel.prefixlen_s = 128;
    sel.prefixlen_d = 128;
    sel
}

/// The xfrm state and outbound policy of one context.
///
/// # Invariants
///
/// Both are inserted in their namespace's tables and this value holds one
/// reference on each, until `remove`.
pub(crate) struct StatePair {
    // Never null, so `Option<StatePair>` costs no more than the pair.
    state: NonNull<bindings::xfrm_state>,
    policy: NonNull<bindings::xfrm_policy>,
}

// SAFETY: the pointers are references counted by the xfrm core, usable
// from any context.
unsafe impl Send for StatePair {}
// SAFETY: `&StatePair` only allows `set_local_locator`, which takes the
// state's lock.
unsafe impl Sync for StatePair {}

impl StatePair {
    /// Installs the state and policy for the ULID pair; `cookie` comes back
    /// to [`ShimType::output`].
    pub(crate) fn install(net: &Net, local_ulid: &Addr, peer_ulid: &Addr, local_locator: &Addr, cookie: u64) -> Result<Self> {
        // SAFETY: allocations are checked; every field written is part of
        // the freshly allocated, not yet shared state or policy; on error
        // each object is released with the call matching its stage.
        unsafe {
            let x = bindings::xfrm_state_alloc(net.as_ptr());
            if x.is_null() {
                return Err(ENOMEM);
            }
            (*x).id.proto = bindings::IPPROTO_SHIM6 as u8;
            (*x).id.daddr = xfrm_addr(peer_ulid);
            (*x).props.saddr = xfrm_addr(local_ulid);
            (*x).props.family = bindings::AF_INET6 as u16;
            (*x).props.mode = bindings::XFRM_MODE_ROUTEOPTIMIZATION as u8;
            (*x).sel = selector(local_ulid, peer_ulid);
            (*x).data = cookie as usize as *mut ffi::c_void;
            let coaddr = bindings::krealloc(core::ptr::null(), 16, bindings::GFP_KERNEL_ACCOUNT).cast::<bindings::xfrm_address_t>();
            if coaddr.is_null() {
                discard_state(x);
                return Err(ENOMEM);
            }
            coaddr.write(xfrm_addr(local_locator));
            // Freed by the core with the state.
            (*x).coaddr = coaddr;
            let err = bindings::xfrm_init_state(x);
            if err != 0 {
                discard_state(x);
                return Err(Error::from_errno(err));
            }
            // The table keeps the allocation's reference; this one is ours,
            // given back in `remove` (the pattern of xfrm_add_sa()).
            bindings::refcount_inc(&mut (*x).refcnt);
            let err = bindings::xfrm_state_add(x);
            if err != 0 {
                bindings::refcount_dec_and_test(&mut (*x).refcnt);
                discard_state(x);
                return Err(Error::from_errno(err));
            }

            let xp = bindings::xfrm_policy_alloc(net.as_ptr(), bindings::GFP_KERNEL_ACCOUNT);
            if xp.is_null() {
                bindings::xfrm_state_delete(x);
                state_put(x);
                return Err(ENOMEM);
            }
            (*xp).selector = selector(local_ulid, peer_ulid);
            // The lowest precedence there is: any other policy on the
            // pair, an IPsec one added later above all, wins the lookup.
            (*xp).priority = u32::MAX;
            (*xp).family = bindings::AF_INET6 as u16;
            (*xp).action = bindings::XFRM_POLICY_ALLOW as u8;
            (*xp).type_ = bindings::XFRM_POLICY_TYPE_MAIN as u8;
            (*xp).xfrm_nr = 1;
            let t = &mut (*xp).xfrm_vec[0];
            t.id.proto = bindings::IPPROTO_SHIM6 as u8;
            t.encap_family = bindings::AF_INET6 as u16;
            t.mode = bindings::XFRM_MODE_ROUTEOPTIMIZATION as u8;
            t.share = bindings::XFRM_SHARE_ANY as u8;
            t.aalgos = !0;
            t.ealgos = !0;
            t.calgos = !0;
            // The policy tables take a reference of their own; the
            // allocation's reference is ours, given back in `remove`.
            let err = bindings::xfrm_policy_insert(bindings::XFRM_POLICY_OUT as i32, xp, 1);
            if err != 0 {
                // Never inserted: mark it dead so it may be destroyed.
                (*xp).walk.dead = 1;
                policy_put(xp);
                bindings::xfrm_state_delete(x);
                state_put(x);
                return Err(Error::from_errno(err));
            }
            // Both were checked for null after allocation.
            Ok(StatePair { state: NonNull::new_unchecked(x), policy: NonNull::new_unchecked(xp) })
        }
    }

    /// Routes from now on from `local_locator`, dropping cached bundles.
    pub(crate) fn set_local_locator(&self, local_locator: &Addr) {
        let x = self.state.as_ptr();
        // SAFETY: the state is alive (type invariant); `coaddr` and `genid`
        // are protected by its lock, as in `xfrm_state_update()`.
        unsafe {
            bindings::spin_lock_bh(&mut (*x).lock);
            (*x).coaddr.write(xfrm_addr(local_locator));
            (*x).genid = (*x).genid.wrapping_add(1);
            bindings::spin_unlock_bh(&mut (*x).lock);
        }
    }

    /// Removes both from the tables and drops our references.
    pub(crate) fn remove(self) {
        // SAFETY: inserted in `install` (type invariant); deleting twice is
        // harmless for both (the core checks), and each put matches the
        // reference `install` kept.
        unsafe {
            bindings::xfrm_policy_delete(self.policy.as_ptr(), bindings::XFRM_POLICY_OUT as i32);
            policy_put(self.policy.as_ptr());
            bindings::xfrm_state_delete(self.state.as_ptr());
            state_put(self.state.as_ptr());
        }
    }
}

/// What the module reads of an outbound policy of the namespace.
pub(crate) struct PolicyView {
    /// Address family of the flows it selects (`xfrm_policy.family`).
    pub(crate) family: u16,
    /// Selector prefixes: source, destination and their lengths.
    pub(crate) src: Addr,
    pub(crate) src_len: u8,
    pub(crate) dst: Addr,
    pub(crate) dst_len: u8,
    /// Drops what it selects (`XFRM_POLICY_BLOCK`).
    pub(crate) blocks: bool,
    /// Only for packets routed through this xfrm interface, if not 0.
    pub(crate) if_id: u32,
    templates: [u8; bindings::XFRM_MAX_DEPTH as usize],
    template_count: usize,
}

impl PolicyView {
    /// The protocol (`id.proto`) of each template, in order.
    pub(crate) fn template_protocols(&self) -> &[u8] {
        self.templates.get(..self.template_count).unwrap_or(&[])
    }
}

/// The search [`any_out_policy`] hands to the walk's callback.
type PolicyTest<'a> = &'a mut dyn FnMut(&PolicyView) -> bool;

/// Whether `test` holds for an outbound policy of `net` (main or sub
/// type; socket policies are not in the walk's directions).  Runs `test`
/// under the namespace's policy lock: it must not sleep.
pub(crate) fn any_out_policy(net: &Net, mut test: impl FnMut(&PolicyView) -> bool) -> bool {
    let mut found = false;
    let mut search = |view: &PolicyView| {
        found = test(view);
        found
    };
    let mut test: PolicyTest<'_> = &mut search;
    // SAFETY: the walk state lives on this stack frame from `init` to
    // `done`, which unlinks it from the namespace's list if the walk
    // stopped early; `visit` gets `test` back through `data` and runs
    // within the call.
    unsafe {
        let mut walk: bindings::xfrm_policy_walk = super::zeroed();
        bindings::xfrm_policy_walk_init(&mut walk, bindings::XFRM_POLICY_TYPE_ANY as u8);
        let data = core::ptr::addr_of_mut!(test).cast::<ffi::c_void>();
        // -ENOENT only says there is no policy at all.
        let _ = bindings::xfrm_policy_walk(net.as_ptr(), &mut walk, Some(visit), data);
        bindings::xfrm_policy_walk_done(&mut walk, net.as_ptr());
    }
    found
}

unsafe extern "C" fn visit(xp: *mut bindings::xfrm_policy, dir: ffi::c_int, _count: ffi::c_int, data: *mut ffi::c_void) -> ffi::c_int {
    if dir != bindings::XFRM_POLICY_OUT as ffi::c_int {
        return 0;
    }
    // SAFETY: the walk calls us with a live policy under the namespace's
    // policy lock, which policy insertion and deletion take; the fields
    // read are set before a policy is inserted and never change after.
    // `data` is the `PolicyTest` of `any_out_policy`, alive for the walk.
    unsafe {
        let sel = &*core::ptr::addr_of!((*xp).selector);
        let count = usize::from((*xp).xfrm_nr).min(bindings::XFRM_MAX_DEPTH as usize);
        let mut templates = [0u8; bindings::XFRM_MAX_DEPTH as usize];
        for (slot, t) in templates.iter_mut().zip((*xp).xfrm_vec.iter()).take(count) {
            *slot = t.id.proto;
        }
        let view = PolicyView {
            family: (*xp).family,
            src: sel.saddr.in6.in6_u.u6_addr8,
            src_len: sel.prefixlen_s,
            dst: sel.daddr.in6.in6_u.u6_addr8,
            dst_len: sel.prefixlen_d,
            blocks: u32::from((*xp).action) == bindings::XFRM_POLICY_BLOCK,
            if_id: (*xp).if_id,
            templates,
            template_count: count,
        };
        let test = &mut *data.cast::<PolicyTest<'_>>();
        ffi::c_int::from(test(&view))
    }
}

/// Releases a state that never reached the tables.
///
/// # Safety
///
/// The caller owns the only reference on `x`.
unsafe fn discard_state(x: *mut bindings::xfrm_state) {
    // SAFETY: per the caller; the destroy path expects a dead state.
    unsafe {
        (*x).km.state = bindings::XFRM_STATE_DEAD as u8;
        state_put(x);
    }
}

/// `xfrm_pol_put()`, an inline function in C.
///
/// # Safety
///
/// The caller owns a reference on `xp`.
unsafe fn policy_put(xp: *mut bindings::xfrm_policy) {
    // SAFETY: the caller's reference is given up here.
    unsafe {
        if bindings::refcount_dec_and_test(&mut (*xp).refcnt) {
            bindings::xfrm_policy_destroy(xp);
        }
    }
}

/// `xfrm_state_put()`, an inline function in C.
///
/// # Safety
///
/// The caller owns a reference on `x`.
unsafe fn state_put(x: *mut bindings::xfrm_state) {
    // SAFETY: the caller's reference is given up here.
    unsafe {
        if bindings::refcount_dec_and_test(&mut (*x).refcnt) {
            bindings::__xfrm_state_destroy(x);
        }
    }
}
