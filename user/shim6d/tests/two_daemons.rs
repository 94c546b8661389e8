//! Two daemons in two network namespaces joined by a veth pair, each side
//! with two IPv6 prefixes: one connects to the other over the control
//! socket; both must reach ESTABLISHED with matching tags after verifying
//! each other's CGA-signed Locator Lists. Then a forged I2 with a bad
//! signature and malformed packets are sent from a raw socket and must be
//! refused and counted. Needs root and `ip` (iproute2); fails if missing.

use std::fs::{self, File};
use std::os::fd::AsFd;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use shim6_proto::wire::{
    error_code, ContextTag, Keepalive, Locator, LocatorList, Message, Options, PayloadRepr,
    VerificationMethod, I1, I2,
};
use shim6d::control::client::ControlClient;
use shim6d::control::protocol::{ContextInfo, IdentityInfo, Reply, Request, TimerChanges};
use shim6d::hex;
use shim6d::stats::Stats;
use shim6d::sys::netns::raw_shim6_socket_in;
use shim6d::sys::poll::{poll, PollEntry, POLLIN};
use shim6d::sys::raw_socket::RawShim6Socket;

#[path = "support/host_tools.rs"]
mod host_tools;
use host_tools::{ip, require_root_and_ip};

const WAIT: Duration = Duration::from_secs(30);

/// Deletes the namespaces (and with them the veth pair) however the test ends.
struct Namespaces {
    names: Vec<String>,
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        for name in &self.names {
            let _ = Command::new("ip").args(["netns", "del", name]).status();
        }
    }
}

/// A shim6d process, killed on drop; its log is printed if the test failed.
struct DaemonProcess {
    child: Child,
    log: PathBuf,
    control: PathBuf,
    name: &'static str,
}

impl Drop for DaemonProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if thread::panicking() {
            let log = fs::read_to_string(&self.log).unwrap_or_default();
            eprintln!("---- shim6d {} log ----\n{log}", self.name);
        }
    }
}

impl DaemonProcess {
    fn client(&self) -> ControlClient {
        let client = ControlClient::connect(&self.control).expect("connect to the control socket");
        client.set_timeout(Some(Duration::from_secs(10))).unwrap();
        client
    }

    fn request(&self, request: &Request) -> Reply {
        self.client()
            .request(request)
            .unwrap_or_else(|error| panic!("{} {request:?}: {error}", self.name))
    }

    fn contexts(&self) -> Vec<ContextInfo> {
        match self.request(&Request::List) {
            Reply::Contexts { contexts } => contexts,
            other => panic!("list: {other:?}"),
        }
    }

    fn stats(&self) -> Stats {
        match self.request(&Request::Stats) {
            Reply::Stats { stats } => stats,
            other => panic!("stats: {other:?}"),
        }
    }

    /// Waits for the control socket and the generated addresses.
    fn wait_ready(&mut self) -> IdentityInfo {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                panic!("shim6d {} exited early: {status}", self.name);
            }
            let identity = ControlClient::connect(&self.control)
                .ok()
                .and_then(|mut client| client.request(&Request::Identity).ok());
            if let Some(Reply::Identity { identity }) = identity {
                assert!(
                    identity.error.is_none(),
                    "{}: {:?}",
                    self.name,
                    identity.error
                );
                if identity.ready {
                    return identity;
                }
            }
            assert!(
                Instant::now() < deadline,
                "shim6d {} not ready in time",
                self.name
            );
            thread::sleep(Duration::from_millis(100));
        }
    }
}

fn wait_until<T>(what: &str, mut probe: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + WAIT;
    loop {
        if let Some(value) = probe() {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        thread::sleep(Duration::from_millis(100));
    }
}

/// `addresses` is the body of the `[addresses]` table.
fn start_daemon(name: &'static str, netns: &str, dir: &Path, addresses: &str) -> DaemonProcess {
    let home = dir.join(name);
    fs::create_dir_all(&home).unwrap();
    let control = home.join("ctl.sock");
    let config = format!(
        "state_dir = {state:?}\ncontrol_socket = {control:?}\nlog_level = \"debug\"\n\
         [addresses]\n{addresses}\n",
        state = home.join("state").display().to_string(),
        control = control.display().to_string(),
    );
    let config_path = home.join("shim6d.toml");
    fs::write(&config_path, config).unwrap();
    let log = home.join("shim6d.log");
    let child = Command::new("ip")
        .args([
            "netns",
            "exec",
            netns,
            env!("CARGO_BIN_EXE_shim6d"),
            "--config",
        ])
        .arg(&config_path)
        .stdin(Stdio::null())
        .stdout(File::create(&log).unwrap())
        .stderr(File::create(&log).unwrap())
        .spawn()
        .expect("start shim6d");
    DaemonProcess {
        child,
        log,
        control,
        name,
    }
}

/// The veth end of side `side` ('a' or 'b') in the namespaces of `label`.
fn link_name(label: char, side: char) -> String {
    format!("s6{label}{side}{}", std::process::id())
}

/// `label` (one letter) keeps the tests of one run apart; the pid keeps
/// parallel runs apart. Interface names stay within 15 characters.
fn setup_namespaces(label: char) -> (Namespaces, String, String) {
    let pid = std::process::id();
    let (a, b) = (
        format!("shim6d-{label}a-{pid}"),
        format!("shim6d-{label}b-{pid}"),
    );
    let (link_a, link_b) = (link_name(label, 'a'), link_name(label, 'b'));
    let guard = Namespaces {
        names: vec![a.clone(), b.clone()],
    };
    ip(&["netns", "add", &a]);
    ip(&["netns", "add", &b]);
    ip(&[
        "link", "add", &link_a, "netns", &a, "type", "veth", "peer", "name", &link_b, "netns", &b,
    ]);
    for (ns, link, prefixes) in [
        (&a, &link_a, ["2001:db8:a1::1/64", "2001:db8:a2::1/64"]),
        (&b, &link_b, ["2001:db8:b1::1/64", "2001:db8:b2::1/64"]),
    ] {
        ip(&["-n", ns, "link", "set", "lo", "up"]);
        ip(&["-n", ns, "link", "set", link, "up"]);
        for prefix in prefixes {
            ip(&["-n", ns, "addr", "add", prefix, "dev", link, "nodad"]);
        }
        // Every documentation prefix is on the link: no router needed.
        ip(&["-n", ns, "-6", "route", "add", "2001:db8::/32", "dev", link]);
    }
    (guard, a, b)
}

/// Receives control messages on `socket` until `want` accepts one.
fn receive_until<T>(
    socket: &RawShim6Socket,
    what: &str,
    mut want: impl FnMut(Message) -> Option<T>,
) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    let mut buffer = vec![0u8; 2048];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        assert!(!left.is_zero(), "no {what} received");
        let mut entries = [PollEntry::new(socket.as_fd(), POLLIN)];
        poll(&mut entries, Some(left)).unwrap();
        while let Ok(packet) = socket.receive(&mut buffer) {
            if let Ok(message) = Message::parse(&buffer[..packet.len]) {
                if let Some(found) = want(message) {
                    return found;
                }
            }
        }
    }
}

#[test]
fn two_daemons_establish_verify_cga_and_refuse_forgeries() {
    require_root_and_ip();
    let (_namespaces, netns_a, netns_b) = setup_namespaces('c');
    let dir = tempfile::tempdir().unwrap();
    // A discovers its prefixes, B lists them: both configuration paths run.
    let mut daemon_a = start_daemon(
        "a",
        &netns_a,
        dir.path(),
        "rsa_bits = 1024\nlocators = \"auto\"",
    );
    let mut daemon_b = start_daemon(
        "b",
        &netns_b,
        dir.path(),
        "rsa_bits = 1024\nlocators = [\"2001:db8:b1::/64\", \"2001:db8:b2::/64\"]",
    );
    let identity_a = daemon_a.wait_ready();
    let identity_b = daemon_b.wait_ready();
    assert_eq!(
        daemon_b.stats().verification.signatures_made,
        1,
        "the Locator List is signed when the identity is ready, before any handshake"
    );
    assert_eq!(
        identity_a.addresses.len(),
        2,
        "one CGA per prefix: {identity_a:?}"
    );
    assert_eq!(
        identity_b.addresses.len(),
        2,
        "one CGA per prefix: {identity_b:?}"
    );
    for address in identity_a.addresses.iter().chain(&identity_b.addresses) {
        let params = hex::decode(&address.params).expect("hex params");
        shim6_cga::verify_cga(address.address, &params).expect("our addresses are CGAs of our key");
    }
    let key_mode = std::os::unix::fs::PermissionsExt::mode(
        &fs::metadata(dir.path().join("a/state/key.pem"))
            .expect("key generated at first start")
            .permissions(),
    );
    assert_eq!(key_mode & 0o777, 0o600);

    let ulid_a = identity_a.addresses[0].address;
    let ulid_b = identity_b.addresses[0].address;
    let tag = match daemon_a.request(&Request::Connect {
        peer: ulid_b,
        local: None,
    }) {
        Reply::Connecting { tag } => tag,
        other => panic!("connect: {other:?}"),
    };

    let (context_a, context_b) = wait_until("both sides ESTABLISHED", || {
        let a = daemon_a
            .contexts()
            .into_iter()
            .find(|ctx| ctx.local_tag == tag)?;
        let b = daemon_b
            .contexts()
            .into_iter()
            .find(|ctx| ctx.peer_ulid == ulid_a)?;
        (a.state == "ESTABLISHED" && b.state == "ESTABLISHED").then_some((a, b))
    });
    assert_eq!(
        context_a.peer_tag,
        Some(context_b.local_tag),
        "A sends with B's tag"
    );
    assert_eq!(
        context_b.peer_tag,
        Some(context_a.local_tag),
        "B sends with A's tag"
    );
    assert_eq!(
        (context_a.local_ulid, context_a.peer_ulid),
        (ulid_a, ulid_b)
    );
    assert_eq!(
        (context_b.local_ulid, context_b.peer_ulid),
        (ulid_b, ulid_a)
    );
    let mut peers_of_a: Vec<_> = context_a.peer_locators.clone();
    peers_of_a.sort();
    let mut addresses_b: Vec<_> = identity_b.addresses.iter().map(|a| a.address).collect();
    addresses_b.sort();
    assert_eq!(
        peers_of_a, addresses_b,
        "A learned B's whole verified Locator List"
    );
    assert_eq!(
        context_b.peer_locators.len(),
        2,
        "B learned A's Locator List"
    );
    match daemon_a.request(&Request::Show { tag }) {
        Reply::Context { context } => assert_eq!(context, daemon_a.contexts()[0]),
        other => panic!("show: {other:?}"),
    }

    let stats_a = daemon_a.stats();
    let stats_b = daemon_b.stats();
    assert!(
        stats_b.verification.cga_verified >= 1,
        "B verified A's I2: {stats_b:?}"
    );
    assert!(
        stats_a.verification.cga_verified >= 1,
        "A verified B's R2: {stats_a:?}"
    );
    assert_eq!(
        stats_a.verification.rejected_total() + stats_b.verification.rejected_total(),
        0
    );
    assert_eq!(
        stats_a.verification.signatures_made, 1,
        "one signature per locator set"
    );
    assert_eq!(
        stats_b.verification.signatures_made, 1,
        "one signature per locator set"
    );
    assert!(
        stats_b.verification.signatures_reused >= 1,
        "B's R2 used the signature made in advance: {stats_b:?}"
    );
    assert_eq!(stats_a.contexts_established, 1);
    assert_eq!(stats_b.contexts_established, 1);

    // ---- A loses an address, then gets it back: Update Requests ----
    let second_a = identity_a.addresses[1].address;
    let link_a = link_name('c', 'a');
    let second_a_prefix = format!("{second_a}/64");
    ip(&[
        "-n",
        &netns_a,
        "addr",
        "del",
        &second_a_prefix,
        "dev",
        &link_a,
    ]);
    wait_until("B to learn A's smaller Locator List", || {
        let b = daemon_b
            .contexts()
            .into_iter()
            .find(|ctx| ctx.peer_ulid == ulid_a)?;
        (b.peer_locators == vec![ulid_a]).then_some(())
    });
    ip(&[
        "-n",
        &netns_a,
        "addr",
        "add",
        &second_a_prefix,
        "dev",
        &link_a,
        "nodad",
    ]);
    wait_until("B to learn A's whole Locator List again", || {
        let b = daemon_b
            .contexts()
            .into_iter()
            .find(|ctx| ctx.peer_ulid == ulid_a)?;
        (b.peer_locators.len() == 2 && b.peer_locators.contains(&second_a)).then_some(())
    });
    let (stats_a, stats_b) = (daemon_a.stats(), daemon_b.stats());
    assert_eq!(stats_a.local_locator_changes, 2, "{stats_a:?}");
    assert_eq!(
        stats_b.verification.rejected_total(),
        0,
        "both new lists verified: {stats_b:?}"
    );
    assert!(
        daemon_a.contexts().iter().all(|ctx| !ctx.update_pending),
        "B acknowledged the updates"
    );

    // ---- a forged I2 from A's second address, with a bad signature ----
    let forger = raw_shim6_socket_in(&Path::new("/run/netns").join(&netns_a))
        .expect("raw socket in netns A");
    let forged_ulid = identity_a.addresses[1].address;
    let forged_params = hex::decode(&identity_a.addresses[1].params).unwrap();
    let forged_tag = ContextTag::new(0x1234_5678_9abc).unwrap();
    let nonce = 0x5eed_0001;
    let i1 = Message::I1(I1 {
        initiator_tag: forged_tag,
        initiator_nonce: nonce,
        options: Options::default(),
    });
    forger
        .send(forged_ulid, ulid_b, &i1.to_bytes().unwrap())
        .expect("send forged I1");
    let r1 = receive_until(&forger, "R1", |message| match message {
        Message::R1(r1) if r1.initiator_nonce == nonce => Some(r1),
        _ => None,
    });
    let locators = LocatorList {
        generation: 1,
        locators: identity_a
            .addresses
            .iter()
            .rev()
            .map(|address| Locator {
                addr: address.address,
                method: VerificationMethod::Cga,
            })
            .collect(),
    };
    let i2 = Message::I2(I2 {
        initiator_tag: forged_tag,
        initiator_nonce: nonce,
        responder_nonce: r1.responder_nonce,
        options: Options {
            responder_validator: r1.options.responder_validator.clone(),
            locator_list: Some(locators),
            cga_parameters: Some(forged_params),
            cga_signature: Some(vec![0x5a; 128]),
            ..Options::default()
        },
    });
    forger
        .send(forged_ulid, ulid_b, &i2.to_bytes().unwrap())
        .expect("send forged I2");
    let error = receive_until(
        &forger,
        "Error for the forged I2",
        |message| match message {
            Message::Error(error) => Some(error),
            _ => None,
        },
    );
    assert_eq!(error.code, error_code::LOCATOR_VERIFICATION_FAILED);
    let stats_b = daemon_b.stats();
    assert_eq!(
        stats_b.verification.rejected.get("bad_signature"),
        Some(&1),
        "{stats_b:?}"
    );
    assert!(
        daemon_b
            .contexts()
            .iter()
            .all(|ctx| ctx.peer_tag != Some(forged_tag.get())),
        "no context for the forger"
    );
    assert_eq!(daemon_b.contexts().len(), 1);

    // ---- a payload packet must never reach the daemon; garbage is counted ----
    let payload = PayloadRepr {
        next_header: 59,
        context_tag: ContextTag::new(context_b.local_tag).unwrap(),
    };
    forger
        .send(ulid_a, ulid_b, &payload.to_bytes())
        .expect("send payload header");
    let mut corrupt = i1.to_bytes().unwrap();
    corrupt[4] ^= 0xff; // checksum
    forger
        .send(ulid_a, ulid_b, &corrupt)
        .expect("send corrupt I1");
    let after = wait_until("the bad checksum to be counted", || {
        let stats = daemon_b.stats();
        stats
            .rx_malformed
            .contains_key("bad_checksum")
            .then_some(stats)
    });
    assert_eq!(after.rx_malformed.get("bad_checksum"), Some(&1));
    assert_eq!(
        after.rx_payload_ignored, 0,
        "the socket filter keeps P = 1 packets in the kernel"
    );
    assert_eq!(
        after.rx_malformed.values().sum::<u64>(),
        1,
        "the payload packet was never seen"
    );

    // ---- delete works and is local ----
    assert_eq!(
        daemon_a.request(&Request::Delete { tag }),
        Reply::Deleted { tag }
    );
    assert!(daemon_a.contexts().is_empty());
    match daemon_a.client().request(&Request::Show { tag }) {
        Err(error) => assert!(error.to_string().contains("no context"), "{error}"),
        Ok(reply) => panic!("deleted context still shown: {reply:?}"),
    }
}

#[test]
fn two_hba_daemons_establish_and_an_unanswered_i1_gives_up() {
    require_root_and_ip();
    let (_namespaces, netns_a, netns_b) = setup_namespaces('h');
    let dir = tempfile::tempdir().unwrap();
    let mut daemon_a = start_daemon("a", &netns_a, dir.path(), "method = \"hba\"");
    let mut daemon_b = start_daemon("b", &netns_b, dir.path(), "method = \"hba\"");
    let identity_a = daemon_a.wait_ready();
    let identity_b = daemon_b.wait_ready();
    assert_eq!(identity_a.method, "hba");
    for address in identity_a.addresses.iter().chain(&identity_b.addresses) {
        let params = hex::decode(&address.params).expect("hex params");
        shim6_cga::verify_hba_member(address.address, &params)
            .expect("our addresses form an HBA set");
    }
    assert!(
        !dir.path().join("a/state/key.pem").exists(),
        "pure HBA needs no key"
    );

    let ulid_b = identity_b.addresses[0].address;
    let tag = match daemon_a.request(&Request::Connect {
        peer: ulid_b,
        local: None,
    }) {
        Reply::Connecting { tag } => tag,
        other => panic!("connect: {other:?}"),
    };
    let context_a = wait_until("A ESTABLISHED", || {
        let a = daemon_a
            .contexts()
            .into_iter()
            .find(|ctx| ctx.local_tag == tag)?;
        (a.state == "ESTABLISHED").then_some(a)
    });
    let context_b = wait_until("B ESTABLISHED", || {
        let b = daemon_b.contexts().into_iter().next()?;
        (b.state == "ESTABLISHED").then_some(b)
    });
    assert_eq!(context_a.peer_tag, Some(context_b.local_tag));
    assert_eq!(context_b.peer_tag, Some(context_a.local_tag));
    let (stats_a, stats_b) = (daemon_a.stats(), daemon_b.stats());
    assert!(stats_a.verification.hba_verified >= 1, "{stats_a:?}");
    assert!(stats_b.verification.hba_verified >= 1, "{stats_b:?}");
    assert_eq!(
        stats_a.verification.signatures_made + stats_b.verification.signatures_made,
        0
    );

    // Timers: the Send Timeout and the daemon's own change at once; the
    // Keepalive Timeout is the peer's to announce.
    match daemon_a.request(&Request::SetTimers(TimerChanges {
        send_timeout_secs: Some(5),
        ..TimerChanges::default()
    })) {
        Reply::Timers { timers } => assert_eq!(timers.send_timeout_secs, 5),
        other => panic!("set-timers: {other:?}"),
    }
    match daemon_a.client().request(&Request::SetTimers(TimerChanges {
        keepalive_timeout_secs: Some(5),
        ..TimerChanges::default()
    })) {
        Err(error) => assert!(
            error.to_string().contains("keepalive_timeout_secs"),
            "{error}"
        ),
        Ok(reply) => panic!("keepalive timeout changed at runtime: {reply:?}"),
    }
    match daemon_a.client().request(&Request::SetTimers(TimerChanges {
        send_timeout_secs: Some(0),
        ..TimerChanges::default()
    })) {
        Err(error) => assert!(
            error.to_string().contains("timers.send_timeout_secs"),
            "{error}"
        ),
        Ok(reply) => panic!("a zero send timeout was accepted: {reply:?}"),
    }

    // A forced pair must be made of locators of the context.
    let (local_b2, peer_b2) = (
        identity_a.addresses[1].address,
        identity_b.addresses[1].address,
    );
    match daemon_a.request(&Request::SetPath {
        tag,
        local: local_b2,
        peer: peer_b2,
    }) {
        Reply::PathSet { local, peer, .. } => assert_eq!((local, peer), (local_b2, peer_b2)),
        other => panic!("set-path: {other:?}"),
    }
    match daemon_a.client().request(&Request::SetPath {
        tag,
        local: local_b2,
        peer: "2001:db8:b9::1".parse().unwrap(),
    }) {
        Err(error) => assert!(
            error.to_string().contains("not a locator of the peer"),
            "{error}"
        ),
        Ok(reply) => panic!("a foreign peer locator was accepted: {reply:?}"),
    }
    let timers = match daemon_a.request(&Request::SetTimers(TimerChanges {
        i1_retries: Some(0),
        ..TimerChanges::default()
    })) {
        Reply::Timers { timers } => timers,
        other => panic!("set-timers: {other:?}"),
    };
    assert_eq!(timers.i1_retries, 0);

    // Nobody has this address: with no retries the first I1 timeout ends it.
    let nobody: std::net::Ipv6Addr = "2001:db8:b1::dead".parse().unwrap();
    let lost = match daemon_a.request(&Request::Connect {
        peer: nobody,
        local: None,
    }) {
        Reply::Connecting { tag } => tag,
        other => panic!("connect: {other:?}"),
    };
    wait_until("the unanswered context to be dropped", || {
        daemon_a
            .contexts()
            .iter()
            .all(|ctx| ctx.local_tag != lost)
            .then_some(())
    });
    assert_eq!(daemon_a.stats().contexts_failed, 1);
    match daemon_a.client().request(&Request::Connect {
        peer: nobody,
        local: None,
    }) {
        Err(error) => assert!(error.to_string().contains("held down"), "{error}"),
        Ok(reply) => panic!("no hold-down after the failure: {reply:?}"),
    }
}

/// Counts the messages `want` accepts until none came for a second.
fn count_received(socket: &RawShim6Socket, mut want: impl FnMut(&Message) -> bool) -> u64 {
    let mut buffer = vec![0u8; 2048];
    let mut count = 0;
    loop {
        let mut entries = [PollEntry::new(socket.as_fd(), POLLIN)];
        poll(&mut entries, Some(Duration::from_secs(1))).unwrap();
        if !entries[0].readable() {
            return count;
        }
        while let Ok(packet) = socket.receive(&mut buffer) {
            if Message::parse(&buffer[..packet.len]).is_ok_and(|message| want(&message)) {
                count += 1;
            }
        }
    }
}

#[test]
fn rate_limits_stop_reflection_and_verification_floods() {
    require_root_and_ip();
    let (_namespaces, netns_a, netns_b) = setup_namespaces('r');
    let dir = tempfile::tempdir().unwrap();
    // Rates of one per second: the test's bursts take well under one.
    let mut daemon_b = start_daemon(
        "b",
        &netns_b,
        dir.path(),
        "rsa_bits = 1024\n[rate_limits]\nr1 = { per_second = 1, burst = 3 }\n\
         r1bis = { per_second = 1, burst = 2 }\nerror = { per_second = 1, burst = 1 }\n\
         verification = { per_second = 1, burst = 1 }",
    );
    let ulid_b = daemon_b.wait_ready().addresses[0].address;
    let attacker: std::net::Ipv6Addr = "2001:db8:a1::1".parse().unwrap();
    let socket = raw_shim6_socket_in(&Path::new("/run/netns").join(&netns_a))
        .expect("raw socket in netns A");

    // ---- an I1 flood: R1s up to the burst, the rest counted ----
    const I1S: u64 = 20;
    for nonce in 0..I1S {
        let i1 = Message::I1(I1 {
            initiator_tag: ContextTag::new(0x1000 + nonce).unwrap(),
            initiator_nonce: nonce as u32,
            options: Options::default(),
        });
        socket
            .send(attacker, ulid_b, &i1.to_bytes().unwrap())
            .unwrap();
    }
    let mut first_r1 = None;
    let r1s = count_received(&socket, |message| match message {
        Message::R1(r1) => {
            first_r1.get_or_insert(r1.clone());
            true
        }
        _ => false,
    });
    let stats = daemon_b.stats();
    assert!((3..=5).contains(&r1s), "burst 3 (+1/s): {r1s} R1s");
    assert_eq!(r1s + stats.rate_limited.r1, I1S, "{stats:?}");

    // ---- keepalives with unknown tags: R1bis up to the burst ----
    const KEEPALIVES: u64 = 10;
    for tag in 0..KEEPALIVES {
        let keepalive = Message::Keepalive(Keepalive {
            receiver_tag: ContextTag::new(0x2000 + tag).unwrap(),
            options: Options::default(),
        });
        socket
            .send(attacker, ulid_b, &keepalive.to_bytes().unwrap())
            .unwrap();
    }
    let r1bis = count_received(&socket, |message| matches!(message, Message::R1bis(_)));
    let stats = daemon_b.stats();
    assert!((2..=4).contains(&r1bis), "burst 2 (+1/s): {r1bis} R1bis");
    assert_eq!(r1bis + stats.rate_limited.r1bis, KEEPALIVES, "{stats:?}");

    // ---- I2s with a Locator List that does not verify, on one validator:
    // one real check, the others find no token; one Error goes back ----
    let r1 = first_r1.expect("an R1");
    const I2S: u64 = 3;
    for generation in 0..I2S {
        let i2 = Message::I2(I2 {
            initiator_tag: ContextTag::new(0x1000 + u64::from(r1.initiator_nonce)).unwrap(),
            initiator_nonce: r1.initiator_nonce,
            responder_nonce: r1.responder_nonce,
            options: Options {
                responder_validator: r1.options.responder_validator.clone(),
                locator_list: Some(LocatorList {
                    generation: generation as u32,
                    locators: vec![Locator {
                        addr: attacker,
                        method: VerificationMethod::Cga,
                    }],
                }),
                cga_parameters: Some(vec![0x5a; 64]),
                cga_signature: Some(vec![0x5a; 128]),
                ..Options::default()
            },
        });
        socket
            .send(attacker, ulid_b, &i2.to_bytes().unwrap())
            .unwrap();
    }
    let errors = count_received(&socket, |message| matches!(message, Message::Error(_)));
    let stats = daemon_b.stats();
    assert_eq!(
        stats.verification.rejected_total(),
        1,
        "one check ran: {stats:?}"
    );
    assert_eq!(stats.rate_limited.verification, I2S - 1, "{stats:?}");
    assert_eq!(stats.verification.rate_limited, I2S - 1);
    assert!((1..=2).contains(&errors), "error burst 1 (+1/s): {errors}");
    assert_eq!(errors + stats.rate_limited.error, I2S, "{stats:?}");
    assert!(
        daemon_b.contexts().is_empty(),
        "no context for the attacker"
    );
    assert!(
        stats.core_refused.values().sum::<u64>() >= I2S,
        "the core counts the refused lists: {stats:?}"
    );
}
