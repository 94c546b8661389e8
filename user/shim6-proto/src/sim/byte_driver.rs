//! Drive two hosts from an arbitrary byte string: the shared harness of the
//! fuzz target and the property tests. Every byte sequence must run without
//! a panic; under attack (an off-path third party's addresses, bad
//! addresses, ULID Pair options and Locator Lists in the messages, and a
//! verifier that knows who owns what), no step may break the oracle's
//! invariants either.

use core::net::Ipv6Addr;
use core::time::Duration;

use super::{locator, OwnershipVerifier, RefuseAllVerifier};
use crate::context::{
    is_global_unicast, AcceptAllVerifier, Context, ContextState, Host, HostConfig, LocatorVerifier,
};
use crate::random::SeededRandom;
use crate::reap::ReapState;
use crate::wire::{
    ContextTag, I2bis, Keepalive, Locator, LocatorList, Message, Options, Probe, ProbeReport,
    R1bis, UlidPair, UpdateAck, UpdateRequest, VerificationMethod, I1, I2, R1, R2,
};

/// Addresses of the off-path attacker (which it owns) and of a third party
/// it would like to flood.
const ATTACKER: [Ipv6Addr; 2] = [
    Ipv6Addr::new(0x2001, 0xdb8, 0x666, 0, 0, 0, 0, 0x66),
    Ipv6Addr::new(0x2001, 0xdb8, 0x666, 0, 0, 0, 0, 0x67),
];
const THIRD_PARTY: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0x777, 0, 0, 0, 0, 0x77);
/// Addresses no Shim6 message may carry (RFC 5533 §12.3).
const BAD: [Ipv6Addr; 4] = [
    Ipv6Addr::LOCALHOST,
    Ipv6Addr::UNSPECIFIED,
    Ipv6Addr::new(0xff02, 0, 0, 0, 0, 0, 0, 1),
    Ipv6Addr::new(0xfe80, 0, 0, 0, 0, 0, 0, 1),
];

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
        Some(u32::from_be_bytes([
            self.byte()?,
            self.byte()?,
            self.byte()?,
            self.byte()?,
        ]))
    }

    fn bytes(&mut self, len: usize) -> &[u8] {
        let len = len.min(self.data.len());
        let (head, rest) = self.data.split_at(len);
        self.data = rest;
        head
    }
}

/// One of the hosts' six locators, or (selector ≥ 0xf0) an attacker's, a
/// third party's or a bad address.
fn address(selector: u8) -> Ipv6Addr {
    match selector {
        0xf0..=0xf1 => ATTACKER[usize::from(selector & 1)],
        0xf2 => THIRD_PARTY,
        0xf3..=0xf6 => BAD[usize::from(selector - 0xf3)],
        _ => locator(usize::from(selector & 1), usize::from((selector >> 1) % 3)),
    }
}

/// Who owns which address: the two hosts their three locators each, the
/// attacker its two.
fn owners() -> Vec<Vec<Ipv6Addr>> {
    let mut owners: Vec<Vec<Ipv6Addr>> = (0..2)
        .map(|peer| (0..3).map(|i| locator(peer, i)).collect())
        .collect();
    owners.push(ATTACKER.to_vec());
    owners
}

/// Who owns `address`: host 0 or 1, 2 for the attacker, none for the rest.
fn owner_of(address: Ipv6Addr) -> Option<usize> {
    if ATTACKER.contains(&address) {
        return Some(2);
    }
    (0..2).find(|&peer| (0..3).any(|i| locator(peer, i) == address))
}

/// Whether the peer with `ulid` can prove `address` under `trust`: its
/// ULID always, and with ownership every address of the same owner. The
/// oracle runs on every step: no allocation here.
fn provable(trust: Trust, ulid: Ipv6Addr, address: Ipv6Addr) -> bool {
    match trust {
        Trust::Everything => true,
        Trust::Nothing => address == ulid,
        Trust::Ownership => {
            address == ulid || owner_of(address).is_some_and(|owner| owner_of(ulid) == Some(owner))
        }
    }
}

/// A tag that sometimes matches a real context, so deep paths are reached.
fn tag<V: LocatorVerifier>(hosts: &[Host<V, SeededRandom>; 2], selector: u8) -> ContextTag {
    let known: Vec<ContextTag> = hosts
        .iter()
        .flat_map(|host| {
            host.contexts()
                .flat_map(|ctx| [Some(ctx.local_tag()), ctx.peer_tag()])
        })
        .flatten()
        .collect();
    match known.get(usize::from(selector) % (known.len() + 1)) {
        Some(tag) => *tag,
        None => ContextTag::from_masked(u64::from(selector)),
    }
}

fn synthesized<V: LocatorVerifier>(
    hosts: &[Host<V, SeededRandom>; 2],
    input: &mut Cursor<'_>,
) -> Option<Message> {
    let kind = input.byte()?;
    let tag = tag(hosts, input.byte()?);
    let nonce = input.u32()?;
    let other = input.u32()?;
    let extras = input.byte()?;
    let mut options = Options {
        responder_validator: (kind & 0x80 != 0).then(|| input.bytes(20).to_vec()),
        ..Options::default()
    };
    if extras & 1 != 0 {
        options.ulid_pair = Some(UlidPair {
            sender: address(input.byte()?),
            receiver: address(input.byte()?),
        });
    }
    if extras & 2 != 0 {
        let count = usize::from(input.byte()? % 4);
        let locators = (0..count)
            .filter_map(|_| input.byte())
            .map(|selector| Locator {
                addr: address(selector),
                method: VerificationMethod::Cga,
            })
            .collect();
        options.locator_list = Some(LocatorList {
            generation: other,
            locators,
        });
    }
    let report = ProbeReport {
        src: address(input.byte()?),
        dst: address(input.byte()?),
        nonce,
        data: 0,
    };
    let state = match other % 3 {
        0 => ReapState::Operational,
        1 => ReapState::Exploring,
        _ => ReapState::InboundOk,
    };
    Some(match kind % 10 {
        0 => Message::I1(I1 {
            initiator_tag: tag,
            initiator_nonce: nonce,
            options,
        }),
        1 => Message::R1(R1 {
            initiator_nonce: nonce,
            responder_nonce: other,
            options,
        }),
        2 => Message::I2(I2 {
            initiator_tag: tag,
            initiator_nonce: nonce,
            responder_nonce: other,
            options,
        }),
        3 => Message::R2(R2 {
            responder_tag: tag,
            initiator_nonce: nonce,
            options,
        }),
        4 => Message::R1bis(R1bis {
            packet_tag: tag,
            responder_nonce: nonce,
            options,
        }),
        5 => Message::I2bis(I2bis {
            initiator_tag: tag,
            initiator_nonce: nonce,
            responder_nonce: other,
            packet_tag: tag,
            options,
        }),
        6 => Message::UpdateRequest(UpdateRequest {
            receiver_tag: tag,
            request_nonce: nonce,
            options,
        }),
        7 => Message::UpdateAck(UpdateAck {
            receiver_tag: tag,
            request_nonce: nonce,
            options,
        }),
        8 => Message::Keepalive(Keepalive {
            receiver_tag: tag,
            options,
        }),
        _ => Message::Probe(Probe {
            receiver_tag: tag,
            state,
            sent: vec![report],
            received: vec![report; usize::from(kind % 3)],
            options,
        }),
    })
}

/// What the hosts' verifier believes, and so what the oracle demands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// Every list verifies: only crashes are looked for.
    Everything,
    /// Lists verify exactly when their owner could prove them (CGA/HBA).
    Ownership,
    /// No list verifies: a peer is only ever its ULID.
    Nothing,
}

/// Interpret `data` as a sequence of operations on two connected hosts
/// (A, B). Outputs of each host are delivered to the other unless a bit of
/// the input drops them. Returns how many contexts ended ESTABLISHED.
pub fn drive_hosts(data: &[u8]) -> usize {
    let hosts = [
        make_host(0, 1, AcceptAllVerifier),
        make_host(1, 2, AcceptAllVerifier),
    ];
    drive(hosts, data, Trust::Everything).unwrap_or(0)
}

/// As [`drive_hosts`], with an off-path attacker in the messages and the
/// oracle checked after every step: no context of either host may name a
/// peer locator its peer could not prove (the ULID, or an address of the
/// same owner), a ULID that is not global unicast, or a local ULID that is
/// not the host's own. The first input byte picks a verifier that knows
/// ownership (even) or one that refuses every list (odd). `Err` describes
/// the first violation.
pub fn drive_hosts_under_attack(data: &[u8]) -> Result<usize, String> {
    let Some((&mode, rest)) = data.split_first() else {
        return Ok(0);
    };
    if mode & 1 == 0 {
        let hosts =
            [0, 1].map(|peer| make_host(peer, peer as u64 + 1, OwnershipVerifier::new(owners())));
        drive(hosts, rest, Trust::Ownership)
    } else {
        let hosts = [0, 1].map(|peer| make_host(peer, peer as u64 + 1, RefuseAllVerifier));
        drive(hosts, rest, Trust::Nothing)
    }
}

fn make_host<V: LocatorVerifier>(peer: usize, seed: u64, verifier: V) -> Host<V, SeededRandom> {
    let locators = (0..3).map(|i| locator(peer, i)).collect();
    Host::new(
        HostConfig::new(locators),
        verifier,
        SeededRandom::new(seed),
        Duration::ZERO,
    )
}

/// The oracle's invariants for one context of host `peer`.
fn check_context(peer: usize, ctx: &Context, trust: Trust) -> Result<(), String> {
    if !(0..3).any(|i| locator(peer, i) == ctx.local_ulid()) {
        return Err(format!(
            "host {peer} has a context for local ULID {} that is not its own",
            ctx.local_ulid()
        ));
    }
    if !is_global_unicast(ctx.peer_ulid()) {
        return Err(format!(
            "host {peer} has a context for peer ULID {}",
            ctx.peer_ulid()
        ));
    }
    let pair_peer = ctx.current_pair().peer;
    let unproved = ctx
        .peer_locators()
        .iter()
        .chain([&pair_peer])
        .find(|&&addr| !provable(trust, ctx.peer_ulid(), addr));
    match unproved {
        Some(addr) => Err(format!(
            "host {peer}: context {:?} ({} -> {}) holds peer locator {addr} its peer cannot prove (locators {:?}, pair {:?})",
            ctx.state(),
            ctx.local_ulid(),
            ctx.peer_ulid(),
            ctx.peer_locators(),
            ctx.current_pair()
        )),
        None => Ok(()),
    }
}

fn check_hosts<V: LocatorVerifier>(
    hosts: &[Host<V, SeededRandom>; 2],
    trust: Trust,
) -> Result<(), String> {
    for (peer, host) in hosts.iter().enumerate() {
        for ctx in host.contexts() {
            check_context(peer, ctx, trust)?;
        }
    }
    Ok(())
}

fn drive<V: LocatorVerifier>(
    mut hosts: [Host<V, SeededRandom>; 2],
    data: &[u8],
    trust: Trust,
) -> Result<usize, String> {
    let mut now = Duration::ZERO;
    let mut input = Cursor { data };
    while let Some(op) = input.byte() {
        check_hosts(&hosts, trust)?;
        let target = usize::from(op >> 7);
        match op % 9 {
            0 => {
                let (local, peer) = (input.byte().unwrap_or(0), input.byte().unwrap_or(0));
                // The local ULID is the host's own: the caller checks that.
                let local = locator(target, usize::from(local % 3));
                let _ = hosts[target].start_context(now, local, address(peer));
            }
            1 => {
                let len = usize::from(input.byte().unwrap_or(0));
                if let Ok(message) = Message::parse(input.bytes(len)) {
                    let (src, dst) = (
                        address(input.byte().unwrap_or(0)),
                        address(input.byte().unwrap_or(1)),
                    );
                    hosts[target].handle_message(now, src, dst, message);
                }
            }
            2 => {
                if let Some(message) = synthesized(&hosts, &mut input) {
                    let (src, dst) = (
                        address(input.byte().unwrap_or(0)),
                        address(input.byte().unwrap_or(1)),
                    );
                    hosts[target].handle_message(now, src, dst, message);
                }
            }
            3 => {
                let tag = tag(&hosts, input.byte().unwrap_or(0));
                let (src, dst) = (
                    address(input.byte().unwrap_or(0)),
                    address(input.byte().unwrap_or(1)),
                );
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
                let locators = (0..3)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| locator(target, i))
                    .collect();
                hosts[target].set_local_locators(now, locators);
            }
            6 => {
                let tag = tag(&hosts, input.byte().unwrap_or(0));
                hosts[target].handle_path_failure_hint(now, tag);
                hosts[target].handle_payload_sent(now, tag);
            }
            7 => {
                let (src, dst) = (
                    address(input.byte().unwrap_or(0)),
                    address(input.byte().unwrap_or(1)),
                );
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
                        let Ok(bytes) = transmit.message.to_bytes() else {
                            continue;
                        };
                        if let Ok(message) = Message::parse(&bytes) {
                            hosts[1 - from].handle_message(
                                now,
                                transmit.src,
                                transmit.dst,
                                message,
                            );
                        }
                    }
                    while hosts[from].poll_event().is_some() {}
                }
            }
        }
    }
    check_hosts(&hosts, trust)?;
    Ok(hosts
        .iter()
        .flat_map(|host| host.contexts())
        .filter(|ctx| ctx.state() == ContextState::Established)
        .count())
}
