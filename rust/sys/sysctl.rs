// SPDX-License-Identifier: GPL-2.0

//! Per-namespace sysctls of unsigned integers (`register_net_sysctl_sz`
//! with `proc_douintvec_minmax`).
//!
//! Each namespace gets its own [`UintTable`]: one allocation that holds the
//! values, their bounds and the `ctl_table` entries pointing at them, so
//! nothing a registered table names can move or be shared between
//! namespaces.  The values are read and written with `READ_ONCE` /
//! `WRITE_ONCE` semantics on both sides (atomics here, the proc handler's
//! own `READ_ONCE`/`WRITE_ONCE` in C), so readers on the packet path need no
//! lock.

use super::net::Net;
use core::sync::atomic::{AtomicU32, Ordering};
use kernel::{bindings, prelude::*, types::Opaque};

/// One sysctl: its file name, default and accepted range.
pub(crate) struct UintSpec {
    pub(crate) name: &'static CStr,
    pub(crate) default: u32,
    pub(crate) min: u32,
    pub(crate) max: u32,
    /// A tighter default and maximum for namespaces that a user namespace
    /// other than the initial one owns, where root may be any user.
    pub(crate) confined: Option<Confined>,
}

/// The default and maximum of a sysctl in a namespace owned by a user
/// namespace other than the initial one.
pub(crate) struct Confined {
    pub(crate) default: u32,
    pub(crate) max: u32,
}

impl UintSpec {
    /// (default, min, max) in `net`.
    fn in_namespace(&self, net: &Net) -> (u32, u32, u32) {
        match &self.confined {
            Some(c) if !net.owned_by_initial_user_ns() => (c.default, self.min, c.max),
            _ => (self.default, self.min, self.max),
        }
    }
}

/// What the registered entries point at; boxed, so it never moves.
struct Storage<const N: usize> {
    values: [AtomicU32; N],
    /// `extra1` / `extra2` of each entry.
    bounds: [[u32; 2]; N],
    entries: [Opaque<bindings::ctl_table>; N],
}

/// The sysctls `specs` of one namespace, registered under a path such as
/// `net/shim6` for as long as the value lives.
///
/// # Invariants
///
/// `header` is the non-null result of registering `storage.entries` with
/// `register_net_sysctl_sz`; it is unregistered only in `drop`, before
/// `storage` is freed.
pub(crate) struct UintTable<const N: usize> {
    storage: KBox<Storage<N>>,
    header: *mut bindings::ctl_table_header,
}

// SAFETY: the header is only passed to `unregister_net_sysctl_table` (from
// any task); the values are atomics and the rest is read-only after
// registration.
unsafe impl<const N: usize> Send for UintTable<N> {}
// SAFETY: `&UintTable` only reads or stores the atomics.
unsafe impl<const N: usize> Sync for UintTable<N> {}

impl<const N: usize> UintTable<N> {
    /// Registers `specs` with their defaults in `net` under `path`; the
    /// defaults and bounds are those of `net`'s owner ([`UintSpec::confined`]).
    pub(crate) fn register(net: &Net, path: &'static CStr, specs: &'static [UintSpec; N]) -> Result<Self> {
        let limits: [(u32, u32, u32); N] = core::array::from_fn(|i| specs[i].in_namespace(net));
        let mut storage = KBox::new(
            Storage {
                values: core::array::from_fn(|i| AtomicU32::new(limits[i].0)),
                bounds: core::array::from_fn(|i| [limits[i].1, limits[i].2]),
                // SAFETY: `ctl_table` is a C struct of pointers and
                // integers; all-zero is valid and filled in below.
                entries: core::array::from_fn(|_| Opaque::new(unsafe { super::zeroed() })),
            },
            GFP_KERNEL,
        )?;
        let s = &mut *storage;
        for (i, spec) in specs.iter().enumerate() {
            let entry = s.entries[i].get();
            // SAFETY: `entry` points into the box, which we own; the
            // pointers stored are to fields of the same box (which stays at
            // its address until after unregistration) and to a `'static`
            // name.  `proc_douintvec_minmax` reads and writes an `unsigned
            // int` at `data`, which `AtomicU32` is, and only reads the
            // bounds.
            unsafe {
                (*entry).procname = spec.name.as_char_ptr();
                (*entry).data = s.values[i].as_ptr().cast();
                (*entry).maxlen = core::mem::size_of::<u32>() as _;
                (*entry).mode = 0o644;
                (*entry).proc_handler = Some(bindings::proc_douintvec_minmax);
                (*entry).extra1 = core::ptr::addr_of_mut!(s.bounds[i][0]).cast();
                (*entry).extra2 = core::ptr::addr_of_mut!(s.bounds[i][1]).cast();
            }
        }
        // `Opaque<T>` has the layout of `T`, so the array is a `ctl_table[N]`.
        let table = s.entries.as_mut_ptr().cast::<bindings::ctl_table>();
        // SAFETY: `net` is live, `path` is a NUL-terminated string the
        // kernel copies, and `table` holds `N` initialised entries that stay
        // valid until `unregister_net_sysctl_table` in `drop`.
        let header = unsafe { bindings::register_net_sysctl_sz(net.as_ptr(), path.as_char_ptr(), table, N) };
        if header.is_null() {
            return Err(ENOMEM);
        }
        // INVARIANT: registered above, unregistered in `drop`.
        Ok(UintTable { storage, header })
    }

    /// The current value of entry `index` (0 for an index out of range).
    pub(crate) fn get(&self, index: usize) -> u32 {
        self.storage.values.get(index).map_or(0, |v| v.load(Ordering::Relaxed))
    }

    /// Sets entry `index` as a write to its file would: `EINVAL` when the
    /// value is outside the entry's range (in this namespace) or the index
    /// does not exist.
    pub(crate) fn set(&self, index: usize, value: u32) -> Result {
        let [min, max] = *self.storage.bounds.get(index).ok_or(EINVAL)?;
        if value < min || value > max {
            return Err(EINVAL);
        }
        self.storage.values[index].store(value, Ordering::Relaxed);
        Ok(())
    }
}

impl<const N: usize> Drop for UintTable<N> {
    fn drop(&mut self) {
        // SAFETY: registered in `register` (type invariant); this waits for
        // running handlers, after which nothing uses `storage`.
        unsafe { bindings::unregister_net_sysctl_table(self.header) };
    }
}
