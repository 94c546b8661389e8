//! `nlctrl`, the generic netlink controller: resolving a family name to
//! its id, version and multicast groups.

use crate::builder::MessageBuilder;
use crate::connection::Connection;
use crate::error::{Error, ParseError, Result};
use crate::message::OwnedGenlMessage;

/// The controller's fixed family id.
pub const GENL_ID_CTRL: u16 = 0x10;
pub const CTRL_CMD_NEWFAMILY: u8 = 1;
pub const CTRL_CMD_GETFAMILY: u8 = 3;
pub const CTRL_VERSION: u8 = 2;

pub const CTRL_ATTR_FAMILY_ID: u16 = 1;
pub const CTRL_ATTR_FAMILY_NAME: u16 = 2;
pub const CTRL_ATTR_VERSION: u16 = 3;
pub const CTRL_ATTR_MCAST_GROUPS: u16 = 7;
pub const CTRL_ATTR_MCAST_GRP_NAME: u16 = 1;
pub const CTRL_ATTR_MCAST_GRP_ID: u16 = 2;

/// A multicast group of a family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MulticastGroup {
    pub name: String,
    pub id: u32,
}

/// What the controller knows about a family.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FamilyInfo {
    pub name: String,
    pub id: u16,
    pub version: u32,
    pub multicast_groups: Vec<MulticastGroup>,
}

impl FamilyInfo {
    /// The id of multicast group `name`.
    pub fn group_id(&self, name: &str) -> Option<u32> {
        self.multicast_groups
            .iter()
            .find(|g| g.name == name)
            .map(|g| g.id)
    }

    /// Decodes a `CTRL_CMD_NEWFAMILY` reply.  Attributes this client does
    /// not use (ops, policies) are skipped.
    pub fn parse(reply: &OwnedGenlMessage) -> Result<Self, ParseError> {
        let mut name = None;
        let mut id = None;
        let mut version = None;
        let mut multicast_groups = Vec::new();
        for attr in reply.attrs() {
            let attr = attr?;
            match attr.kind() {
                CTRL_ATTR_FAMILY_NAME => name = Some(attr.str()?.to_owned()),
                CTRL_ATTR_FAMILY_ID => id = Some(attr.u16()?),
                CTRL_ATTR_VERSION => version = Some(attr.u32()?),
                CTRL_ATTR_MCAST_GROUPS => {
                    // An array: each element is a nest indexed 1, 2, ...
                    for group in attr.nested() {
                        multicast_groups.push(parse_group(group?.nested())?);
                    }
                }
                _ => {}
            }
        }
        let missing = |name| ParseError::MissingAttribute {
            context: "nlctrl family",
            name,
        };
        Ok(FamilyInfo {
            name: name.ok_or(missing("CTRL_ATTR_FAMILY_NAME"))?,
            id: id.ok_or(missing("CTRL_ATTR_FAMILY_ID"))?,
            version: version.ok_or(missing("CTRL_ATTR_VERSION"))?,
            multicast_groups,
        })
    }
}

fn parse_group(attrs: crate::attr::Attrs<'_>) -> Result<MulticastGroup, ParseError> {
    let mut name = None;
    let mut id = None;
    for attr in attrs {
        let attr = attr?;
        match attr.kind() {
            CTRL_ATTR_MCAST_GRP_NAME => name = Some(attr.str()?.to_owned()),
            CTRL_ATTR_MCAST_GRP_ID => id = Some(attr.u32()?),
            _ => {}
        }
    }
    let missing = |name| ParseError::MissingAttribute {
        context: "nlctrl multicast group",
        name,
    };
    Ok(MulticastGroup {
        name: name.ok_or(missing("CTRL_ATTR_MCAST_GRP_NAME"))?,
        id: id.ok_or(missing("CTRL_ATTR_MCAST_GRP_ID"))?,
    })
}

/// The `CTRL_CMD_GETFAMILY` request for family `name`.
pub fn get_family_request(name: &str) -> MessageBuilder {
    let mut request = MessageBuilder::new(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_VERSION);
    request.put_str(CTRL_ATTR_FAMILY_NAME, name);
    request
}

/// Asks the controller about family `name`; [`Error::FamilyNotFound`] if
/// no such family is registered in this namespace.
pub fn resolve_family(connection: &mut Connection, name: &str) -> Result<FamilyInfo> {
    let replies = match connection.transact(get_family_request(name)) {
        Err(Error::Kernel(refusal)) if refusal.errno == libc::ENOENT => {
            return Err(Error::FamilyNotFound(name.to_owned()))
        }
        other => other?,
    };
    let [reply] = replies.as_slice() else {
        return Err(ParseError::UnexpectedReplyCount {
            expected: 1,
            got: replies.len(),
        }
        .into());
    };
    if reply.genl.cmd != CTRL_CMD_NEWFAMILY {
        return Err(ParseError::UnexpectedCommand {
            expected: CTRL_CMD_NEWFAMILY,
            got: reply.genl.cmd,
        }
        .into());
    }
    Ok(FamilyInfo::parse(reply)?)
}
