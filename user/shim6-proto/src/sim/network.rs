//! The simulated network: one unidirectional link per (source locator,
//! destination locator), each of which can be cut or delayed.

use std::collections::HashMap;

use core::net::Ipv6Addr;
use core::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LinkState {
    pub up: bool,
    pub delay: Duration,
    /// Drop this many of the next packets, then behave as `up` says.
    pub drop_next: u32,
}

#[derive(Debug, Clone)]
pub struct Network {
    default_delay: Duration,
    links: HashMap<(Ipv6Addr, Ipv6Addr), LinkState>,
}

impl Network {
    pub fn new(default_delay: Duration) -> Self {
        Network { default_delay, links: HashMap::new() }
    }

    pub fn link(&self, src: Ipv6Addr, dst: Ipv6Addr) -> LinkState {
        self.links.get(&(src, dst)).copied().unwrap_or(LinkState {
            up: true,
            delay: self.default_delay,
            drop_next: 0,
        })
    }

    pub fn set_link(&mut self, src: Ipv6Addr, dst: Ipv6Addr, state: LinkState) {
        self.links.insert((src, dst), state);
    }

    pub fn set_up(&mut self, src: Ipv6Addr, dst: Ipv6Addr, up: bool) {
        let mut state = self.link(src, dst);
        state.up = up;
        self.set_link(src, dst, state);
    }

    pub fn set_delay(&mut self, src: Ipv6Addr, dst: Ipv6Addr, delay: Duration) {
        let mut state = self.link(src, dst);
        state.delay = delay;
        self.set_link(src, dst, state);
    }

    pub fn drop_next(&mut self, src: Ipv6Addr, dst: Ipv6Addr, count: u32) {
        let mut state = self.link(src, dst);
        state.drop_next = count;
        self.set_link(src, dst, state);
    }

    /// Decide the fate of one packet: `Some(delay)` if it gets through.
    pub fn admit(&mut self, src: Ipv6Addr, dst: Ipv6Addr) -> Option<Duration> {
        let mut state = self.link(src, dst);
        if state.drop_next > 0 {
            state.drop_next -= 1;
            self.set_link(src, dst, state);
            return None;
        }
        state.up.then_some(state.delay)
    }
}
