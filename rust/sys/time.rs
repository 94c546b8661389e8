// SPDX-License-Identifier: GPL-2.0

//! The kernel's tick clock.

use kernel::bindings;

/// The current `jiffies`.
pub(crate) fn jiffies() -> u64 {
    // SAFETY: `jiffies` is always readable; a torn read cannot happen on
    // 64-bit, and a volatile read keeps the compiler from caching it.
    unsafe { core::ptr::read_volatile(core::ptr::addr_of!(bindings::jiffies)) as u64 }
}

/// Milliseconds from `then` to `now` (both `jiffies`), saturating.
pub(crate) fn jiffies_to_ms_since(then: u64, now: u64) -> u32 {
    let ticks = now.wrapping_sub(then);
    // SAFETY: a pure conversion.
    let ms = unsafe { bindings::jiffies_to_msecs(ticks as _) };
    ms
}

/// Whole seconds of `jiffies`, for coarse rate limits.
pub(crate) fn seconds() -> u64 {
    jiffies() / u64::from(bindings::HZ)
}

/// Milliseconds to `jiffies`, rounded up.
pub(crate) fn ms_to_jiffies(ms: u32) -> u64 {
    // SAFETY: a pure conversion.
    unsafe { bindings::__msecs_to_jiffies(ms) as u64 }
}
