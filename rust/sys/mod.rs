// SPDX-License-Identifier: GPL-2.0

//! Thin, safe wrappers over the C networking APIs the module uses.
//!
//! This is the only place in the crate with `unsafe` code.  Each wrapper
//! owns one C object or one kind of callback, in the style of
//! `rust/kernel/net/phy.rs`; candidates for `rust/kernel/net/` once they
//! have settled.

pub(crate) mod genl;
pub(crate) mod inet6;
pub(crate) mod net;
pub(crate) mod netevent;
pub(crate) mod netfilter;
pub(crate) mod output;
pub(crate) mod pernet;
pub(crate) mod sync;
pub(crate) mod sysctl;
pub(crate) mod time;
pub(crate) mod timer;
pub(crate) mod xfrm;

/// The IP protocol number of Shim6 (RFC 5533 §17).
pub(crate) const IPPROTO_SHIM6: u8 = kernel::bindings::IPPROTO_SHIM6 as u8;

/// Returns an all-zero value of a C struct.
///
/// # Safety
///
/// `T` must be a C type (from `kernel::bindings`) for which all-zero bytes
/// are a valid value: integers, raw pointers, `Option` of function pointers
/// and nested such structs.
pub(crate) unsafe fn zeroed<T>() -> T {
    // SAFETY: the caller guarantees all-zero bytes are a valid `T`.
    unsafe { core::mem::MaybeUninit::<T>::zeroed().assume_init() }
}
