// SPDX-License-Identifier: GPL-2.0

//! Per-network-namespace data (`register_pernet_subsys`).

use super::net::Net;
use core::{marker::PhantomData, sync::atomic::AtomicU32, sync::atomic::Ordering};
use kernel::{bindings, error::to_result, prelude::*, types::Opaque};

/// The slot number the kernel assigns to a pernet subsystem.
pub(crate) struct PernetId(AtomicU32);

impl PernetId {
    pub(crate) const fn new() -> Self {
        PernetId(AtomicU32::new(0))
    }

    pub(crate) fn get(&self) -> u32 {
        self.0.load(Ordering::Acquire)
    }

    fn as_ptr(&self) -> *mut u32 {
        self.0.as_ptr()
    }
}

/// Data kept for every network namespace.
pub(crate) trait PernetData: Sized + Send + Sync + 'static {
    /// Where the kernel stores this type's slot number.
    fn id() -> &'static PernetId;
    /// Initialises the data of a new namespace in place (it may hold locks,
    /// which must not move).
    fn init(net: &Net) -> impl PinInit<Self, Error>;
    /// Runs before the data is dropped, while the namespace still exists
    /// (for teardown that needs the namespace, such as xfrm states).
    fn exit(&self, _net: &Net) {}
}

/// A registered pernet subsystem; unregistering drops the data of every
/// namespace.
///
/// # Invariants
///
/// `ops` is registered with the kernel for the lifetime of `self` and is
/// never moved (it lives in its own allocation).
pub(crate) struct Registration<T: PernetData> {
    ops: KBox<Opaque<bindings::pernet_operations>>,
    _data: PhantomData<T>,
}

// SAFETY: the operations are only read by the kernel (under pernet_ops_rwsem)
// between registration and `drop`; `&Registration` gives no access to them.
unsafe impl<T: PernetData> Send for Registration<T> {}
// SAFETY: as above.
unsafe impl<T: PernetData> Sync for Registration<T> {}

impl<T: PernetData> Registration<T> {
    pub(crate) fn register() -> Result<Self> {
        // SAFETY: `pernet_operations` is a C struct of pointers and integers.
        let mut raw: bindings::pernet_operations = unsafe { super::zeroed() };
        raw.init = Some(init_callback::<T>);
        raw.exit = Some(exit_callback::<T>);
        raw.id = T::id().as_ptr();
        raw.size = core::mem::size_of::<T>();
        let ops = KBox::new(Opaque::new(raw), GFP_KERNEL)?;
        // SAFETY: `ops` is valid and stays at this address until
        // `unregister_pernet_subsys` in `drop`.
        to_result(unsafe { bindings::register_pernet_subsys(ops.get()) })?;
        // INVARIANT: registered above, unregistered in `drop`.
        Ok(Registration { ops, _data: PhantomData })
    }
}

impl<T: PernetData> Drop for Registration<T> {
    fn drop(&mut self) {
        // SAFETY: registered in `register` (type invariant).
        unsafe { bindings::unregister_pernet_subsys(self.ops.get()) };
    }
}

fn slot<T: PernetData>(net: *mut bindings::net) -> *mut T {
    // SAFETY: called only from the pernet callbacks, where `net` is live and
    // its slot for `T` is allocated with `size_of::<T>()` bytes.
    unsafe { bindings::net_generic(net, T::id().get()).cast::<T>() }
}

unsafe extern "C" fn init_callback<T: PernetData>(net: *mut bindings::net) -> kernel::ffi::c_int {
    // SAFETY: the slot is allocated with `size_of::<T>()` bytes, zeroed and
    // not yet used by anyone; the kernel calls `init` once per namespace
    // before any other access, and the slot never moves.
    match unsafe { T::init(Net::from_raw(net)).__pinned_init(slot::<T>(net)) } {
        Ok(()) => 0,
        Err(e) => e.to_errno(),
    }
}

unsafe extern "C" fn exit_callback<T: PernetData>(net: *mut bindings::net) {
    let data = slot::<T>(net);
    // SAFETY: `init` initialised a `T` here; the namespace is still valid
    // during `exit`.
    unsafe { (*data).exit(Net::from_raw(net)) };
    // SAFETY: `exit` runs once, after the namespace became unreachable, and
    // the kernel frees the memory afterwards.
    unsafe { core::ptr::drop_in_place(data) };
}
