// SPDX-License-Identifier: GPL-2.0

//! NETEVENT_PATH_UPDATE (patches 0004/0005): tells the transports that a
//! ULID pair now uses other locators, so TCP retransmits at once instead of
//! waiting out its backed-off retransmission timer.

use super::net::Net;
use kernel::bindings;

pub(crate) type Addr = [u8; 16];

/// Raises the event.  Must be called without any lock that a socket's
/// transmit path takes (TCP locks its sockets in the notifier).
pub(crate) fn path_update(net: &Net, local_ulid: &Addr, peer_ulid: &Addr) {
    // SAFETY: `netevent_path_update` is a C struct of a pointer and two
    // addresses; zero is a valid starting value.
    let mut update: bindings::netevent_path_update = unsafe { super::zeroed() };
    update.net = net.as_ptr();
    update.local.in6_u.u6_addr8 = *local_ulid;
    update.peer.in6_u.u6_addr8 = *peer_ulid;
    // SAFETY: `update` lives across the call; the notifier chain is atomic
    // and only reads it.
    unsafe {
        bindings::call_netevent_notifiers(
            bindings::netevent_notif_type_NETEVENT_PATH_UPDATE as _,
            (&mut update as *mut bindings::netevent_path_update).cast(),
        )
    };
}
