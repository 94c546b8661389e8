//! Generic netlink client for the shim6 kernel module.
//!
//! Layers, bottom up:
//! - [`attr`], [`message`], [`ack`], [`builder`]: the wire format — a
//!   zero-copy attribute and message iterator and a request builder;
//! - [`socket`]: the raw `AF_NETLINK` socket (the only `unsafe` code);
//! - [`connection`]: sequence numbers, replies, acks and refusals;
//! - [`ctrl`]: family and multicast group resolution through `nlctrl`;
//! - [`family`]: the family's numbers;
//! - [`request`]: one type per command, encoding its attributes;
//! - replies and events: [`info`], [`context`], [`params`], [`event`]
//!   (an [`Event`] decoded from one message), sharing a private `decode`;
//! - [`client`]: one method per command; [`events`]: the multicast
//!   subscription that hands out [`Event`]s.
//!
//! Adding a command takes a constant in [`family`], a type in [`request`],
//! a method on [`Client`], and a parser for its reply like [`Info::parse`].

// Only `socket` may use `unsafe` (it allows it for itself).
#![deny(unsafe_code)]

pub mod ack;
pub mod attr;
pub mod builder;
pub mod client;
pub mod connection;
pub mod context;
pub mod ctrl;
mod decode;
pub mod error;
pub mod event;
pub mod events;
pub mod family;
pub mod info;
pub mod message;
pub mod params;
pub mod request;
pub mod socket;

pub use builder::MessageBuilder;
pub use client::Client;
pub use context::{Context, ReapState, Traffic};
pub use ctrl::{FamilyInfo, MulticastGroup};
pub use error::{BuildError, Error, KernelError, ParseError, Result};
pub use event::Event;
pub use events::EventSubscription;
pub use info::Info;
pub use message::OwnedGenlMessage;
pub use params::Params;
pub use request::{
    CtxAdd, CtxDel, CtxDump, CtxGet, CtxSetPath, CtxSetTimers, CtxUpdate, GetInfo, GetParams,
    Request, SetParams, SetPeerPolicy, TriggerPolicy, UnknownTriggerPolicy,
};
