// SPDX-License-Identifier: GPL-2.0

//! A kernel timer that names a context: its callback gets the namespace
//! and the context tag, and looks the context up itself (it may be gone).

use super::net::Net;
use kernel::{bindings, prelude::*, types::Opaque};

/// What a context timer does when it fires (softirq context).
pub(crate) trait TimerHandler {
    fn fire(net: &Net, tag: u64);
}

/// # Invariants
///
/// `timer` is set up with `callback::<T>` for some handler, `net` outlives
/// the timer (contexts are removed, and their timers shut down, before
/// their namespace goes), and the value never moves (it is boxed).
#[repr(C)]
pub(crate) struct ContextTimer {
    // First, so the callback's `timer_list` pointer is the struct's.
    timer: Opaque<bindings::timer_list>,
    net: *mut bindings::net,
    tag: u64,
}

// SAFETY: the timer core serialises the callback with mod_timer and
// timer_delete_sync; `net` and `tag` never change.
unsafe impl Send for ContextTimer {}
// SAFETY: as above.
unsafe impl Sync for ContextTimer {}

impl ContextTimer {
    /// Charged to the caller's memory cgroup, like the context it serves.
    pub(crate) fn new<T: TimerHandler>(net: &Net, tag: u64) -> Result<KBox<Self>> {
        let boxed = KBox::new(
            ContextTimer { timer: Opaque::uninit(), net: net.as_ptr(), tag },
            GFP_KERNEL_ACCOUNT,
        )?;
        // SAFETY: the timer lives in the box, which never moves.
        unsafe { bindings::timer_setup(boxed.timer.get(), Some(callback::<T>), 0) };
        Ok(boxed)
    }

    /// Fires at `expires` (jiffies) or a little before, never after,
    /// replacing any earlier setting; the handler must check what is due
    /// and arm again for the rest (see [`wheel_expiry`]).
    pub(crate) fn arm(&self, expires: u64) {
        let at = wheel_expiry(super::time::jiffies(), expires);
        // SAFETY: set up in `new` (type invariant).
        unsafe { bindings::mod_timer(self.timer.get(), at as _) };
    }
}

/// When to arm the timer wheel so that it fires by `expires`.
///
/// The wheel rounds an expiry up to the granularity of the level its delay
/// falls in, 1/8 to 1/64 of the delay (at HZ=1000, 64 ms for REAP's 3 s
/// Send timeout, 512 ms for 5 s or 10 s): a REAP timer would fire that
/// late, and the application's recovery time grow by as much.  Arming for
/// 7/8 of a long delay lands the expiry before `expires` (the granularity
/// of 7/8 of a delay is at most 1/9 of it); the handler then arms for the
/// remainder, which a finer level serves, down to exact jiffies below 64.
fn wheel_expiry(now: u64, expires: u64) -> u64 {
    // Delays the wheel's first level keeps to the jiffy.
    const EXACT_BELOW: u64 = 64;
    let delay = expires.wrapping_sub(now);
    if delay < EXACT_BELOW || delay > u64::MAX / 2 {
        // Near, or already past (`wrapping_sub` turned it huge).
        expires
    } else {
        // `expires` is `now + delay`: this lands between the two.
        expires.wrapping_sub(delay / 8)
    }
}

impl Drop for ContextTimer {
    fn drop(&mut self) {
        // SAFETY: set up in `new`.  Waits for a running callback, so the
        // caller must not hold a lock the callback takes (contexts are
        // freed outside the table lock).
        unsafe { bindings::timer_delete_sync(self.timer.get()) };
    }
}

unsafe extern "C" fn callback<T: TimerHandler>(timer: *mut bindings::timer_list) {
    // SAFETY: `timer` is the first field of a live `ContextTimer` (repr(C)),
    // which drop waits for before freeing.
    let this = unsafe { &*timer.cast::<ContextTimer>() };
    // SAFETY: the namespace outlives the timer (type invariant).
    let net = unsafe { Net::from_raw(this.net) };
    T::fire(net, this.tag);
}
