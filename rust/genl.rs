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

/// Commands.
mod cmd {
    pub(crate) const GET_INFO: u8 = 1;
}

/// Top-level attributes.
mod attr {
    pub(crate) const VERSION: u16 = 1;
    pub(crate) const STATS: u16 = 2;
    pub(crate) const PAD: u16 = 3;
    pub(crate) const MAX: u16 = PAD;
}

/// Attributes inside each `STATS` entry.
mod stat_attr {
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
