//! The client of the `shim6` family: one method per command.

use std::net::Ipv6Addr;

use crate::connection::Connection;
use crate::context::Context;
use crate::ctrl::{resolve_family, FamilyInfo};
use crate::error::{Error, KernelError, ParseError, Result};
use crate::events::EventSubscription;
use crate::family::{needs_admin, EVENTS_GROUP, EVENTS_GROUP_NEEDS_ADMIN, FAMILY_NAME};
use crate::info::Info;
use crate::message::OwnedGenlMessage;
use crate::params::Params;
use crate::request::{
    CtxAdd, CtxDel, CtxDump, CtxGet, CtxSetPath, CtxSetTimers, CtxUpdate, GetInfo, GetParams,
    Request, SetParams, SetPeerPolicy, TriggerPolicy,
};

/// A connection to the shim6 module of the caller's network namespace.
///
/// Commands marked "admin" ([`crate::family::ADMIN_COMMANDS`]) need
/// `CAP_NET_ADMIN`, and so does [`Client::subscribe_events`]; without it
/// the kernel refuses them with `EPERM` ([`Error::Kernel`], with a message
/// saying what is missing).
#[derive(Debug)]
pub struct Client {
    connection: Connection,
    family: FamilyInfo,
}

impl Client {
    /// Opens a socket and resolves the family; [`Error::ModuleNotLoaded`]
    /// if the module is not loaded.
    pub fn connect() -> Result<Self> {
        let mut connection = Connection::open()?;
        let family = match resolve_family(&mut connection, FAMILY_NAME) {
            Err(Error::FamilyNotFound(_)) => return Err(Error::ModuleNotLoaded),
            other => other?,
        };
        Ok(Client { connection, family })
    }

    /// The family as the controller described it.
    pub fn family(&self) -> &FamilyInfo {
        &self.family
    }

    /// Sends `request`; the messages that answer it (none for a request
    /// answered by an ack only).
    pub fn send<R: Request>(&mut self, request: &R) -> Result<Vec<OwnedGenlMessage>> {
        self.connection
            .transact(request.to_message(self.family.id))
            .map_err(|error| explain_refusal(error, needs_admin(R::COMMAND)))
    }

    /// Sends a request that is answered by exactly one message.
    fn single_reply<R: Request>(&mut self, request: &R) -> Result<OwnedGenlMessage> {
        let mut replies = self.send(request)?;
        match replies.len() {
            1 => Ok(replies.remove(0)),
            got => Err(ParseError::UnexpectedReplyCount { expected: 1, got }.into()),
        }
    }

    /// Sends a request that is answered by an ack only.
    fn ack_only<R: Request>(&mut self, request: &R) -> Result<()> {
        match self.send(request)?.len() {
            0 => Ok(()),
            got => Err(ParseError::UnexpectedReplyCount { expected: 0, got }.into()),
        }
    }

    /// `get-info`: the module version and this namespace's counters.
    pub fn get_info(&mut self) -> Result<Info> {
        Ok(Info::parse(&self.single_reply(&GetInfo)?)?)
    }

    /// `ctx-add` (admin): install a context.  `EEXIST` if its local tag or
    /// ULID pair is in use.
    pub fn ctx_add(&mut self, request: &CtxAdd) -> Result<()> {
        self.ack_only(request)
    }

    /// `ctx-del` (admin): remove a context.  `ENOENT` if there is none.
    pub fn ctx_del(&mut self, local_tag: u64) -> Result<()> {
        self.ack_only(&CtxDel { local_tag })
    }

    /// `ctx-get` (admin): one context.  `ENOENT` if there is none.
    pub fn ctx_get(&mut self, local_tag: u64) -> Result<Context> {
        Ok(Context::parse(&self.single_reply(&CtxGet { local_tag })?)?)
    }

    /// `ctx-get` (admin) as a dump: every context of the namespace.
    pub fn ctx_dump(&mut self) -> Result<Vec<Context>> {
        let replies = self.send(&CtxDump)?;
        let contexts = replies
            .iter()
            .map(Context::parse)
            .collect::<Result<_, _>>()?;
        Ok(contexts)
    }

    /// `ctx-set-path` (admin): send on this locator pair from now on.
    pub fn ctx_set_path(
        &mut self,
        local_tag: u64,
        local_locator: Ipv6Addr,
        peer_locator: Ipv6Addr,
    ) -> Result<()> {
        self.ack_only(&CtxSetPath {
            local_tag,
            local_locator,
            peer_locator,
        })
    }

    /// `ctx-set-timers` (admin): change the timeouts given.
    pub fn ctx_set_timers(&mut self, request: &CtxSetTimers) -> Result<()> {
        self.ack_only(request)
    }

    /// `ctx-update` (admin): change the peer tag or locator sets given.
    pub fn ctx_update(&mut self, request: &CtxUpdate) -> Result<()> {
        self.ack_only(request)
    }

    /// `set-params` (admin): change the trigger thresholds given.
    pub fn set_params(&mut self, request: &SetParams) -> Result<()> {
        self.ack_only(request)
    }

    /// `get-params` (admin): the trigger thresholds.
    pub fn get_params(&mut self) -> Result<Params> {
        Ok(Params::parse(&self.single_reply(&GetParams)?)?)
    }

    /// `set-peer-policy` (admin): when traffic with `peer_address` raises
    /// `evt-trigger`.
    pub fn set_peer_policy(&mut self, peer_address: Ipv6Addr, policy: TriggerPolicy) -> Result<()> {
        self.ack_only(&SetPeerPolicy {
            peer_address,
            policy,
        })
    }

    /// Joins the "events" multicast group on a socket of its own (admin).
    pub fn subscribe_events(&self) -> Result<EventSubscription> {
        let group = self
            .family
            .group_id(EVENTS_GROUP)
            .ok_or_else(|| Error::GroupNotFound {
                family: self.family.name.clone(),
                group: EVENTS_GROUP.to_owned(),
            })?;
        EventSubscription::join(self.family.id, group).map_err(|error| match error {
            Error::Io { source, .. } if source.raw_os_error() == Some(libc::EPERM) => {
                explain_refusal(not_permitted(), EVENTS_GROUP_NEEDS_ADMIN)
            }
            other => other,
        })
    }
}

/// What `EPERM` means here: the kernel says nothing more itself.
const NEEDS_NET_ADMIN: &str = "needs CAP_NET_ADMIN in the network namespace";

fn not_permitted() -> Error {
    Error::Kernel(KernelError {
        errno: libc::EPERM,
        message: None,
        offset: None,
    })
}

/// Adds to a bare `EPERM` refusal of a privileged request what it lacked.
fn explain_refusal(error: Error, privileged: bool) -> Error {
    match error {
        Error::Kernel(mut refusal)
            if privileged && refusal.errno == libc::EPERM && refusal.message.is_none() =>
        {
            refusal.message = Some(NEEDS_NET_ADMIN.to_owned());
            Error::Kernel(refusal)
        }
        other => other,
    }
}
