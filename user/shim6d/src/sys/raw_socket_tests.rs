//! The receive queue: large enough for a flood's bursts, and what it drops
//! when full is reported (SO_RXQ_OVFL). Runs in a network namespace of its
//! own, over its loopback; needs root (raw sockets, SO_RCVBUFFORCE).

use std::net::Ipv6Addr;
use std::process::Command;

use shim6_proto::wire::{ContextTag, Keepalive, Message, Options};

use super::*;

/// Runs `test` on a thread moved to a new network namespace with `lo` up.
fn in_fresh_netns(test: impl FnOnce() + Send) {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                // SAFETY: unshare(2) with a constant flag; it only changes
                // this thread's namespace, and the thread ends after `test`.
                let unshared = unsafe { libc::unshare(libc::CLONE_NEWNET) };
                assert_eq!(unshared, 0, "unshare(CLONE_NEWNET): run the tests as root");
                // A child forked from this thread starts in its namespace.
                let up = Command::new("ip")
                    .args(["link", "set", "lo", "up"])
                    .status();
                assert!(up.is_ok_and(|status| status.success()), "ip link set lo up");
                test();
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
}

fn keepalive(tag: u64) -> Vec<u8> {
    let message = Message::Keepalive(Keepalive {
        receiver_tag: ContextTag::new(tag).expect("a small tag"),
        options: Options::default(),
    });
    message.to_bytes().expect("a keepalive encodes")
}

/// Receives until the queue is empty: (messages, last SO_RXQ_OVFL count).
fn drain(socket: &RawShim6Socket) -> (usize, Option<u32>) {
    let mut buffer = [0u8; 2048];
    let (mut count, mut dropped) = (0, None);
    loop {
        match socket.receive(&mut buffer) {
            Ok(packet) => {
                count += 1;
                dropped = packet.queue_dropped.or(dropped);
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => return (count, dropped),
            Err(error) => panic!("receive: {error}"),
        }
    }
}

#[test]
fn the_queue_holds_a_burst_and_a_full_one_counts_its_drops() {
    in_fresh_netns(|| {
        const BURST: usize = 500;
        let roomy = RawShim6Socket::open().expect("raw socket");
        let granted = roomy
            .set_receive_buffer(RECEIVE_BUFFER_BYTES)
            .expect("SO_RCVBUFFORCE");
        assert!(granted >= RECEIVE_BUFFER_BYTES, "granted {granted} octets");
        let cramped = RawShim6Socket::open().expect("raw socket");
        cramped.set_receive_buffer(1).expect("SO_RCVBUF");

        let sender = RawShim6Socket::open().expect("raw socket");
        for tag in 1..=BURST as u64 {
            sender
                .send(Ipv6Addr::LOCALHOST, Ipv6Addr::LOCALHOST, &keepalive(tag))
                .expect("send");
        }
        // Every raw socket of protocol 140 gets a copy, the sender's too.
        let (held, none_dropped) = drain(&roomy);
        assert_eq!(
            (held, none_dropped),
            (BURST, None),
            "the large queue held the burst"
        );
        let (kept, _) = drain(&cramped);
        assert!(kept < BURST, "a minimal queue kept all {kept}");
        // The count rides on packets queued after the drops: the next one.
        sender
            .send(Ipv6Addr::LOCALHOST, Ipv6Addr::LOCALHOST, &keepalive(1))
            .expect("send");
        let (next, dropped) = drain(&cramped);
        let dropped = dropped.expect("a full queue reports its drops") as usize;
        assert_eq!(
            (next, kept + dropped),
            (1, BURST),
            "kept {kept} + dropped {dropped}"
        );
    });
}
