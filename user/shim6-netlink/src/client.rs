//! The client of the `shim6` family: one method per command.

use crate::builder::MessageBuilder;
use crate::connection::Connection;
use crate::ctrl::{resolve_family, FamilyInfo};
use crate::error::{Error, ParseError, Result};
use crate::events::EventSubscription;
use crate::family::{cmd, EVENTS_GROUP, FAMILY_NAME, FAMILY_VERSION};
use crate::info::Info;
use crate::message::OwnedGenlMessage;

/// A connection to the shim6 module of the caller's network namespace.
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

    /// A request for command `cmd`, to fill with attributes.
    fn request(&self, cmd: u8) -> MessageBuilder {
        MessageBuilder::new(self.family.id, cmd, FAMILY_VERSION)
    }

    /// Sends a request that is answered by exactly one message.
    fn single_reply(&mut self, request: MessageBuilder) -> Result<OwnedGenlMessage> {
        let mut replies = self.connection.transact(request)?;
        match replies.len() {
            1 => Ok(replies.remove(0)),
            got => Err(ParseError::UnexpectedReplyCount { expected: 1, got }.into()),
        }
    }

    /// `get-info`: the module version and this namespace's counters.
    pub fn get_info(&mut self) -> Result<Info> {
        let reply = self.single_reply(self.request(cmd::GET_INFO))?;
        Ok(Info::parse(&reply)?)
    }

    /// Joins the "events" multicast group on a socket of its own.
    pub fn subscribe_events(&self) -> Result<EventSubscription> {
        let group = self
            .family
            .group_id(EVENTS_GROUP)
            .ok_or_else(|| Error::GroupNotFound {
                family: self.family.name.clone(),
                group: EVENTS_GROUP.to_owned(),
            })?;
        EventSubscription::join(self.family.id, group)
    }
}
