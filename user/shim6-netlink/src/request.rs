//! The family's requests, one type per command, each knowing its command
//! number and how to put its attributes.  [`crate::Client`] sends them;
//! tests encode them with [`Request::to_message`].

use std::fmt;
use std::net::Ipv6Addr;
use std::str::FromStr;

use crate::builder::MessageBuilder;
use crate::family::{attr, cmd, locator_attr, FAMILY_VERSION};

/// A request of the `shim6` family.
pub trait Request {
    /// The command (`genlmsghdr.cmd`).
    const COMMAND: u8;
    /// Whether it is sent as a dump (`NLM_F_DUMP`).
    const DUMP: bool = false;

    /// Puts the request's attributes into `message`.
    fn put_attributes(&self, message: &mut MessageBuilder);

    /// The whole request for the family with id `family_id`.
    fn to_message(&self, family_id: u16) -> MessageBuilder {
        let mut message = MessageBuilder::new(family_id, Self::COMMAND, FAMILY_VERSION);
        if Self::DUMP {
            message.dump();
        }
        self.put_attributes(&mut message);
        message
    }
}

fn put_optional_u32(message: &mut MessageBuilder, kind: u16, value: Option<u32>) {
    if let Some(value) = value {
        message.put_u32(kind, value);
    }
}

fn put_optional_ipv6(message: &mut MessageBuilder, kind: u16, value: Option<Ipv6Addr>) {
    if let Some(value) = value {
        message.put_ipv6(kind, &value);
    }
}

fn put_optional_locators(message: &mut MessageBuilder, kind: u16, value: Option<&[Ipv6Addr]>) {
    if let Some(addresses) = value {
        message.put_ipv6_list(kind, locator_attr::LOCATOR, addresses);
    }
}

/// `get-info`: the module version and the namespace's counters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GetInfo;

impl Request for GetInfo {
    const COMMAND: u8 = cmd::GET_INFO;
    fn put_attributes(&self, _: &mut MessageBuilder) {}
}

/// `ctx-add`: install a context the daemon has established.  What is left
/// `None` the module defaults: the current locators to the ULIDs, the
/// locator sets to the ULID and the current locator, the timeouts to
/// 15000 ms (RFC 5534).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtxAdd {
    pub local_tag: u64,
    pub peer_tag: u64,
    pub local_ulid: Ipv6Addr,
    pub peer_ulid: Ipv6Addr,
    pub local_locator: Option<Ipv6Addr>,
    pub peer_locator: Option<Ipv6Addr>,
    pub local_locators: Option<Vec<Ipv6Addr>>,
    pub peer_locators: Option<Vec<Ipv6Addr>>,
    pub send_timeout_ms: Option<u32>,
    pub keepalive_timeout_ms: Option<u32>,
}

impl CtxAdd {
    /// A request with the required attributes only.
    pub fn new(local_tag: u64, peer_tag: u64, local_ulid: Ipv6Addr, peer_ulid: Ipv6Addr) -> Self {
        CtxAdd {
            local_tag,
            peer_tag,
            local_ulid,
            peer_ulid,
            local_locator: None,
            peer_locator: None,
            local_locators: None,
            peer_locators: None,
            send_timeout_ms: None,
            keepalive_timeout_ms: None,
        }
    }
}

impl Request for CtxAdd {
    const COMMAND: u8 = cmd::CTX_ADD;
    fn put_attributes(&self, message: &mut MessageBuilder) {
        message
            .put_u64(attr::LOCAL_TAG, self.local_tag)
            .put_u64(attr::PEER_TAG, self.peer_tag)
            .put_ipv6(attr::LOCAL_ULID, &self.local_ulid)
            .put_ipv6(attr::PEER_ULID, &self.peer_ulid);
        put_optional_ipv6(message, attr::LOCAL_LOCATOR, self.local_locator);
        put_optional_ipv6(message, attr::PEER_LOCATOR, self.peer_locator);
        put_optional_locators(
            message,
            attr::LOCAL_LOCATORS,
            self.local_locators.as_deref(),
        );
        put_optional_locators(message, attr::PEER_LOCATORS, self.peer_locators.as_deref());
        put_optional_u32(message, attr::SEND_TIMEOUT_MS, self.send_timeout_ms);
        put_optional_u32(
            message,
            attr::KEEPALIVE_TIMEOUT_MS,
            self.keepalive_timeout_ms,
        );
    }
}

/// `ctx-del`: remove a context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtxDel {
    pub local_tag: u64,
}

impl Request for CtxDel {
    const COMMAND: u8 = cmd::CTX_DEL;
    fn put_attributes(&self, message: &mut MessageBuilder) {
        message.put_u64(attr::LOCAL_TAG, self.local_tag);
    }
}

/// `ctx-get`: one context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtxGet {
    pub local_tag: u64,
}

impl Request for CtxGet {
    const COMMAND: u8 = cmd::CTX_GET;
    fn put_attributes(&self, message: &mut MessageBuilder) {
        message.put_u64(attr::LOCAL_TAG, self.local_tag);
    }
}

/// `ctx-get` as a dump: every context.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CtxDump;

impl Request for CtxDump {
    const COMMAND: u8 = cmd::CTX_GET;
    const DUMP: bool = true;
    fn put_attributes(&self, _: &mut MessageBuilder) {}
}

/// `ctx-set-path`: send on another locator pair from now on.  A locator
/// equal to its ULID is the null mapping (no extension header).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtxSetPath {
    pub local_tag: u64,
    pub local_locator: Ipv6Addr,
    pub peer_locator: Ipv6Addr,
}

impl Request for CtxSetPath {
    const COMMAND: u8 = cmd::CTX_SET_PATH;
    fn put_attributes(&self, message: &mut MessageBuilder) {
        message
            .put_u64(attr::LOCAL_TAG, self.local_tag)
            .put_ipv6(attr::LOCAL_LOCATOR, &self.local_locator)
            .put_ipv6(attr::PEER_LOCATOR, &self.peer_locator);
    }
}

/// `ctx-set-timers`: change the timeouts given, keep the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CtxSetTimers {
    pub local_tag: u64,
    pub send_timeout_ms: Option<u32>,
    pub keepalive_timeout_ms: Option<u32>,
}

impl Request for CtxSetTimers {
    const COMMAND: u8 = cmd::CTX_SET_TIMERS;
    fn put_attributes(&self, message: &mut MessageBuilder) {
        message.put_u64(attr::LOCAL_TAG, self.local_tag);
        put_optional_u32(message, attr::SEND_TIMEOUT_MS, self.send_timeout_ms);
        put_optional_u32(
            message,
            attr::KEEPALIVE_TIMEOUT_MS,
            self.keepalive_timeout_ms,
        );
    }
}

/// `ctx-update`: the peer's tag or a locator set changed; what is `None`
/// stays.  The current locators must stay in their sets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CtxUpdate {
    pub local_tag: u64,
    pub peer_tag: Option<u64>,
    pub local_locators: Option<Vec<Ipv6Addr>>,
    pub peer_locators: Option<Vec<Ipv6Addr>>,
}

impl Request for CtxUpdate {
    const COMMAND: u8 = cmd::CTX_UPDATE;
    fn put_attributes(&self, message: &mut MessageBuilder) {
        message.put_u64(attr::LOCAL_TAG, self.local_tag);
        if let Some(peer_tag) = self.peer_tag {
            message.put_u64(attr::PEER_TAG, peer_tag);
        }
        put_optional_locators(
            message,
            attr::LOCAL_LOCATORS,
            self.local_locators.as_deref(),
        );
        put_optional_locators(message, attr::PEER_LOCATORS, self.peer_locators.as_deref());
    }
}

/// `set-params`: change the trigger thresholds given, keep the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SetParams {
    pub trigger_bytes: Option<u32>,
    pub trigger_seconds: Option<u32>,
}

impl Request for SetParams {
    const COMMAND: u8 = cmd::SET_PARAMS;
    fn put_attributes(&self, message: &mut MessageBuilder) {
        put_optional_u32(message, attr::TRIGGER_BYTES, self.trigger_bytes);
        put_optional_u32(message, attr::TRIGGER_SECONDS, self.trigger_seconds);
    }
}

/// `get-params`: the trigger thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GetParams;

impl Request for GetParams {
    const COMMAND: u8 = cmd::GET_PARAMS;
    fn put_attributes(&self, _: &mut MessageBuilder) {}
}

/// Whether traffic with a peer raises `evt-trigger`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TriggerPolicy {
    /// When the thresholds of [`SetParams`] are reached.
    Default,
    /// Never.
    Never,
    /// On the first packet.
    Immediate,
}

impl TriggerPolicy {
    pub const ALL: [TriggerPolicy; 3] = [
        TriggerPolicy::Default,
        TriggerPolicy::Never,
        TriggerPolicy::Immediate,
    ];

    /// The value of `attr::TRIGGER_POLICY`.
    pub fn to_u8(self) -> u8 {
        match self {
            TriggerPolicy::Default => 0,
            TriggerPolicy::Never => 1,
            TriggerPolicy::Immediate => 2,
        }
    }

    /// `default`, `never` or `immediate`.
    pub fn name(self) -> &'static str {
        match self {
            TriggerPolicy::Default => "default",
            TriggerPolicy::Never => "never",
            TriggerPolicy::Immediate => "immediate",
        }
    }
}

impl fmt::Display for TriggerPolicy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A name other than `default`, `never` and `immediate`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown trigger policy '{0}' (expected default, never or immediate)")]
pub struct UnknownTriggerPolicy(pub String);

impl FromStr for TriggerPolicy {
    type Err = UnknownTriggerPolicy;
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        TriggerPolicy::ALL
            .into_iter()
            .find(|policy| policy.name() == name)
            .ok_or_else(|| UnknownTriggerPolicy(name.to_owned()))
    }
}

/// `set-peer-policy`: the trigger policy for one peer address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetPeerPolicy {
    pub peer_address: Ipv6Addr,
    pub policy: TriggerPolicy,
}

impl Request for SetPeerPolicy {
    const COMMAND: u8 = cmd::SET_PEER_POLICY;
    fn put_attributes(&self, message: &mut MessageBuilder) {
        message
            .put_ipv6(attr::PEER_ADDRESS, &self.peer_address)
            .put_u8(attr::TRIGGER_POLICY, self.policy.to_u8());
    }
}
