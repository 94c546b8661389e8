//! What the reply and event decoders share: a message's top-level
//! attributes gathered by type, read with typed getters that name what is
//! missing or malformed.

use std::collections::BTreeMap;
use std::net::Ipv6Addr;

use crate::attr::Attr;
use crate::error::ParseError;
use crate::family::{locator_attr, CONSTANT_TABLES};
use crate::message::OwnedGenlMessage;

/// The top-level attributes of one message, by type.  A repeated
/// attribute keeps its last occurrence; unknown ones are kept but never
/// asked for, so a newer module still talks to this client.
#[derive(Debug)]
pub(crate) struct Fields<'a> {
    context: &'static str,
    by_kind: BTreeMap<u16, Attr<'a>>,
}

/// The name of top-level attribute `kind` as `family::attr` spells it.
fn attr_name(kind: u16) -> &'static str {
    CONSTANT_TABLES
        .iter()
        .filter(|(module, _)| *module == "attr")
        .flat_map(|(_, constants)| constants.iter())
        .find(|(_, value)| *value == u64::from(kind))
        .map_or("(unnamed)", |(name, _)| name)
}

impl<'a> Fields<'a> {
    /// Gathers the attributes of `message`; `context` names the message in
    /// errors ("ctx-get reply").
    pub(crate) fn collect(
        context: &'static str,
        message: &'a OwnedGenlMessage,
    ) -> Result<Self, ParseError> {
        let mut by_kind = BTreeMap::new();
        for attr in message.attrs() {
            let attr = attr?;
            by_kind.insert(attr.kind(), attr);
        }
        Ok(Fields { context, by_kind })
    }

    fn required(&self, kind: u16) -> Result<Attr<'a>, ParseError> {
        self.by_kind
            .get(&kind)
            .copied()
            .ok_or(ParseError::MissingAttribute {
                context: self.context,
                name: attr_name(kind),
            })
    }

    pub(crate) fn u8(&self, kind: u16) -> Result<u8, ParseError> {
        self.required(kind)?.u8()
    }

    pub(crate) fn u32(&self, kind: u16) -> Result<u32, ParseError> {
        self.required(kind)?.u32()
    }

    pub(crate) fn u64(&self, kind: u16) -> Result<u64, ParseError> {
        self.required(kind)?.u64()
    }

    pub(crate) fn ipv6(&self, kind: u16) -> Result<Ipv6Addr, ParseError> {
        self.required(kind)?.ipv6()
    }

    /// A u32 the sender may leave out.
    pub(crate) fn optional_u32(&self, kind: u16) -> Result<Option<u32>, ParseError> {
        self.by_kind.get(&kind).map(Attr::u32).transpose()
    }

    /// A nest of `locator_attr::LOCATOR` addresses, in the sender's order.
    pub(crate) fn locators(&self, kind: u16) -> Result<Vec<Ipv6Addr>, ParseError> {
        let mut addresses = Vec::new();
        for entry in self.required(kind)?.nested() {
            let entry = entry?;
            if entry.kind() == locator_attr::LOCATOR {
                addresses.push(entry.ipv6()?);
            }
        }
        Ok(addresses)
    }
}

/// Refuses a reply to some other command than the one asked.
pub(crate) fn expect_command(message: &OwnedGenlMessage, expected: u8) -> Result<(), ParseError> {
    if message.genl.cmd == expected {
        Ok(())
    } else {
        Err(ParseError::UnexpectedCommand {
            expected,
            got: message.genl.cmd,
        })
    }
}
