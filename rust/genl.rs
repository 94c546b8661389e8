// SPDX-License-Identifier: GPL-2.0

//! The `shim6` generic netlink family: how the daemon and the tools talk to
//! the module.  `rust/shim6.yaml`, a netlink spec in the kernel's YNL
//! format, describes it; the numbers here must match it (a host test checks).

use crate::context::{
    is_global_unicast, Addr, Context, ContextConfig, LocatorSets, Locators, Refused, Reservation, Timeouts, UlidPair,
    TAG_MASK,
};
use crate::netns::Shim6Net;
use crate::stats::Counter;
use crate::sysctl::Threshold;
use crate::trigger::Policy;
use crate::reap_timer::ReapTimer;
use crate::sys::timer::ContextTimer;
use crate::sys::xfrm::StatePair;
use crate::sys::genl::{
    AttrPolicy, DoIt, Dump, DumpIt, FamilyDesc, Message, MulticastGroup, Op, Permission, Registration, Request,
};
use kernel::{c_str, prelude::*};

pub(crate) const FAMILY_NAME: &CStr = c_str!("shim6");
pub(crate) const FAMILY_VERSION: u32 = 1;

/// Commands.  Requests 1..=10; events (multicast on `events`) from 20.
pub(crate) mod cmd {
    pub(crate) const GET_INFO: u8 = 1;
    pub(crate) const CTX_ADD: u8 = 2;
    pub(crate) const CTX_DEL: u8 = 3;
    pub(crate) const CTX_GET: u8 = 4;
    pub(crate) const CTX_SET_PATH: u8 = 5;
    pub(crate) const CTX_SET_TIMERS: u8 = 6;
    pub(crate) const CTX_UPDATE: u8 = 7;
    pub(crate) const SET_PARAMS: u8 = 8;
    pub(crate) const GET_PARAMS: u8 = 9;
    pub(crate) const SET_PEER_POLICY: u8 = 10;
    pub(crate) const EVT_TRIGGER: u8 = 20;
    pub(crate) const EVT_SEND_TIMEOUT: u8 = 21;
    pub(crate) const EVT_UNKNOWN_TAG: u8 = 22;
    pub(crate) const EVT_RX_EXPLORING: u8 = 23;
    pub(crate) const EVT_PATH_CHANGED: u8 = 24;
    pub(crate) const EVT_IPSEC_REFUSED: u8 = 25;
}

/// Top-level attributes.
pub(crate) mod attr {
    pub(crate) const VERSION: u16 = 1;
    pub(crate) const STATS: u16 = 2;
    pub(crate) const PAD: u16 = 3;
    pub(crate) const LOCAL_TAG: u16 = 4;
    pub(crate) const PEER_TAG: u16 = 5;
    pub(crate) const LOCAL_ULID: u16 = 6;
    pub(crate) const PEER_ULID: u16 = 7;
    pub(crate) const LOCAL_LOCATOR: u16 = 8;
    pub(crate) const PEER_LOCATOR: u16 = 9;
    pub(crate) const LOCAL_LOCATORS: u16 = 10;
    pub(crate) const PEER_LOCATORS: u16 = 11;
    pub(crate) const SEND_TIMEOUT_MS: u16 = 12;
    pub(crate) const KEEPALIVE_TIMEOUT_MS: u16 = 13;
    pub(crate) const REAP_STATE: u16 = 14;
    pub(crate) const TRIGGER_BYTES: u16 = 15;
    pub(crate) const TRIGGER_SECONDS: u16 = 16;
    pub(crate) const TRIGGER_POLICY: u16 = 17;
    pub(crate) const LOCAL_ADDRESS: u16 = 18;
    pub(crate) const PEER_ADDRESS: u16 = 19;
    pub(crate) const TX_PACKETS: u16 = 20;
    pub(crate) const RX_PACKETS: u16 = 21;
    pub(crate) const TX_BYTES: u16 = 22;
    pub(crate) const RX_BYTES: u16 = 23;
    pub(crate) const LAST_TX_MS: u16 = 24;
    pub(crate) const LAST_RX_MS: u16 = 25;
    pub(crate) const MAX: u16 = LAST_RX_MS;
}

/// Attributes inside `LOCAL_LOCATORS` / `PEER_LOCATORS`, for the spec;
/// `sys::genl` encodes them, as `ADDRESS_ENTRY`.
pub(crate) mod locator_attr {
    pub(crate) const LOCATOR: u16 = 1;
    pub(crate) const MAX: u16 = LOCATOR;
}
const _: () = assert!(
    locator_attr::LOCATOR == crate::sys::genl::ADDRESS_ENTRY && locator_attr::MAX == locator_attr::LOCATOR
);

/// Attributes inside each `STATS` entry.
pub(crate) mod stat_attr {
    pub(crate) const ENTRY: u16 = 1;
    pub(crate) const NAME: u16 = 1;
    pub(crate) const VALUE: u16 = 2;
    pub(crate) const PAD: u16 = 3;
}

/// The registered family.
pub(crate) struct Family {
    _registration: Registration,
}

impl Family {
    pub(crate) fn register(module: &'static ThisModule) -> Result<Self> {
        let ops = [
            Op::new::<GetInfo>(cmd::GET_INFO, Permission::Any),
            Op::new::<CtxAdd>(cmd::CTX_ADD, Permission::UserNsNetAdmin),
            Op::new::<CtxDel>(cmd::CTX_DEL, Permission::UserNsNetAdmin),
            // Contexts carry the tags that authenticate REAP and Update
            // messages: reading them is as privileged as `ip xfrm state`.
            Op::new::<CtxGet>(cmd::CTX_GET, Permission::UserNsNetAdmin).with_dump::<CtxGet>(),
            Op::new::<CtxSetPath>(cmd::CTX_SET_PATH, Permission::UserNsNetAdmin),
            Op::new::<CtxSetTimers>(cmd::CTX_SET_TIMERS, Permission::UserNsNetAdmin),
            Op::new::<CtxUpdate>(cmd::CTX_UPDATE, Permission::UserNsNetAdmin),
            Op::new::<SetParams>(cmd::SET_PARAMS, Permission::UserNsNetAdmin),
            Op::new::<GetParams>(cmd::GET_PARAMS, Permission::UserNsNetAdmin),
            Op::new::<SetPeerPolicy>(cmd::SET_PEER_POLICY, Permission::UserNsNetAdmin),
        ];
        let desc = FamilyDesc {
            name: FAMILY_NAME,
            version: FAMILY_VERSION,
            max_attr: attr::MAX,
            policy: REQUEST_POLICY,
            ops: &ops,
            // Events name the flows of every user of the namespace.
            multicast_groups: &[MulticastGroup { name: c_str!("events"), permission: Permission::UserNsNetAdmin }],
        };
        Ok(Family { _registration: Registration::register(&desc, module)? })
    }
}

/// What requests may carry; every other attribute is rejected.
pub(crate) const REQUEST_POLICY: &[(u16, AttrPolicy)] = &[
    (attr::LOCAL_TAG, AttrPolicy::U64),
    (attr::PEER_TAG, AttrPolicy::U64),
    (attr::LOCAL_ULID, AttrPolicy::Address),
    (attr::PEER_ULID, AttrPolicy::Address),
    (attr::LOCAL_LOCATOR, AttrPolicy::Address),
    (attr::PEER_LOCATOR, AttrPolicy::Address),
    (attr::LOCAL_LOCATORS, AttrPolicy::Addresses),
    (attr::PEER_LOCATORS, AttrPolicy::Addresses),
    (attr::SEND_TIMEOUT_MS, AttrPolicy::U32),
    (attr::KEEPALIVE_TIMEOUT_MS, AttrPolicy::U32),
    (attr::TRIGGER_BYTES, AttrPolicy::U32),
    (attr::TRIGGER_SECONDS, AttrPolicy::U32),
    (attr::TRIGGER_POLICY, AttrPolicy::U8),
    (attr::LOCAL_ADDRESS, AttrPolicy::Address),
    (attr::PEER_ADDRESS, AttrPolicy::Address),
];

/// `Err(EINVAL)` with an extended-ack message naming the problem.
fn invalid(request: &Request<'_>, msg: &'static CStr) -> Error {
    request.set_error_message(msg);
    EINVAL
}

fn required_tag(request: &Request<'_>, attr: u16, name: &'static CStr) -> Result<u64> {
    let tag = request.u64(attr).ok_or_else(|| invalid(request, name))?;
    if tag & !TAG_MASK != 0 || tag == 0 {
        return Err(invalid(request, c_str!("context tags are non-zero 47-bit values")));
    }
    Ok(tag)
}

/// The `local-tag` every context command names.
fn local_tag(request: &Request<'_>) -> Result<u64> {
    required_tag(request, attr::LOCAL_TAG, c_str!("local-tag is required"))
}

/// The locator set in `attr`, or `default` when the request has none.
fn locators(request: &Request<'_>, attr: u16, default: &[&Addr]) -> Result<Locators> {
    let mut set = Locators::new();
    let too_many = |_| invalid(request, c_str!("too many locators (at most 8 per side)"));
    match request.addresses(attr) {
        Some(addrs) => {
            for a in addrs {
                set.insert(a).map_err(too_many)?;
            }
        }
        None => {
            for a in default {
                set.insert(**a).map_err(too_many)?;
            }
        }
    }
    Ok(set)
}

/// Refuses, counted, addresses that are no ULID or locator (RFC 5533
/// §12.3 discards messages with such addresses); each list comes with the
/// extack message naming it.
fn check_global_unicast(request: &Request<'_>, net: &Shim6Net, lists: &[(&[Addr], &'static CStr)]) -> Result {
    for (addrs, msg) in lists {
        if !addrs.iter().all(is_global_unicast) {
            net.stats.inc(Counter::CtxBadAddress);
            return Err(invalid(request, msg));
        }
    }
    Ok(())
}

const LOCAL_ULID_NOT_GLOBAL: &CStr =
    c_str!("local-ulid must be global unicast (not ::/8, multicast, link-local or site-local)");
const PEER_ULID_NOT_GLOBAL: &CStr =
    c_str!("peer-ulid must be global unicast (not ::/8, multicast, link-local or site-local)");
const LOCAL_LOCATOR_NOT_GLOBAL: &CStr =
    c_str!("local locators must be global unicast (not ::/8, multicast, link-local or site-local)");
const PEER_LOCATOR_NOT_GLOBAL: &CStr =
    c_str!("peer locators must be global unicast (not ::/8, multicast, link-local or site-local)");

fn timeouts(request: &Request<'_>, base: Timeouts) -> Result<Timeouts> {
    let t = Timeouts {
        send_ms: request.u32(attr::SEND_TIMEOUT_MS).unwrap_or(base.send_ms),
        keepalive_ms: request.u32(attr::KEEPALIVE_TIMEOUT_MS).unwrap_or(base.keepalive_ms),
    };
    // Keepalives go out every third of the Keepalive Timeout: keep that
    // above a few jiffies and below a day.
    const RANGE: core::ops::RangeInclusive<u32> = 100..=86_400_000;
    if !RANGE.contains(&t.send_ms) || !RANGE.contains(&t.keepalive_ms) {
        return Err(invalid(request, c_str!("timeouts must be 100 ms to 24 h")));
    }
    Ok(t)
}

/// Installs the xfrm state and policy of a context that rewrites.
fn install_xfrm(request: &Request<'_>, local_ulid: &Addr, peer_ulid: &Addr, local_locator: &Addr, tag: u64) -> Result<StatePair> {
    StatePair::install(request.net(), local_ulid, peer_ulid, local_locator, tag)
        .inspect_err(|_| request.set_error_message(c_str!("cannot install the xfrm state and policy (ULID pair in use?)")))
}

/// The refusal of a context beyond `net.shim6.max_contexts`, counted.
fn context_limit(request: &Request<'_>, net: &Shim6Net) -> Error {
    net.stats.inc(Counter::CtxLimit);
    request.set_error_message(c_str!("net.shim6.max_contexts reached: this namespace holds no more contexts"));
    ENOSPC
}

/// `ctx-add`: install a context the daemon has established.
struct CtxAdd;

impl DoIt for CtxAdd {
    fn doit(request: &Request<'_>) -> Result {
        let local_tag = local_tag(request)?;
        let peer_tag = required_tag(request, attr::PEER_TAG, c_str!("peer-tag is required"))?;
        let local_ulid = request.address(attr::LOCAL_ULID).ok_or_else(|| invalid(request, c_str!("local-ulid is required")))?;
        let peer_ulid = request.address(attr::PEER_ULID).ok_or_else(|| invalid(request, c_str!("peer-ulid is required")))?;
        let local_locator = request.address(attr::LOCAL_LOCATOR).unwrap_or(local_ulid);
        let peer_locator = request.address(attr::PEER_LOCATOR).unwrap_or(peer_ulid);
        let local_locators = locators(request, attr::LOCAL_LOCATORS, &[&local_ulid, &local_locator])?;
        let peer_locators = locators(request, attr::PEER_LOCATORS, &[&peer_ulid, &peer_locator])?;
        if !local_locators.contains(&local_locator) || !peer_locators.contains(&peer_locator) {
            return Err(invalid(request, c_str!("the current locators must be in the locator sets")));
        }
        let net: &Shim6Net = request.net().generic();
        // Checked again at insertion; this spares the allocations.
        if net.contexts.lock().len() >= net.sysctl.max_contexts() {
            return Err(context_limit(request, net));
        }
        check_global_unicast(
            request,
            net,
            &[
                (&[local_ulid], LOCAL_ULID_NOT_GLOBAL),
                (&[peer_ulid], PEER_ULID_NOT_GLOBAL),
                (local_locators.as_slice(), LOCAL_LOCATOR_NOT_GLOBAL),
                (peer_locators.as_slice(), PEER_LOCATOR_NOT_GLOBAL),
            ],
        )?;
        let params = ContextConfig {
            local_tag,
            peer_tag,
            local_ulid,
            peer_ulid,
            local_locator,
            peer_locator,
            locators: LocatorSets::new(local_locators.as_slice(), peer_locators.as_slice(), GFP_KERNEL_ACCOUNT)?,
            timeouts: timeouts(request, Timeouts::DEFAULT)?,
        };
        let reservation = Reservation::new(params)?;
        let ulids = UlidPair { local: local_ulid, peer: peer_ulid };
        let pair = if ulids.rewritten_to(&local_locator, &peer_locator) {
            refuse_if_ipsec(request, net, local_tag, &ulids, &local_locator, &peer_locator)?;
            Some(install_xfrm(request, &local_ulid, &peer_ulid, &local_locator, local_tag)?)
        } else {
            None
        };
        let timer = match ContextTimer::new::<ReapTimer>(request.net(), local_tag) {
            Ok(timer) => timer,
            Err(e) => {
                if let Some(pair) = pair {
                    pair.remove();
                }
                return Err(e);
            }
        };
        let prepared = reservation.attach(pair, timer);
        let refused = net.contexts.lock().insert(prepared, net.sysctl.max_contexts());
        if let Err((unused, why)) = refused {
            // Undone here, outside the lock.
            unused.release();
            return Err(match why {
                Refused::InUse => {
                    request.set_error_message(c_str!("local-tag or ULID pair already in use"));
                    EEXIST
                }
                Refused::Full => context_limit(request, net),
            });
        }
        net.stats.inc(Counter::CtxAdded);
        // The pair has its context: a later flow after it is gone starts
        // counting afresh.
        net.trigger.lock().forget(local_ulid, peer_ulid);
        Ok(())
    }
}

/// `ctx-del`: remove a context.
struct CtxDel;

impl DoIt for CtxDel {
    fn doit(request: &Request<'_>) -> Result {
        let tag = local_tag(request)?;
        let net: &Shim6Net = request.net().generic();
        let removed = net.contexts.lock().remove(tag);
        match removed {
            Some(ctx) => {
                ctx.release();
                net.stats.inc(Counter::CtxDeleted);
                Ok(())
            }
            None => Err(ENOENT),
        }
    }
}

/// Puts a context's attributes into `msg`.
fn put_context(msg: &mut Message, ctx: &Context, now: u64) -> Result {
    msg.put_u64(attr::LOCAL_TAG, ctx.config.local_tag, attr::PAD)?;
    msg.put_u64(attr::PEER_TAG, ctx.config.peer_tag, attr::PAD)?;
    msg.put_address(attr::LOCAL_ULID, &ctx.config.local_ulid)?;
    msg.put_address(attr::PEER_ULID, &ctx.config.peer_ulid)?;
    msg.put_address(attr::LOCAL_LOCATOR, &ctx.config.local_locator)?;
    msg.put_address(attr::PEER_LOCATOR, &ctx.config.peer_locator)?;
    msg.put_addresses(attr::LOCAL_LOCATORS, ctx.config.locators.local().iter())?;
    msg.put_addresses(attr::PEER_LOCATORS, ctx.config.locators.peer().iter())?;
    msg.put_u32(attr::SEND_TIMEOUT_MS, ctx.config.timeouts.send_ms)?;
    msg.put_u32(attr::KEEPALIVE_TIMEOUT_MS, ctx.config.timeouts.keepalive_ms)?;
    msg.put_u8(attr::REAP_STATE, ctx.reap.state as u8)?;
    let t = &ctx.traffic;
    msg.put_u64(attr::TX_PACKETS, t.tx_packets, attr::PAD)?;
    msg.put_u64(attr::RX_PACKETS, t.rx_packets, attr::PAD)?;
    msg.put_u64(attr::TX_BYTES, t.tx_bytes, attr::PAD)?;
    msg.put_u64(attr::RX_BYTES, t.rx_bytes, attr::PAD)?;
    if t.last_tx != 0 {
        msg.put_u32(attr::LAST_TX_MS, crate::sys::time::jiffies_to_ms_since(t.last_tx, now))?;
    }
    if t.last_rx != 0 {
        msg.put_u32(attr::LAST_RX_MS, crate::sys::time::jiffies_to_ms_since(t.last_rx, now))?;
    }
    Ok(())
}

/// `ctx-get`: one context, or all of them as a dump.
struct CtxGet;

impl DoIt for CtxGet {
    fn doit(request: &Request<'_>) -> Result {
        let tag = local_tag(request)?;
        let net: &Shim6Net = request.net().generic();
        let mut msg = request.reply(cmd::CTX_GET)?;
        {
            let now = crate::sys::time::jiffies();
            let table = net.contexts.lock();
            let ctx = table.by_tag(tag).ok_or(ENOENT)?;
            put_context(&mut msg, ctx, now)?;
        }
        msg.send()
    }
}

impl DumpIt for CtxGet {
    fn dumpit(dump: &mut Dump<'_>) -> Result {
        let net: &Shim6Net = dump.net().generic();
        let now = crate::sys::time::jiffies();
        let mut next = dump.cursor();
        let mut table = net.contexts.lock();
        while let Some(ctx) = table.first_from(next) {
            let tag = ctx.config.local_tag;
            let Ok(mut msg) = dump.entry(cmd::CTX_GET) else { break };
            if put_context(&mut msg, ctx, now).is_err() {
                // Full: this context starts the next buffer.
                drop(msg);
                break;
            }
            dump.finish_entry(msg);
            next = tag + 1;
        }
        dump.set_cursor(next);
        Ok(())
    }
}

const NOT_IN_SETS: &CStr = c_str!("locator not in the context's locator sets");

/// `ctx-set-path`: use another locator pair from now on.
struct CtxSetPath;

/// Why `ctx-set-path` refuses a pair.
enum PathRefused {
    Gone,
    NotInSets,
}

impl PathRefused {
    fn error(self, request: &Request<'_>) -> Error {
        match self {
            PathRefused::Gone => ENOENT,
            PathRefused::NotInSets => invalid(request, NOT_IN_SETS),
        }
    }
}

/// What moving a context to a pair of its locators takes.
struct PathPlan {
    ulids: UlidPair,
    /// The pair is not the ULID pair: packets will be rewritten.
    rewrites: bool,
    /// ... for the first time: the context needs its xfrm objects.
    needs_xfrm: bool,
}

/// Checks the pair under the table lock.
fn check_path(net: &Shim6Net, tag: u64, local: &Addr, peer: &Addr) -> core::result::Result<PathPlan, PathRefused> {
    let mut table = net.contexts.lock();
    let ctx = table.by_tag_mut(tag).ok_or(PathRefused::Gone)?;
    if !ctx.config.locators.contain(local, peer) {
        return Err(PathRefused::NotInSets);
    }
    let ulids = ctx.ulids();
    let rewrites = ulids.rewritten_to(local, peer);
    Ok(PathPlan { ulids, rewrites, needs_xfrm: rewrites && ctx.xfrm.is_none() })
}

/// Refuses a rewriting pair, counted and announced, while an IPsec policy
/// covers the ULID pair: rewritten packets would leave around it in
/// cleartext (`crate::xfrm::ipsec_covers`).
fn refuse_if_ipsec(request: &Request<'_>, net: &Shim6Net, tag: u64, ulids: &UlidPair, local: &Addr, peer: &Addr) -> Result {
    if !crate::xfrm::ipsec_covers(request.net(), ulids) {
        return Ok(());
    }
    net.stats.inc(Counter::RewriteRefusedIpsec);
    crate::events::ipsec_refused(request.net(), tag, ulids, local, peer);
    request.set_error_message(c_str!("an IPsec policy covers this ULID pair: it is not rewritten around IPsec"));
    Err(EPERM)
}

impl DoIt for CtxSetPath {
    fn doit(request: &Request<'_>) -> Result {
        let tag = local_tag(request)?;
        let local = request.address(attr::LOCAL_LOCATOR).ok_or_else(|| invalid(request, c_str!("local-locator is required")))?;
        let peer = request.address(attr::PEER_LOCATOR).ok_or_else(|| invalid(request, c_str!("peer-locator is required")))?;
        let net: &Shim6Net = request.net().generic();
        // The xfrm objects of a first rewriting pair are made without the
        // table lock (installing them sleeps), then attached under it.
        let plan = check_path(net, tag, &local, &peer).map_err(|refused| refused.error(request))?;
        if plan.rewrites {
            refuse_if_ipsec(request, net, tag, &plan.ulids, &local, &peer)?;
        }
        let mut fresh = match plan.needs_xfrm {
            false => None,
            true => Some(install_xfrm(request, &plan.ulids.local, &plan.ulids.peer, &local, tag)?),
        };
        let changed = {
            let mut table = net.contexts.lock();
            match table.by_tag_mut(tag) {
                None => Err(PathRefused::Gone),
                // A concurrent ctx-update may have changed the sets.
                Some(ctx) if !ctx.config.locators.contain(&local, &peer) => Err(PathRefused::NotInSets),
                Some(ctx) => {
                    ctx.config.local_locator = local;
                    ctx.config.peer_locator = peer;
                    if ctx.xfrm.is_none() {
                        ctx.xfrm = fresh.take();
                    }
                    if let Some(xfrm) = &ctx.xfrm {
                        xfrm.set_local_locator(&local);
                    }
                    // The daemon chose this pair: REAP starts over (RFC 5534 §6).
                    ctx.reap.reset();
                    Ok(ctx.ulids())
                }
            }
        };
        // Not attached (the context changed meanwhile, or a concurrent
        // set-path attached its own): undone outside the lock.
        if let Some(unused) = fresh {
            unused.remove();
        }
        let ulids = changed.map_err(|refused| refused.error(request))?;
        net.stats.inc(Counter::PathChanges);
        // After the table lock: TCP takes socket locks in the notifier.
        // `net.shim6.path_update=0` turns the event off (for comparisons).
        if net.sysctl.path_update() {
            crate::sys::netevent::path_update(request.net(), &ulids.local, &ulids.peer);
            net.stats.inc(Counter::PathUpdates);
        }
        crate::events::path_changed(request.net(), tag, &local, &peer);
        Ok(())
    }
}
/// `ctx-set-timers`: change a context's Send and Keepalive timeouts.
struct CtxSetTimers;

impl DoIt for CtxSetTimers {
    fn doit(request: &Request<'_>) -> Result {
        let tag = local_tag(request)?;
        let net: &Shim6Net = request.net().generic();
        let mut table = net.contexts.lock();
        let ctx = table.by_tag_mut(tag).ok_or(ENOENT)?;
        ctx.config.timeouts = timeouts(request, ctx.config.timeouts)?;
        Ok(())
    }
}

/// `ctx-update`: the peer's tag or either locator set changed (Update
/// Request/Acknowledgement, R1bis/I2bis recovery).
struct CtxUpdate;

impl DoIt for CtxUpdate {
    fn doit(request: &Request<'_>) -> Result {
        let tag = local_tag(request)?;
        let peer_tag = match request.u64(attr::PEER_TAG) {
            Some(_) => Some(required_tag(request, attr::PEER_TAG, c_str!("peer-tag"))?),
            None => None,
        };
        let keeps_local = request.addresses(attr::LOCAL_LOCATORS).is_none();
        let keeps_peer = request.addresses(attr::PEER_LOCATORS).is_none();
        let given_local = locators(request, attr::LOCAL_LOCATORS, &[])?;
        let given_peer = locators(request, attr::PEER_LOCATORS, &[])?;
        let net: &Shim6Net = request.net().generic();
        check_global_unicast(
            request,
            net,
            &[(given_local.as_slice(), LOCAL_LOCATOR_NOT_GLOBAL), (given_peer.as_slice(), PEER_LOCATOR_NOT_GLOBAL)],
        )?;
        // The new sets are allocated without the table lock, so that they
        // can sleep and be charged to the caller's memory cgroup; a side
        // the request leaves out is copied from the context meanwhile.
        let (local, peer) = {
            let table = net.contexts.lock();
            let ctx = table.by_tag(tag).ok_or(ENOENT)?;
            let local = if keeps_local { Locators::copy_of(ctx.config.locators.local())? } else { given_local };
            let peer = if keeps_peer { Locators::copy_of(ctx.config.locators.peer())? } else { given_peer };
            (local, peer)
        };
        let sets = LocatorSets::new(local.as_slice(), peer.as_slice(), GFP_KERNEL_ACCOUNT)?;
        let mut table = net.contexts.lock();
        let ctx = table.by_tag_mut(tag).ok_or(ENOENT)?;
        let kept_changed = (keeps_local && ctx.config.locators.local() != local.as_slice())
            || (keeps_peer && ctx.config.locators.peer() != peer.as_slice());
        if kept_changed {
            request.set_error_message(c_str!("a concurrent ctx-update changed the context: try again"));
            return Err(EAGAIN);
        }
        if !local.contains(&ctx.config.local_locator) || !peer.contains(&ctx.config.peer_locator) {
            return Err(invalid(request, c_str!("the locators in use must stay in the sets (set the path first)")));
        }
        let old = core::mem::replace(&mut ctx.config.locators, sets);
        if let Some(t) = peer_tag {
            ctx.config.peer_tag = t;
        }
        drop(table);
        drop(old);
        Ok(())
    }
}

/// `set-params`: the trigger thresholds of the namespace, stored in (and
/// bounded as) the `net.shim6.trigger_bytes` / `trigger_seconds` sysctls.
struct SetParams;

impl DoIt for SetParams {
    fn doit(request: &Request<'_>) -> Result {
        let net: &Shim6Net = request.net().generic();
        let bytes = request.u32(attr::TRIGGER_BYTES);
        let seconds = request.u32(attr::TRIGGER_SECONDS);
        // Both checked before either is stored: a refused request changes nothing.
        if bytes.is_some_and(|b| net.sysctl.check(Threshold::Bytes, b).is_err()) {
            return Err(invalid(request, c_str!("trigger-bytes must be 1 to 1073741824 (use peer-policy never to disable)")));
        }
        if seconds.is_some_and(|s| net.sysctl.check(Threshold::Seconds, s).is_err()) {
            return Err(invalid(request, c_str!("trigger-seconds must be 1 to 86400 (use peer-policy never to disable)")));
        }
        if let Some(b) = bytes {
            net.sysctl.set(Threshold::Bytes, b)?;
        }
        if let Some(s) = seconds {
            net.sysctl.set(Threshold::Seconds, s)?;
        }
        Ok(())
    }
}

/// `get-params`: the trigger thresholds of the namespace (the sysctls).
struct GetParams;

impl DoIt for GetParams {
    fn doit(request: &Request<'_>) -> Result {
        let net: &Shim6Net = request.net().generic();
        let params = net.sysctl.trigger_params();
        let mut msg = request.reply(cmd::GET_PARAMS)?;
        msg.put_u32(attr::TRIGGER_BYTES, params.bytes)?;
        msg.put_u32(attr::TRIGGER_SECONDS, params.seconds)?;
        msg.send()
    }
}

/// `set-peer-policy`: never, or at once, start a context with a peer.
struct SetPeerPolicy;

impl DoIt for SetPeerPolicy {
    fn doit(request: &Request<'_>) -> Result {
        let peer = request.address(attr::PEER_ADDRESS).ok_or_else(|| invalid(request, c_str!("peer-address is required")))?;
        let policy = request
            .u8(attr::TRIGGER_POLICY)
            .and_then(Policy::from_u8)
            .ok_or_else(|| invalid(request, c_str!("trigger-policy must be 0 (default), 1 (never) or 2 (immediate)")))?;
        let node = kernel::rbtree::RBTreeNode::new(peer, policy, GFP_KERNEL_ACCOUNT)?;
        let net: &Shim6Net = request.net().generic();
        let result = net.trigger.lock().set_policy(peer, policy, node);
        result.inspect_err(|_| request.set_error_message(c_str!("too many peer policies")))
    }
}

/// `get-info`: the module version and this namespace's counters.
struct GetInfo;

impl DoIt for GetInfo {
    fn doit(request: &Request<'_>) -> Result {
        let net: &Shim6Net = request.net().generic();
        net.stats.inc(Counter::InfoRequests);

        let mut msg = request.reply(cmd::GET_INFO)?;
        msg.put_string(attr::VERSION, crate::VERSION)?;
        let stats = msg.nest_start(attr::STATS)?;
        for (name, value) in net.stats.iter() {
            let entry = msg.nest_start(stat_attr::ENTRY)?;
            msg.put_string(stat_attr::NAME, name)?;
            msg.put_u64(stat_attr::VALUE, value, stat_attr::PAD)?;
            msg.nest_end(entry);
        }
        msg.nest_end(stats);
        msg.send()
    }
}
