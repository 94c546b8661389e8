// SPDX-License-Identifier: GPL-2.0

//! Events to the daemon, multicast on the family's `events` group.  Best
//! effort: with no memory or no listener, an event is dropped.

use crate::context::Addr;
use crate::genl::{attr, cmd};
use crate::sys::genl;
use crate::sys::net::Net;

/// The locator pair of context `tag` changed.
pub(crate) fn path_changed(net: &Net, tag: u64, local: &Addr, peer: &Addr) {
    let Some(mut msg) = genl::event(cmd::EVT_PATH_CHANGED) else { return };
    let filled = msg.put_u64(attr::LOCAL_TAG, tag, attr::PAD).is_ok()
        && msg.put_address(attr::LOCAL_LOCATOR, local).is_ok()
        && msg.put_address(attr::PEER_LOCATOR, peer).is_ok();
    if filled {
        genl::multicast(net, msg);
    }
}

/// A payload packet carried a context tag we do not know (the daemon may
/// answer with R1bis, RFC 5533 §7.17).  Rate limited per namespace.
pub(crate) fn unknown_tag(net: &Net, tag: u64, dst: &Addr, src: &Addr) {
    let shim: &crate::netns::Shim6Net = net.generic();
    if !shim.unknown_tag_limit.allow() {
        return;
    }
    let Some(mut msg) = genl::event(cmd::EVT_UNKNOWN_TAG) else { return };
    let filled = msg.put_u64(attr::LOCAL_TAG, tag, attr::PAD).is_ok()
        && msg.put_address(attr::LOCAL_ADDRESS, dst).is_ok()
        && msg.put_address(attr::PEER_ADDRESS, src).is_ok();
    if filled {
        genl::multicast(net, msg);
    }
}

/// The Send timer of a context expired: the daemon should explore.
pub(crate) fn send_timeout(net: &Net, tag: u64, local_ulid: &Addr, peer_ulid: &Addr, local: &Addr, peer: &Addr) {
    let Some(mut msg) = genl::event(cmd::EVT_SEND_TIMEOUT) else { return };
    let filled = msg.put_u64(attr::LOCAL_TAG, tag, attr::PAD).is_ok()
        && msg.put_address(attr::LOCAL_ULID, local_ulid).is_ok()
        && msg.put_address(attr::PEER_ULID, peer_ulid).is_ok()
        && msg.put_address(attr::LOCAL_LOCATOR, local).is_ok()
        && msg.put_address(attr::PEER_LOCATOR, peer).is_ok();
    if filled {
        genl::multicast(net, msg);
    }
}

/// Payload arrived for a context in Exploring, on this locator pair.
pub(crate) fn rx_exploring(net: &Net, tag: u64, local: &Addr, peer: &Addr) {
    let Some(mut msg) = genl::event(cmd::EVT_RX_EXPLORING) else { return };
    let filled = msg.put_u64(attr::LOCAL_TAG, tag, attr::PAD).is_ok()
        && msg.put_address(attr::LOCAL_LOCATOR, local).is_ok()
        && msg.put_address(attr::PEER_LOCATOR, peer).is_ok();
    if filled {
        genl::multicast(net, msg);
    }
}

/// An outbound flow between these addresses is worth a context.
pub(crate) fn trigger(net: &Net, local: &Addr, peer: &Addr) {
    let Some(mut msg) = genl::event(cmd::EVT_TRIGGER) else { return };
    let filled = msg.put_address(attr::LOCAL_ADDRESS, local).is_ok()
        && msg.put_address(attr::PEER_ADDRESS, peer).is_ok();
    if filled {
        genl::multicast(net, msg);
    }
}
