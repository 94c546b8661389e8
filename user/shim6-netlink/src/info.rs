//! The `get-info` reply: module version and the namespace's counters.

use crate::attr::Attrs;
use crate::error::ParseError;
use crate::family::{attr, cmd, stat_attr};
use crate::message::OwnedGenlMessage;

/// What `get-info` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Info {
    /// The module version, such as "0.1.0".
    pub version: String,
    /// Counters in the module's order, such as `("Shim6InfoRequests", 1)`.
    pub stats: Vec<(String, u64)>,
}

impl Info {
    /// Decodes a `get-info` reply.  Unknown attributes are skipped, so a
    /// newer module still talks to this client.
    pub fn parse(reply: &OwnedGenlMessage) -> Result<Self, ParseError> {
        if reply.genl.cmd != cmd::GET_INFO {
            return Err(ParseError::UnexpectedCommand {
                expected: cmd::GET_INFO,
                got: reply.genl.cmd,
            });
        }
        let mut version = None;
        let mut stats = None;
        for attr in reply.attrs() {
            let attr = attr?;
            match attr.kind() {
                attr::VERSION => version = Some(attr.str()?.to_owned()),
                attr::STATS => stats = Some(parse_stats(attr.nested())?),
                _ => {}
            }
        }
        let missing = |name| ParseError::MissingAttribute {
            context: "get-info reply",
            name,
        };
        Ok(Info {
            version: version.ok_or(missing("VERSION"))?,
            stats: stats.ok_or(missing("STATS"))?,
        })
    }
}

fn parse_stats(entries: Attrs<'_>) -> Result<Vec<(String, u64)>, ParseError> {
    let mut stats = Vec::new();
    for entry in entries {
        let entry = entry?;
        if entry.kind() == stat_attr::ENTRY {
            stats.push(parse_entry(entry.nested())?);
        }
    }
    Ok(stats)
}

fn parse_entry(attrs: Attrs<'_>) -> Result<(String, u64), ParseError> {
    let mut name = None;
    let mut value = None;
    for attr in attrs {
        let attr = attr?;
        match attr.kind() {
            stat_attr::NAME => name = Some(attr.str()?.to_owned()),
            stat_attr::VALUE => value = Some(attr.u64()?),
            // PAD aligns VALUE for nla_put_64bit; nothing to read.
            _ => {}
        }
    }
    let missing = |name| ParseError::MissingAttribute {
        context: "stats entry",
        name,
    };
    Ok((name.ok_or(missing("NAME"))?, value.ok_or(missing("VALUE"))?))
}
