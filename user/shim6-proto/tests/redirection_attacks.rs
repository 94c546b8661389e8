//! The redirection attacks of the security review (C1 and its variants,
//! L1, L2), each against a responder whose verifier knows the truth about
//! address ownership: every one must be refused, counted, and leave the
//! victim's context exactly as it was.

use core::net::Ipv6Addr;
use core::time::Duration;

use shim6_proto::context::{ContextState, Host, HostConfig, Transmit};
use shim6_proto::random::SeededRandom;
use shim6_proto::reap::LocatorPair;
use shim6_proto::sim::OwnershipVerifier;
use shim6_proto::wire::{
    ContextTag, Keepalive, Locator, LocatorList, Message, Options, UlidPair, UpdateRequest,
    VerificationMethod, I1, I2, I2bis,
};

type TestHost = Host<OwnershipVerifier, SeededRandom>;

const fn addr(a: u16, b: u16) -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, a, 0, 0, 0, 0, b)
}

/// The responder R (the host under attack).
const R_ULID: Ipv6Addr = addr(0xb1, 1);
const R_OTHER: Ipv6Addr = addr(0xb2, 1);
/// The victim V, R's legitimate peer.
const V_ULID: Ipv6Addr = addr(0xa1, 1);
const V_OTHER: Ipv6Addr = addr(0xa2, 1);
/// The off-path attacker and a third party it would like to flood.
const ATTACKER: Ipv6Addr = addr(0x666, 0x66);
const THIRD_PARTY: Ipv6Addr = addr(0x777, 0x77);

fn owners() -> Vec<Vec<Ipv6Addr>> {
    vec![vec![R_ULID, R_OTHER], vec![V_ULID, V_OTHER], vec![ATTACKER]]
}

fn host(locators: Vec<Ipv6Addr>, seed: u64) -> TestHost {
    let config = HostConfig::new(locators);
    Host::new(config, OwnershipVerifier::new(owners()), SeededRandom::new(seed), Duration::ZERO)
}

/// Every message `from` queued, through the codec, handed to `to`.
fn deliver(now: Duration, from: &mut TestHost, to: &mut TestHost) -> usize {
    let mut count = 0;
    while let Some(transmit) = from.poll_transmit() {
        let bytes = transmit.message.to_bytes().expect("encode");
        let message = Message::parse(&bytes).expect("decode");
        to.handle_message(now, transmit.src, transmit.dst, message);
        count += 1;
    }
    count
}

fn drain(host: &mut TestHost) -> Vec<Transmit> {
    std::iter::from_fn(|| host.poll_transmit()).collect()
}

/// R and V with an established context, V's full locator set verified at R.
struct Lab {
    now: Duration,
    r: TestHost,
    v: TestHost,
}

impl Lab {
    fn new() -> Lab {
        let mut lab = Lab { now: Duration::from_secs(1), r: host(vec![R_ULID, R_OTHER], 1), v: host(vec![V_ULID, V_OTHER], 2) };
        lab.v.start_context(lab.now, V_ULID, R_ULID).expect("start");
        for _ in 0..4 {
            deliver(lab.now, &mut lab.v, &mut lab.r);
            deliver(lab.now, &mut lab.r, &mut lab.v);
        }
        let ctx = lab.r_context().expect("R has a context");
        assert_eq!(ctx.state(), ContextState::Established);
        assert_eq!(sorted(ctx.peer_locators()), sorted(&[V_ULID, V_OTHER]));
        lab
    }

    fn r_context(&self) -> Option<shim6_proto::context::Context> {
        self.r.context_for_ulids(R_ULID, V_ULID).cloned()
    }

    /// What R's context for V looks like to an attacker who wants to move it.
    fn snapshot(&self) -> (Vec<Ipv6Addr>, LocatorPair, Option<ContextTag>) {
        let ctx = self.r_context().expect("R's context for V");
        (sorted(ctx.peer_locators()), ctx.current_pair(), ctx.peer_tag())
    }

    fn refused(&self, reason: &str) -> u64 {
        self.r.refusals().get(reason).copied().unwrap_or(0)
    }

    /// Send `message` to R from `src`, return what R queued in answer.
    fn send_to_r(&mut self, src: Ipv6Addr, dst: Ipv6Addr, message: Message) -> Vec<Transmit> {
        drain(&mut self.r);
        let bytes = message.to_bytes().expect("encode");
        self.r.handle_message(self.now, src, dst, Message::parse(&bytes).expect("decode"));
        drain(&mut self.r)
    }

    /// I1 then I2 from `src`, naming `ulids` in a ULID Pair option (None:
    /// the addresses are the ULIDs), with `options` added to the I2. Returns
    /// R's answers to the I2.
    fn handshake(&mut self, src: Ipv6Addr, ulids: Option<UlidPair>, i2_src: Ipv6Addr, extra: Options) -> Vec<Transmit> {
        let tag = ContextTag::from_masked(0x2222);
        let i1 = I1 { initiator_tag: tag, initiator_nonce: 7, options: Options { ulid_pair: ulids, ..Options::default() } };
        let answers = self.send_to_r(src, R_ULID, Message::I1(i1));
        let Some(Message::R1(r1)) = answers.into_iter().find(|t| t.dst == src).map(|t| t.message) else {
            return Vec::new();
        };
        let options = Options { ulid_pair: ulids, responder_validator: r1.options.responder_validator, ..extra };
        let i2 = I2 { initiator_tag: tag, initiator_nonce: 7, responder_nonce: r1.responder_nonce, options };
        self.send_to_r(i2_src, R_ULID, Message::I2(i2))
    }
}

fn sorted(addresses: &[Ipv6Addr]) -> Vec<Ipv6Addr> {
    let mut v = addresses.to_vec();
    v.sort();
    v
}

fn has_r2(answers: &[Transmit]) -> bool {
    answers.iter().any(|t| matches!(t.message, Message::R2(_)))
}

fn victim_pair() -> Option<UlidPair> {
    Some(UlidPair { sender: V_ULID, receiver: R_ULID })
}

#[test]
fn i2_naming_the_victim_without_a_locator_list_is_refused() {
    let mut lab = Lab::new();
    let before = lab.snapshot();
    let answers = lab.handshake(ATTACKER, victim_pair(), ATTACKER, Options::default());
    assert!(!has_r2(&answers), "R answered the hijack with an R2: {answers:?}");
    assert_eq!(lab.snapshot(), before, "the attacker moved R's context for V");
    assert_eq!(lab.refused("unverified_source"), 1);
}

#[test]
fn i2_naming_the_victim_creates_no_context_either() {
    let mut lab = Lab::new();
    let victim2 = addr(0xa9, 9);
    let answers = lab.handshake(ATTACKER, Some(UlidPair { sender: victim2, receiver: R_ULID }), ATTACKER, Options::default());
    assert!(!has_r2(&answers));
    assert!(lab.r.context_for_ulids(R_ULID, victim2).is_none(), "a context for an unproved ULID");
    assert_eq!(lab.refused("unverified_source"), 1);
}

#[test]
fn i2_with_a_list_the_victim_does_not_own_is_refused() {
    let mut lab = Lab::new();
    let before = lab.snapshot();
    let list = LocatorList {
        generation: 9,
        locators: [V_ULID, ATTACKER].map(|addr| Locator { addr, method: VerificationMethod::Cga }).to_vec(),
    };
    let extra = Options { locator_list: Some(list), ..Options::default() };
    let answers = lab.handshake(ATTACKER, victim_pair(), ATTACKER, extra);
    assert!(!has_r2(&answers));
    assert!(answers.iter().any(|t| matches!(t.message, Message::Error(_))), "§7.2 Error expected");
    assert_eq!(lab.snapshot(), before);
    assert_eq!(lab.refused("locator_verification_failed"), 1);
}

#[test]
fn replay_of_an_i2_from_another_source_fails_the_validator() {
    // The attacker runs a handshake as itself, then replays the I2 from a
    // spoofed third party: the validator binds the I1's locators.
    let mut lab = Lab::new();
    let tag = ContextTag::from_masked(0x3333);
    let i1 = I1 { initiator_tag: tag, initiator_nonce: 1, options: Options::default() };
    let answers = lab.send_to_r(ATTACKER, R_ULID, Message::I1(i1));
    let Some(Message::R1(r1)) = answers.into_iter().next().map(|t| t.message) else { panic!("no R1") };
    let options = Options { responder_validator: r1.options.responder_validator, ..Options::default() };
    let i2 = I2 { initiator_tag: tag, initiator_nonce: 1, responder_nonce: r1.responder_nonce, options };
    let spoofed = lab.send_to_r(THIRD_PARTY, R_ULID, Message::I2(i2.clone()));
    assert!(spoofed.is_empty(), "R answered a replay from a third party: {spoofed:?}");
    assert!(lab.r.context_for_ulids(R_ULID, THIRD_PARTY).is_none());
    assert_eq!(lab.refused("bad_validator"), 1);
    // The genuine I2, from where the R1 went, still works.
    assert!(has_r2(&lab.send_to_r(ATTACKER, R_ULID, Message::I2(i2))));
    let ctx = lab.r.context_for_ulids(R_ULID, ATTACKER).expect("the attacker's own context");
    assert_eq!(ctx.peer_locators(), &[ATTACKER]);
}

#[test]
fn receiver_ulid_that_is_not_ours_gets_no_r1() {
    let mut lab = Lab::new();
    let not_ours = addr(0xc1, 1);
    let i1 = I1 {
        initiator_tag: ContextTag::from_masked(5),
        initiator_nonce: 5,
        options: Options { ulid_pair: Some(UlidPair { sender: ATTACKER, receiver: not_ours }), ..Options::default() },
    };
    assert!(lab.send_to_r(ATTACKER, R_ULID, Message::I1(i1)).is_empty());
    assert_eq!(lab.refused("foreign_receiver_ulid"), 1);
}

#[test]
fn ulids_that_are_not_global_unicast_are_refused() {
    let bad = [
        Ipv6Addr::LOCALHOST,
        Ipv6Addr::UNSPECIFIED,
        "ff02::1".parse().expect("multicast"),
        "fe80::1".parse().expect("link-local"),
        "::ffff:192.0.2.1".parse().expect("v4-mapped"),
    ];
    for (n, ulid) in bad.into_iter().enumerate() {
        let mut lab = Lab::new();
        // As sender ULID (a context for the bad address) …
        let pair = Some(UlidPair { sender: ulid, receiver: R_ULID });
        assert!(!has_r2(&lab.handshake(ATTACKER, pair, ATTACKER, Options::default())), "sender {ulid}");
        // … and both ULIDs bad, as in the review's `{::1, ::1}`.
        let pair = Some(UlidPair { sender: ulid, receiver: ulid });
        assert!(!has_r2(&lab.handshake(ATTACKER, pair, ATTACKER, Options::default())), "both {ulid}");
        assert_eq!(lab.r.contexts().count(), 1, "case {n}: only V's context");
        assert!(lab.refused("bad_ulid") >= 2, "case {n} ({ulid}) not counted: {:?}", lab.r.refusals());
    }
}

#[test]
fn control_messages_from_non_unicast_sources_are_dropped() {
    let mut lab = Lab::new();
    let i1 = I1 { initiator_tag: ContextTag::from_masked(5), initiator_nonce: 5, options: Options::default() };
    for src in ["ff02::1", "::", "::1"] {
        let src: Ipv6Addr = src.parse().expect("address");
        assert!(lab.send_to_r(src, R_ULID, Message::I1(i1.clone())).is_empty(), "answered {src}");
    }
    assert_eq!(lab.refused("bad_address"), 3);
}

#[test]
fn i2bis_after_r1bis_cannot_redirect_either() {
    let mut lab = Lab::new();
    let before = lab.snapshot();
    // Anything tagged with an unknown tag, sent from the attacker, earns an R1bis.
    let unknown = ContextTag::from_masked(0x4444);
    let keepalive = Keepalive { receiver_tag: unknown, options: Options::default() };
    let answers = lab.send_to_r(ATTACKER, R_ULID, Message::Keepalive(keepalive));
    let Some(Message::R1bis(r1bis)) = answers.into_iter().next().map(|t| t.message) else { panic!("no R1bis") };
    let options = Options {
        ulid_pair: victim_pair(),
        responder_validator: r1bis.options.responder_validator,
        ..Options::default()
    };
    let i2bis = I2bis {
        initiator_tag: ContextTag::from_masked(0x5555),
        initiator_nonce: 3,
        responder_nonce: r1bis.responder_nonce,
        packet_tag: unknown,
        options,
    };
    let answers = lab.send_to_r(ATTACKER, R_ULID, Message::I2bis(i2bis));
    assert!(!has_r2(&answers), "R answered the I2bis hijack: {answers:?}");
    assert_eq!(lab.snapshot(), before);
    assert_eq!(lab.refused("unverified_source"), 1);
}

#[test]
fn a_replayed_old_update_request_does_not_roll_the_locators_back() {
    let mut lab = Lab::new();
    // V drops V_OTHER, then gets it back, then drops it again: three
    // generations. The attacker recorded the second Update Request (both
    // locators) and replays it after the third.
    let capture = |lab: &mut Lab, locators: Vec<Ipv6Addr>| -> Transmit {
        lab.v.set_local_locators(lab.now, locators);
        let request = drain(&mut lab.v).into_iter().find(|t| matches!(t.message, Message::UpdateRequest(_))).expect("update");
        let bytes = request.message.to_bytes().expect("encode");
        lab.r.handle_message(lab.now, request.src, request.dst, Message::parse(&bytes).expect("decode"));
        deliver(lab.now, &mut lab.r, &mut lab.v);
        request
    };
    capture(&mut lab, vec![V_ULID]);
    let recorded = capture(&mut lab, vec![V_ULID, V_OTHER]);
    capture(&mut lab, vec![V_ULID]);
    assert_eq!(lab.snapshot().0, vec![V_ULID]);
    lab.send_to_r(recorded.src, recorded.dst, recorded.message.clone());
    assert_eq!(lab.snapshot().0, vec![V_ULID], "a replayed Update Request rolled Ls(peer) back");
    assert_eq!(lab.refused("stale_generation"), 1);
}

#[test]
fn update_request_with_a_list_the_peer_does_not_own_is_refused() {
    let mut lab = Lab::new();
    let before = lab.snapshot();
    let list = LocatorList {
        generation: 77,
        locators: [V_ULID, THIRD_PARTY].map(|addr| Locator { addr, method: VerificationMethod::Cga }).to_vec(),
    };
    let tag = lab.r_context().expect("ctx").local_tag();
    let request = UpdateRequest { receiver_tag: tag, request_nonce: 1, options: Options { locator_list: Some(list), ..Options::default() } };
    lab.send_to_r(V_ULID, R_ULID, Message::UpdateRequest(request));
    assert_eq!(lab.snapshot(), before);
    assert_eq!(lab.refused("locator_verification_failed"), 1);
}

#[test]
fn keepalive_with_a_known_tag_from_a_foreign_source_does_not_feed_reap() {
    // M1, the daemon's half: whoever learns CT(local) still cannot keep a
    // dead context "alive" from an address that is not the peer's.
    let mut lab = Lab::new();
    let tag = lab.r_context().expect("ctx").local_tag();
    // R sent payload and waits for an answer: its Send timer runs.
    lab.r.handle_payload_sent(lab.now, tag);
    let ctx = lab.r_context().expect("ctx");
    let keepalive = Keepalive { receiver_tag: ctx.local_tag(), options: Options::default() };
    let answers = lab.send_to_r(ATTACKER, R_ULID, Message::Keepalive(keepalive.clone()));
    assert!(answers.iter().all(|t| matches!(t.message, Message::R1bis(_)) && t.dst == ATTACKER), "{answers:?}");
    assert_eq!(lab.refused("foreign_locator"), 1);
    let after = lab.r_context().expect("ctx");
    assert_eq!(
        after.reap().map(|reap| reap.detector().clone()),
        ctx.reap().map(|reap| reap.detector().clone()),
        "the spoofed Keepalive reached REAP"
    );
    // The same Keepalive from the peer does reach it (the check above can fail).
    lab.send_to_r(V_ULID, R_ULID, Message::Keepalive(keepalive));
    let genuine = lab.r_context().expect("ctx");
    assert_ne!(genuine.reap().map(|reap| reap.detector().clone()), ctx.reap().map(|reap| reap.detector().clone()));
}
