// SPDX-License-Identifier: GPL-2.0

//! A spinlock that also disables bottom halves, for data shared between
//! process context (netlink commands) and softirq (packets, timers).
//!
//! `kernel::sync::SpinLock` takes `spin_lock()`, which deadlocks if a
//! softirq on the same CPU wants the lock its interrupted task holds.

use kernel::{bindings, sync::lock::Backend};

/// `spin_lock_bh()` / `spin_unlock_bh()` as a [`Backend`] for
/// `kernel::sync::lock::Lock`.
pub(crate) struct BhSpinLockBackend;

/// A `T` protected by a BH-disabling spinlock.
pub(crate) type BhSpinLock<T> = kernel::sync::lock::Lock<T, BhSpinLockBackend>;

/// Creates a [`BhSpinLock`] initialiser with a lock class of its own.
macro_rules! new_bh_spinlock {
    ($value:expr, $name:literal) => {
        kernel::sync::lock::Lock::new(
            $value,
            kernel::c_str!($name),
            kernel::static_lock_class!(),
        )
    };
}
pub(crate) use new_bh_spinlock;

// SAFETY: `spin_lock_bh` gives mutual exclusion between every context that
// takes the lock, including softirqs on the same CPU; `State` is the C
// spinlock it operates on, initialised by `init` before any use.
unsafe impl Backend for BhSpinLockBackend {
    type State = bindings::spinlock_t;
    type GuardState = ();

    unsafe fn init(
        ptr: *mut Self::State,
        name: *const kernel::ffi::c_char,
        key: *mut bindings::lock_class_key,
    ) {
        // SAFETY: the caller passes a valid lock, and a name and key that
        // live forever (Backend::init's contract).
        unsafe { bindings::__spin_lock_init(ptr, name, key) }
    }

    unsafe fn lock(ptr: *mut Self::State) -> Self::GuardState {
        // SAFETY: the caller guarantees `init` ran on this lock.
        unsafe { bindings::spin_lock_bh(ptr) }
    }

    unsafe fn unlock(ptr: *mut Self::State, _guard_state: &Self::GuardState) {
        // SAFETY: the caller is the owner (Backend::unlock's contract).
        unsafe { bindings::spin_unlock_bh(ptr) }
    }
}
