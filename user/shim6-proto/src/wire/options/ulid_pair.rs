//! ULID Pair option, type 6 (RFC 5533 §5.15.6): 4 reserved octets, then the
//! sender's and the receiver's ULID. Length is always 36.

use std::net::Ipv6Addr;

use super::super::field;
use super::super::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UlidPair {
    pub sender: Ipv6Addr,
    pub receiver: Ipv6Addr,
}

pub(crate) const ULID_PAIR_LEN: usize = 36;

impl UlidPair {
    pub(crate) fn parse(contents: &[u8], offset: usize) -> Result<UlidPair, Error> {
        if contents.len() != ULID_PAIR_LEN {
            return Err(Error::BadOptionLength {
                option_type: super::option_type::ULID_PAIR,
                offset,
            });
        }
        Ok(UlidPair {
            sender: field::ipv6_at(contents, 4)?,
            receiver: field::ipv6_at(contents, 20)?,
        })
    }

    pub(crate) fn emit(&self, out: &mut [u8]) -> Result<(), Error> {
        field::put(out, 4, &self.sender.octets())?;
        field::put(out, 20, &self.receiver.octets())
    }
}
