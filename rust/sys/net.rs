// SPDX-License-Identifier: GPL-2.0

//! Network namespaces (`struct net`).

use super::pernet::PernetData;
use kernel::{bindings, types::Opaque};

/// A network namespace.
///
/// # Invariants
///
/// A `&Net` is only made from a pointer to a live `struct net`, for a
/// lifetime during which the namespace cannot be freed.
#[repr(transparent)]
pub(crate) struct Net(Opaque<bindings::net>);

impl Net {
    /// # Safety
    ///
    /// `ptr` must point to a `struct net` that stays alive for `'a`.
    pub(crate) unsafe fn from_raw<'a>(ptr: *mut bindings::net) -> &'a Net {
        // SAFETY: `Net` is a transparent wrapper of `struct net`, and the
        // caller guarantees the namespace outlives `'a`.
        unsafe { &*ptr.cast::<Net>() }
    }

    pub(crate) fn as_ptr(&self) -> *mut bindings::net {
        self.0.get()
    }

    /// Whether the initial user namespace owns this namespace: only then
    /// is CAP_NET_ADMIN in it the host administrator's.
    pub(crate) fn owned_by_initial_user_ns(&self) -> bool {
        // SAFETY: a live namespace (type invariant) keeps its owner, set
        // at creation, for its whole life; only the address is compared.
        unsafe { (*self.as_ptr()).user_ns == core::ptr::addr_of_mut!(bindings::init_user_ns) }
    }

    /// This namespace's instance of the per-namespace data `T`.
    pub(crate) fn generic<T: PernetData>(&self) -> &T {
        // SAFETY: `T`'s pernet operations are registered for as long as any
        // code that can reach a `&Net` runs (the module registers them first
        // and unregisters them last), so the kernel has allocated the slot
        // with `T`'s size and `init` has written a `T` into it before the
        // namespace became reachable; it lives until `exit`, which runs after
        // the namespace can no longer be reached.
        unsafe { &*bindings::net_generic(self.as_ptr(), T::id().get()).cast::<T>() }
    }
}
