// SPDX-License-Identifier: GPL-2.0

//! The `shim6` generic netlink family: how the daemon and the tools talk to
//! the module.  `rust/shim6.yaml`, a netlink spec in the kernel's YNL
//! format, describes it; the numbers here must match it (a host test checks).

use crate::netns::Shim6Net;
use crate::stats::Counter;
use crate::sys::genl::{DoIt, FamilyDesc, Op, Permission, Registration, Request};
use kernel::{c_str, prelude::*};

pub(crate) const FAMILY_NAME: &CStr = c_str!("shim6");
pub(crate) const FAMILY_VERSION: u32 = 1;

/// Commands.  Requests 1..=10; events (multicast on `events`) from 20.
#[allow(dead_code)] // Being implemented: see the notes on each handler.
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
}

/// Top-level attributes.
#[allow(dead_code)]
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

/// Attributes inside `LOCAL_LOCATORS` / `PEER_LOCATORS`.
#[allow(dead_code)]
pub(crate) mod locator_attr {
    pub(crate) const LOCATOR: u16 = 1;
    pub(crate) const MAX: u16 = LOCATOR;
}

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
        let ops = [Op::new::<GetInfo>(cmd::GET_INFO, Permission::Any)];
        let desc = FamilyDesc {
            name: FAMILY_NAME,
            version: FAMILY_VERSION,
            max_attr: attr::MAX,
            // `get-info` takes no attributes: every one is rejected.
            policy: &[],
            ops: &ops,
            multicast_groups: &[c_str!("events")],
        };
        Ok(Family { _registration: Registration::register(&desc, module)? })
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
