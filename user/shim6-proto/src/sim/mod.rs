//! Deterministic two-peer simulator for tests: virtual time advanced in
//! fixed steps, three locators per peer, per-direction per-pair loss and
//! delay. Control messages really go through the wire codec.

mod byte_driver;
mod network;
mod ownership;

pub use byte_driver::{drive_hosts, drive_hosts_under_attack};
pub use network::{LinkState, Network};
pub use ownership::{OwnershipVerifier, RefuseAllVerifier};

use core::net::Ipv6Addr;
use core::time::Duration;

use crate::context::{AcceptAllVerifier, Host, HostConfig, HostEvent};
use crate::random::SeededRandom;
use crate::wire::{ContextTag, Message};

pub type SimHost = Host<AcceptAllVerifier, SeededRandom>;

/// What travels between the peers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimPacket {
    /// Encoded Shim6 control message.
    Control(Vec<u8>),
    /// ULP payload carrying a Shim6 payload header with this tag.
    Payload(ContextTag),
}

/// One transmission attempt, for assertions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentRecord {
    pub at: Duration,
    pub from_peer: usize,
    pub src: Ipv6Addr,
    pub dst: Ipv6Addr,
    /// Shim6 message type, or `None` for payload.
    pub msg_type: Option<u8>,
    pub delivered: bool,
}

#[derive(Debug, Clone)]
struct InFlight {
    deliver_at: Duration,
    sequence: u64,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    packet: SimPacket,
}

pub struct SimPeer {
    pub host: SimHost,
    pub locators: Vec<Ipv6Addr>,
    /// Send payload this often on every established context.
    pub payload_interval: Option<Duration>,
    next_payload_at: Duration,
    pub payload_received: Vec<(Duration, Ipv6Addr, Ipv6Addr)>,
    pub events: Vec<(Duration, HostEvent)>,
}

pub struct Simulation {
    pub now: Duration,
    pub step: Duration,
    pub peers: [SimPeer; 2],
    pub network: Network,
    pub log: Vec<SentRecord>,
    /// Messages the codec refused to encode or decode (should stay empty).
    pub codec_failures: Vec<String>,
    in_flight: Vec<InFlight>,
    sequence: u64,
}

/// Locator `index` (0-based) of peer `peer` (0 = A, 1 = B).
pub fn locator(peer: usize, index: usize) -> Ipv6Addr {
    let peer_part = if peer == 0 { 0xa } else { 0xb };
    Ipv6Addr::new(0x2001, 0xdb8, peer_part, index as u16 + 1, 0, 0, 0, 1)
}

impl Simulation {
    /// Two peers with three locators each; every link up with `delay`.
    pub fn new(seed: u64, delay: Duration) -> Self {
        Self::with_configs(seed, delay, |_| {})
    }

    /// As [`new`](Self::new), letting the caller adjust each host's config.
    pub fn with_configs(seed: u64, delay: Duration, mut adjust: impl FnMut(&mut HostConfig)) -> Self {
        let make_peer = |index: usize, adjust: &mut dyn FnMut(&mut HostConfig)| {
            let locators: Vec<Ipv6Addr> = (0..3).map(|i| locator(index, i)).collect();
            let mut config = HostConfig::new(locators.clone());
            adjust(&mut config);
            let rng = SeededRandom::new(seed.wrapping_mul(31).wrapping_add(index as u64));
            SimPeer {
                host: Host::new(config, AcceptAllVerifier, rng, Duration::ZERO),
                locators,
                payload_interval: None,
                next_payload_at: Duration::ZERO,
                payload_received: Vec::new(),
                events: Vec::new(),
            }
        };
        Simulation {
            now: Duration::ZERO,
            step: Duration::from_millis(10),
            peers: [make_peer(0, &mut adjust), make_peer(1, &mut adjust)],
            network: Network::new(delay),
            log: Vec::new(),
            codec_failures: Vec::new(),
            in_flight: Vec::new(),
            sequence: 0,
        }
    }

    pub fn run_for(&mut self, duration: Duration) {
        let end = self.now.saturating_add(duration);
        while self.now < end {
            self.step_once();
        }
    }

    /// Run until `done` holds (checked after every step) or `limit` passes.
    pub fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&Simulation) -> bool) -> bool {
        let end = self.now.saturating_add(limit);
        while self.now < end {
            self.step_once();
            if done(self) {
                return true;
            }
        }
        false
    }

    pub fn step_once(&mut self) {
        self.now = self.now.saturating_add(self.step);
        self.deliver_due();
        for index in 0..2 {
            let now = self.now;
            self.peers[index].host.handle_timeout(now);
            self.send_payload(index);
            self.flush(index);
        }
    }

    /// Queue host outputs (control messages) onto the network.
    pub fn flush(&mut self, index: usize) {
        while let Some(transmit) = self.peers[index].host.poll_transmit() {
            match transmit.message.to_bytes() {
                Ok(bytes) => {
                    let msg_type = transmit.message.msg_type();
                    self.launch(index, transmit.src, transmit.dst, SimPacket::Control(bytes), Some(msg_type));
                }
                Err(error) => self.codec_failures.push(format!("encode {:?}: {error:?}", transmit.message)),
            }
        }
        while let Some(event) = self.peers[index].host.poll_event() {
            self.peers[index].events.push((self.now, event));
        }
    }

    fn send_payload(&mut self, index: usize) {
        let Some(interval) = self.peers[index].payload_interval else { return };
        if self.now < self.peers[index].next_payload_at {
            return;
        }
        self.peers[index].next_payload_at = self.now.saturating_add(interval);
        let ready: Vec<(ContextTag, ContextTag, Ipv6Addr, Ipv6Addr)> = self.peers[index]
            .host
            .contexts()
            .filter(|ctx| ctx.state().has_peer_state())
            .filter_map(|ctx| {
                let pair = ctx.current_pair();
                ctx.peer_tag().map(|peer_tag| (ctx.local_tag(), peer_tag, pair.local, pair.peer))
            })
            .collect();
        for (local_tag, peer_tag, src, dst) in ready {
            self.peers[index].host.handle_payload_sent(self.now, local_tag);
            self.launch(index, src, dst, SimPacket::Payload(peer_tag), None);
        }
    }

    fn launch(&mut self, from_peer: usize, src: Ipv6Addr, dst: Ipv6Addr, packet: SimPacket, msg_type: Option<u8>) {
        let admitted = self.network.admit(src, dst);
        self.log.push(SentRecord { at: self.now, from_peer, src, dst, msg_type, delivered: admitted.is_some() });
        if let Some(delay) = admitted {
            self.sequence += 1;
            self.in_flight.push(InFlight {
                deliver_at: self.now.saturating_add(delay),
                sequence: self.sequence,
                src,
                dst,
                packet,
            });
        }
    }

    fn deliver_due(&mut self) {
        let now = self.now;
        let mut due: Vec<InFlight> = Vec::new();
        self.in_flight.retain(|packet| {
            if packet.deliver_at <= now {
                due.push(packet.clone());
                false
            } else {
                true
            }
        });
        due.sort_by_key(|packet| (packet.deliver_at, packet.sequence));
        for packet in due {
            let Some(index) = self.peers.iter().position(|peer| peer.locators.contains(&packet.dst)) else {
                continue;
            };
            match packet.packet {
                SimPacket::Control(bytes) => match Message::parse(&bytes) {
                    Ok(message) => self.peers[index].host.handle_message(now, packet.src, packet.dst, message),
                    Err(error) => self.codec_failures.push(format!("decode: {error:?}")),
                },
                SimPacket::Payload(tag) => {
                    if self.peers[index].host.handle_payload(now, packet.src, packet.dst, tag).is_some() {
                        self.peers[index].payload_received.push((now, packet.src, packet.dst));
                    }
                }
            }
            self.flush(index);
        }
    }

    /// Transmissions of one message type by one peer.
    pub fn sent_of_type(&self, from_peer: usize, msg_type: u8) -> usize {
        self.log.iter().filter(|record| record.from_peer == from_peer && record.msg_type == Some(msg_type)).count()
    }
}
