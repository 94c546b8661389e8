// SPDX-License-Identifier: GPL-2.0

//! Receiving protocol 140 (RFC 5533 §12): payload packets are mapped back
//! to their ULIDs and continue to the transport; control messages go to
//! the daemon through its raw socket.

use crate::context::TAG_MASK;
use crate::keepalive;
use crate::netns::Shim6Net;
use crate::stats::Counter;
use crate::sys::inet6::{Packet, Protocol, Verdict};
use crate::sys::net::Net;
use crate::sys::xfrm::PAYLOAD_HEADER_LEN;

/// The protocol 140 handler.
pub(crate) struct Shim6Input;

/// A Keepalive stops the Send timer of its context, so it must be one the
/// peer could have sent: a whole, checksummed message (RFC 5533 §12.3)
/// between locators of the context (§12.2), as payload packets are.
/// Otherwise anyone who learnt a tag could keep a broken pair in use.
/// `Err` names the counter of the reason it was not taken.
fn receive_keepalive(shim: &Shim6Net, packet: &mut Packet<'_>) -> Result<(), Counter> {
    let header = packet.header(PAYLOAD_HEADER_LEN).ok_or(Counter::InDropKeepaliveLength)?;
    let len = keepalive::message_len(header).ok_or(Counter::InDropKeepaliveLength)?;
    let msg = packet.header(len).ok_or(Counter::InDropKeepaliveLength)?;
    if !keepalive::checksum_ok(msg) {
        return Err(Counter::InDropKeepaliveChecksum);
    }
    let tag = keepalive::receiver_tag(msg).ok_or(Counter::InDropKeepaliveLength)?;
    let (src, dst) = packet.addresses();
    let mut table = shim.contexts.lock();
    let ctx = table.by_tag_mut(tag).ok_or(Counter::InDropKeepaliveUnknownTag)?;
    if !ctx.config.locators.peer().contains(&src) || !ctx.config.locators.local().contains(&dst) {
        return Err(Counter::InDropKeepaliveLocator);
    }
    let deadline = ctx.reap.inbound(crate::sys::time::jiffies(), false, &ctx.config.timeouts);
    ctx.arm(deadline);
    drop(table);
    shim.stats.inc(Counter::InKeepalive);
    Ok(())
}

impl Protocol for Shim6Input {
    fn receive(net: &Net, packet: &mut Packet<'_>) -> Verdict {
        let shim: &Shim6Net = net.generic();
        let len = packet.len();
        let Some(header) = packet.header(PAYLOAD_HEADER_LEN) else {
            shim.stats.inc(Counter::InDropTruncated);
            return Verdict::Drop;
        };
        // P = 0: a control message.  The daemon's raw socket got its copy
        // before this handler ran; a Keepalive also feeds REAP here.
        if header[2] & 0x80 == 0 {
            shim.stats.inc(Counter::InControl);
            if header[2] & 0x7f == keepalive::TYPE_KEEPALIVE {
                if let Err(counter) = receive_keepalive(shim, packet) {
                    shim.stats.inc(counter);
                }
            }
            return Verdict::Consume;
        }
        if header[1] != 0 {
            // The payload header is always 8 octets (Hdr Ext Len 0).
            shim.stats.inc(Counter::InDropBadLength);
            return Verdict::Drop;
        }
        let tag = u64::from_be_bytes([0, 0, header[2], header[3], header[4], header[5], header[6], header[7]]) & TAG_MASK;
        let (src, dst) = packet.addresses();
        let restored = {
            let mut table = shim.contexts.lock();
            match table.by_tag_mut(tag) {
                None => Err(Counter::InDropUnknownTag),
                // The tag alone finds the context; the locators must still
                // be ones the peer and we announced (RFC 5533 §12.2).
                Some(ctx) if !ctx.config.locators.peer().contains(&src) || !ctx.config.locators.local().contains(&dst) => {
                    Err(Counter::InDropBadLocator)
                }
                Some(ctx) => {
                    let now = crate::sys::time::jiffies();
                    ctx.traffic.received(len, now);
                    let exploring = ctx.reap.state == crate::reap::ReapState::Exploring;
                    let deadline = ctx.reap.inbound(now, true, &ctx.config.timeouts);
                    ctx.arm(deadline);
                    Ok((ctx.config.peer_ulid, ctx.config.local_ulid, exploring))
                }
            }
        };
        match restored {
            Ok((peer_ulid, local_ulid, exploring)) => {
                if packet.set_addresses(&peer_ulid, &local_ulid).is_err() {
                    shim.stats.inc(Counter::InDropNoMemory);
                    return Verdict::Drop;
                }
                shim.stats.inc(Counter::InPayload);
                if exploring {
                    // REAP: traffic arrives while we explore (InboundOk).
                    crate::events::rx_exploring(net, tag, &dst, &src);
                }
                Verdict::Skip(PAYLOAD_HEADER_LEN)
            }
            Err(counter) => {
                shim.stats.inc(counter);
                if let Counter::InDropUnknownTag = counter {
                    crate::events::unknown_tag(net, tag, &dst, &src);
                }
                Verdict::Drop
            }
        }
    }
}
