//! The kernel module as the daemon sees it: the context commands of the
//! `shim6` generic netlink family behind a trait, so that the wiring logic
//! ([`crate::kernel_sync`]) can be tested against a fake kernel, and the
//! real client ([`GenlKernel`]) with its event subscription.

use std::net::Ipv6Addr;
use std::os::fd::{AsFd, BorrowedFd};

use shim6_netlink::{
    Client, Context, CtxAdd, CtxSetTimers, CtxUpdate, Event, EventSubscription, TriggerPolicy,
};

/// A refused or failed kernel command; the message names the command.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{command}: {reason}")]
pub struct KernelError {
    pub command: &'static str,
    pub reason: String,
}

impl KernelError {
    fn of(command: &'static str) -> impl FnOnce(shim6_netlink::Error) -> KernelError {
        move |error| KernelError {
            command,
            reason: error.to_string(),
        }
    }
}

pub type KernelResult<T> = Result<T, KernelError>;

/// The context commands the daemon gives the module.
pub trait KernelContexts {
    fn add(&mut self, request: &CtxAdd) -> KernelResult<()>;
    fn delete(&mut self, local_tag: u64) -> KernelResult<()>;
    fn update(&mut self, request: &CtxUpdate) -> KernelResult<()>;
    fn set_path(&mut self, local_tag: u64, local: Ipv6Addr, peer: Ipv6Addr) -> KernelResult<()>;
    fn set_timers(&mut self, request: &CtxSetTimers) -> KernelResult<()>;
    fn dump(&mut self) -> KernelResult<Vec<Context>>;
    fn set_peer_policy(&mut self, peer: Ipv6Addr, policy: TriggerPolicy) -> KernelResult<()>;
}

/// The module of the daemon's network namespace, over generic netlink.
pub struct GenlKernel {
    client: Client,
    events: EventSubscription,
}

impl GenlKernel {
    /// Connects and joins the events group; fails if the module is not
    /// loaded.
    pub fn connect() -> Result<Self, shim6_netlink::Error> {
        let client = Client::connect()?;
        let events = client.subscribe_events()?;
        Ok(GenlKernel { client, events })
    }

    /// The next event already received, if any. Lost events (overrun) are
    /// reported as an error; the subscription stays usable.
    pub fn next_event(&mut self) -> Result<Option<Event>, shim6_netlink::Error> {
        self.events.try_next_event()
    }

    /// The descriptor that becomes readable when an event arrives.
    pub fn events_fd(&self) -> BorrowedFd<'_> {
        self.events.as_fd()
    }
}

impl KernelContexts for GenlKernel {
    fn add(&mut self, request: &CtxAdd) -> KernelResult<()> {
        self.client
            .ctx_add(request)
            .map_err(KernelError::of("ctx-add"))
    }

    fn delete(&mut self, local_tag: u64) -> KernelResult<()> {
        self.client
            .ctx_del(local_tag)
            .map_err(KernelError::of("ctx-del"))
    }

    fn update(&mut self, request: &CtxUpdate) -> KernelResult<()> {
        self.client
            .ctx_update(request)
            .map_err(KernelError::of("ctx-update"))
    }

    fn set_path(&mut self, local_tag: u64, local: Ipv6Addr, peer: Ipv6Addr) -> KernelResult<()> {
        self.client
            .ctx_set_path(local_tag, local, peer)
            .map_err(KernelError::of("ctx-set-path"))
    }

    fn set_timers(&mut self, request: &CtxSetTimers) -> KernelResult<()> {
        self.client
            .ctx_set_timers(request)
            .map_err(KernelError::of("ctx-set-timers"))
    }

    fn dump(&mut self) -> KernelResult<Vec<Context>> {
        self.client
            .ctx_dump()
            .map_err(KernelError::of("ctx-get dump"))
    }

    fn set_peer_policy(&mut self, peer: Ipv6Addr, policy: TriggerPolicy) -> KernelResult<()> {
        self.client
            .set_peer_policy(peer, policy)
            .map_err(KernelError::of("set-peer-policy"))
    }
}
