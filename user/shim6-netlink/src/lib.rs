//! Generic netlink client for the shim6 kernel module.
//!
//! Layers, bottom up:
//! - [`attr`], [`message`], [`ack`], [`builder`]: the wire format — a
//!   zero-copy attribute and message iterator and a request builder;
//! - [`socket`]: the raw `AF_NETLINK` socket (the only `unsafe` code);
//! - [`connection`]: sequence numbers, replies, acks and refusals;
//! - [`ctrl`]: family and multicast group resolution through `nlctrl`;
//! - [`family`], [`info`], [`client`], [`events`]: the `shim6` family.
//!
//! Adding a command takes a constant in [`family`], a method on [`Client`]
//! that fills a [`MessageBuilder`], and a parser for its reply like
//! [`Info::parse`].

// Only `socket` may use `unsafe` (it allows it for itself).
#![deny(unsafe_code)]

pub mod ack;
pub mod attr;
pub mod builder;
pub mod client;
pub mod connection;
pub mod ctrl;
pub mod error;
pub mod events;
pub mod family;
pub mod info;
pub mod message;
pub mod socket;

pub use builder::MessageBuilder;
pub use client::Client;
pub use ctrl::{FamilyInfo, MulticastGroup};
pub use error::{BuildError, Error, KernelError, ParseError, Result};
pub use events::EventSubscription;
pub use info::Info;
pub use message::OwnedGenlMessage;
