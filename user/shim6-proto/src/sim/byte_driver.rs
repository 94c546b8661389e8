//! Drive two hosts from an arbitrary byte string: the shared harness of the
//! fuzz target and the property tests. Every byte sequence must run without
//! a panic; that is the property checked.

use core::net::Ipv6Addr;
use core::time::Duration;

use super::{locator, SimHost};
use crate::context::{AcceptAllVerifier, ContextState, Host, HostConfig};
use crate::random::SeededRandom;
use crate::reap::ReapState;
use crate::wire::{
    ContextTag, Keepalive, Message, Options, Probe, ProbeReport, R1bis, UpdateAck, UpdateRequest,
    I1, I2, I2bis, R1, R2,
};

struct Cursor<'a> {
    data: &'a [u8],
}

impl Cursor<'_> {
    fn byte(&mut self) -> Option<u8> {
        let (&first, rest) = self.data.split_first()?;
        self.data = rest;
        Some(first)
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes([self.byte()?, self.byte()?, self.byte()?, self.byte()?]))
    }

    fn bytes(&mut self, len: usize) -> &[u8] {
        let len = len.min(self.data.len());
        let (head, rest) = self.data.split_at(len);
        self.data = rest;
        head
    }
}

fn address(selector: u8) -> Ipv6Addr {
    locator(usize::from(selector & 1), usize::from((selector >> 1) % 3))
}

/// A tag that sometimes matches a real context, so deep paths are reached.
fn tag(hosts: &[SimHost; 2], selector: u8) -> ContextTag {
    let known: Vec<ContextTag> = hosts
        .iter()
        .flat_map(|host| host.contexts().flat_map(|ctx| [Some(ctx.local_tag()), ctx.peer_tag()]))
        .flatten()
        .collect();
    match known.get(usize::from(selector) % (known.len() + 1)) {
        Some(tag) => *tag,
        None => ContextTag::from_masked(u64::from(selector)),
    }
}

fn synthesized(hosts: &[SimHost; 2], input: &mut Cursor<'_>) -> Option<Message> {
    let kind = input.byte()?;
    let tag = tag(hosts, input.byte()?);
    let nonce = input.u32()?;
    let other = input.u32()?;
    let options = Options {
        responder_validator: (kind & 0x80 != 0).then(|| input.bytes(20).to_vec()),
        ..Options::default()
    };
    let report = ProbeReport { src: address(input.byte()?), dst: address(input.byte()?), nonce, data: 0 };
    let state = match other % 3 {
        0 => ReapState::Operational,
        1 => ReapState::Exploring,
        _ => ReapState::InboundOk,
    };
    Some(match kind % 10 {
        0 => Message::I1(I1 { initiator_tag: tag, initiator_nonce: nonce, options }),
        1 => Message::R1(R1 { initiator_nonce: nonce, responder_nonce: other, options }),
        2 => Message::I2(I2 { initiator_tag: tag, initiator_nonce: nonce, responder_nonce: other, options }),
        3 => Message::R2(R2 { responder_tag: tag, initiator_nonce: nonce, options }),
        4 => Message::R1bis(R1bis { packet_tag: tag, responder_nonce: nonce, options }),
        5 => Message::I2bis(I2bis {
            initiator_tag: tag,
            initiator_nonce: nonce,
            responder_nonce: other,
            packet_tag: tag,
            options,
        }),
        6 => Message::UpdateRequest(UpdateRequest { receiver_tag: tag, request_nonce: nonce, options }),
        7 => Message::UpdateAck(UpdateAck { receiver_tag: tag, request_nonce: nonce, options }),
        8 => Message::Keepalive(Keepalive { receiver_tag: tag, options }),
        _ => Message::Probe(Probe {
            receiver_tag: tag,
            state,
            sent: vec![report],
            received: vec![report; usize::from(kind % 3)],
            options,
        }),
    })
}

/// Interpret `data` as a sequence of operations on two connected hosts
/// (A, B). Outputs of each host are delivered to the other unless a bit of
/// the input drops them. Returns how many contexts ended ESTABLISHED.
pub fn drive_hosts(data: &[u8]) -> usize {
    let make = |peer: usize, seed: u64| -> SimHost {
        let locators = (0..3).map(|i| locator(peer, i)).collect();
        Host::new(HostConfig::new(locators), AcceptAllVerifier, SeededRandom::new(seed), Duration::ZERO)
    };
    let mut hosts = [make(0, 1), make(1, 2)];
    let mut now = Duration::ZERO;
    let mut input = Cursor { data };
    while let Some(op) = input.byte() {
        let target = usize::from(op >> 7);
        match op % 9 {
            0 => {
                let (local, peer) = (input.byte().unwrap_or(0), input.byte().unwrap_or(0));
                let _ = hosts[target].start_context(now, address(local), address(peer));
            }
            1 => {
                let len = usize::from(input.byte().unwrap_or(0));
                if let Ok(message) = Message::parse(input.bytes(len)) {
                    let (src, dst) = (address(input.byte().unwrap_or(0)), address(input.byte().unwrap_or(1)));
                    hosts[target].handle_message(now, src, dst, message);
                }
            }
            2 => {
                if let Some(message) = synthesized(&hosts, &mut input) {
                    let (src, dst) = (address(input.byte().unwrap_or(0)), address(input.byte().unwrap_or(1)));
                    hosts[target].handle_message(now, src, dst, message);
                }
            }
            3 => {
                let tag = tag(&hosts, input.byte().unwrap_or(0));
                let (src, dst) = (address(input.byte().unwrap_or(0)), address(input.byte().unwrap_or(1)));
                let _ = hosts[target].handle_payload(now, src, dst, tag);
            }
            4 => {
                now += Duration::from_millis(u64::from(input.byte().unwrap_or(0)) * 250);
                for host in hosts.iter_mut() {
                    host.handle_timeout(now);
                }
            }
            5 => {
                let mask = input.byte().unwrap_or(0);
                let locators = (0..3).filter(|i| mask & (1 << i) != 0).map(|i| locator(target, i)).collect();
                hosts[target].set_local_locators(now, locators);
            }
            6 => {
                let tag = tag(&hosts, input.byte().unwrap_or(0));
                hosts[target].handle_path_failure_hint(now, tag);
                hosts[target].handle_payload_sent(now, tag);
            }
            7 => {
                let (src, dst) = (address(input.byte().unwrap_or(0)), address(input.byte().unwrap_or(1)));
                hosts[target].handle_icmp_no_shim6(now, src, dst);
                if input.byte().is_some_and(|b| b & 1 == 1) {
                    hosts[target].rotate_validator_secret(now);
                }
            }
            _ => {
                // Deliver pending outputs, each dropped when its bit is set.
                let drops = input.byte().unwrap_or(0);
                for from in 0..2 {
                    let mut index = 0;
                    while let Some(transmit) = hosts[from].poll_transmit() {
                        index += 1;
                        if drops & (1 << (index % 8)) != 0 {
                            continue;
                        }
                        // Through the codec, as on a real network.
                        let Ok(bytes) = transmit.message.to_bytes() else { continue };
                        if let Ok(message) = Message::parse(&bytes) {
                            hosts[1 - from].handle_message(now, transmit.src, transmit.dst, message);
                        }
                    }
                    while hosts[from].poll_event().is_some() {}
                }
            }
        }
    }
    hosts
        .iter()
        .flat_map(|host| host.contexts())
        .filter(|ctx| ctx.state() == ContextState::Established)
        .count()
}
