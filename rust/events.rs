// SPDX-License-Identifier: GPL-2.0

//! Events to the daemon, multicast on the family's `events` group.  Best
//! effort: with no memory or no listener, an event is dropped.

use crate::context::{Addr, UlidPair};
use crate::genl::{attr, cmd};
use crate::sys::genl::{self, Message};
use crate::sys::net::Net;
use kernel::prelude::*;

/// Builds an event with `fill` and sends it; dropped if any step fails.
fn emit(net: &Net, cmd: u8, fill: impl FnOnce(&mut Message) -> Result) {
    let Some(mut msg) = genl::event(cmd) else { return };
    if fill(&mut msg).is_ok() {
        genl::multicast(net, msg);
    }
}

/// The locator pair of context `tag` changed.
pub(crate) fn path_changed(net: &Net, tag: u64, local: &Addr, peer: &Addr) {
    emit(net, cmd::EVT_PATH_CHANGED, |m| {
        m.put_u64(attr::LOCAL_TAG, tag, attr::PAD)?;
        m.put_address(attr::LOCAL_LOCATOR, local)?;
        m.put_address(attr::PEER_LOCATOR, peer)
    });
}

/// A payload packet carried a context tag we do not know (the daemon may
/// answer with R1bis, RFC 5533 §7.17).  Rate limited per namespace.
pub(crate) fn unknown_tag(net: &Net, tag: u64, dst: &Addr, src: &Addr) {
    let shim: &crate::netns::Shim6Net = net.generic();
    if !shim.unknown_tag_limit.allow() {
        return;
    }
    emit(net, cmd::EVT_UNKNOWN_TAG, |m| {
        m.put_u64(attr::LOCAL_TAG, tag, attr::PAD)?;
        m.put_address(attr::LOCAL_ADDRESS, dst)?;
        m.put_address(attr::PEER_ADDRESS, src)
    });
}

/// The Send timer of a context expired: the daemon should explore.
pub(crate) fn send_timeout(net: &Net, tag: u64, local_ulid: &Addr, peer_ulid: &Addr, local: &Addr, peer: &Addr) {
    emit(net, cmd::EVT_SEND_TIMEOUT, |m| {
        m.put_u64(attr::LOCAL_TAG, tag, attr::PAD)?;
        m.put_address(attr::LOCAL_ULID, local_ulid)?;
        m.put_address(attr::PEER_ULID, peer_ulid)?;
        m.put_address(attr::LOCAL_LOCATOR, local)?;
        m.put_address(attr::PEER_LOCATOR, peer)
    });
}

/// Payload arrived for a context in Exploring, on this locator pair.
pub(crate) fn rx_exploring(net: &Net, tag: u64, local: &Addr, peer: &Addr) {
    emit(net, cmd::EVT_RX_EXPLORING, |m| {
        m.put_u64(attr::LOCAL_TAG, tag, attr::PAD)?;
        m.put_address(attr::LOCAL_LOCATOR, local)?;
        m.put_address(attr::PEER_LOCATOR, peer)
    });
}

/// An outbound flow between these addresses is worth a context.
pub(crate) fn trigger(net: &Net, local: &Addr, peer: &Addr) {
    emit(net, cmd::EVT_TRIGGER, |m| {
        m.put_address(attr::LOCAL_ADDRESS, local)?;
        m.put_address(attr::PEER_ADDRESS, peer)
    });
}

/// Context `tag` was refused the rewriting pair `local`, `peer`: an IPsec
/// policy covers its ULID pair.
pub(crate) fn ipsec_refused(net: &Net, tag: u64, ulids: &UlidPair, local: &Addr, peer: &Addr) {
    emit(net, cmd::EVT_IPSEC_REFUSED, |m| {
        m.put_u64(attr::LOCAL_TAG, tag, attr::PAD)?;
        m.put_address(attr::LOCAL_ULID, &ulids.local)?;
        m.put_address(attr::PEER_ULID, &ulids.peer)?;
        m.put_address(attr::LOCAL_LOCATOR, local)?;
        m.put_address(attr::PEER_LOCATOR, peer)
    });
}
