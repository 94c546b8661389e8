//! I2 processing time on a responder holding N live contexts (Fig. 2.20
//! of the thesis), with what hB's shim6d runs: the protocol core, the
//! daemon's verifier stack (`ThrottledVerifier` over `CgaVerifier`, with
//! a budget too large to bite) on real RSA keys, every message through
//! the codec. Each timed I2 comes from a fresh multihomed CGA peer (its
//! own ULID, a three-locator list signed by the daemon's `CgaVerifier`),
//! so every one costs a real signature check and makes a new context,
//! which is removed again to keep N fixed.
//!
//! Memory: the growth of the resident set over the filled contexts, with
//! what the daemon keeps per context beside the core's (its activity
//! record and the copy of what it installed in the kernel, made here
//! against a kernel that takes every command).
//!
//! Timed per I2: `Message::parse` of its bytes, `Host::handle_message`
//! (validator, CGA check, new context, REAP start), and the R2 out of
//! `poll_transmit` and through `Message::to_bytes`.
//!
//! Shared by the `i2_contexts` benchmark and its short form in the tests.

use std::collections::HashMap;
use std::net::Ipv6Addr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use shim6_cga::generate_rsa_key;
use shim6_netlink::{Context, CtxAdd, CtxSetTimers, CtxUpdate, TriggerPolicy};
use shim6_proto::context::Host;
use shim6_proto::context::LocatorVerifier;
use shim6_proto::random::RandomSource;
use shim6_proto::random::SeededRandom;
use shim6_proto::wire::{ContextTag, Message};
use shim6d::config::BucketConfig;
use shim6d::kernel::{KernelContexts, KernelResult};
use shim6d::kernel_changes::{sync_turn, ChangedContexts, WantedDefaults};
use shim6d::kernel_sync::KernelSync;
use shim6d::limits_config::MAX_LIMIT;
use shim6d::runtime::ManualClock;
use shim6d::stats::VerificationStats;
use shim6d::throttled_verifier::ThrottledVerifier;

use crate::responder_load::{
    cga_identity, daemon_verifier, established, fill, host_config, i2_towards, EXCHANGE_TIME,
    PEER_PREFIXES, RESPONDER_PREFIXES,
};

pub struct Settings {
    /// Live contexts to measure at, increasing.
    pub sizes: Vec<u32>,
    pub samples: usize,
    pub rsa_bits: usize,
}

/// The result at one size.
pub struct Point {
    pub contexts: u32,
    pub samples: usize,
    pub median: Duration,
    pub p95: Duration,
    pub mean: Duration,
    /// Resident memory grown since before the first context, per context.
    pub rss_bytes_per_context: Option<f64>,
    /// Of the responder's verifier, after this size's samples.
    pub verification: VerificationStats,
}

/// VmRSS of this process, in octets.
pub fn resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmRSS:"))?;
    let kilobytes: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kilobytes * 1024)
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Takes every command, as the module would for valid contexts.
struct AcceptingKernel;

impl KernelContexts for AcceptingKernel {
    fn add(&mut self, _: &CtxAdd) -> KernelResult<()> {
        Ok(())
    }
    fn delete(&mut self, _: u64) -> KernelResult<()> {
        Ok(())
    }
    fn update(&mut self, _: &CtxUpdate) -> KernelResult<()> {
        Ok(())
    }
    fn set_path(&mut self, _: u64, _: Ipv6Addr, _: Ipv6Addr) -> KernelResult<()> {
        Ok(())
    }
    fn set_timers(&mut self, _: &CtxSetTimers) -> KernelResult<()> {
        Ok(())
    }
    fn dump(&mut self) -> KernelResult<Vec<Context>> {
        Ok(Vec::new())
    }
    fn set_peer_policy(&mut self, _: Ipv6Addr, _: TriggerPolicy) -> KernelResult<()> {
        Ok(())
    }
}

/// The daemon's own per-context tables.
#[derive(Default)]
struct DaemonTables {
    activity: HashMap<ContextTag, Duration>,
    kernel_sync: KernelSync,
}

impl DaemonTables {
    fn record<V: LocatorVerifier, R: RandomSource>(&mut self, host: &Host<V, R>) {
        for ctx in host.contexts() {
            self.activity.insert(ctx.local_tag(), EXCHANGE_TIME);
        }
        let mut changed = ChangedContexts::default();
        changed.mark_everything();
        let defaults = WantedDefaults {
            send_timeout_ms: 15_000,
            keepalive_timeout: Duration::from_secs(15),
        };
        sync_turn(
            changed.take(),
            Some(host),
            &mut self.kernel_sync,
            &HashMap::new(),
            defaults,
            &mut AcceptingKernel,
        );
    }
}

pub fn run(settings: &Settings, mut progress: impl FnMut(&str)) -> Vec<Point> {
    progress(&format!(
        "RSA-{} keys for hB and the peers",
        settings.rsa_bits
    ));
    let responder_identity = cga_identity(
        generate_rsa_key(settings.rsa_bits).expect("RSA key"),
        &RESPONDER_PREFIXES,
    );
    let responder_ulid = responder_identity.addresses[0].address;
    let peer_key = generate_rsa_key(settings.rsa_bits).expect("RSA key");
    let largest = settings.sizes.iter().copied().max().unwrap_or(0) as usize;
    let config = host_config(&responder_identity, largest + settings.samples + 1);
    let (checker, stats) = daemon_verifier(responder_identity);
    let clock = ManualClock::default();
    clock.set(EXCHANGE_TIME);
    let unlimited = BucketConfig {
        per_second: MAX_LIMIT,
        burst: MAX_LIMIT,
    };
    let verifier = ThrottledVerifier::new(checker, unlimited, clock, Rc::clone(&stats));
    let mut responder = Host::new(config, verifier, SeededRandom::new(0x5eed), EXCHANGE_TIME);
    responder.prepare_locator_proof();

    let mut tables = DaemonTables::default();
    let rss_before = resident_bytes();
    let mut points = Vec::new();
    let mut live = 0;
    for &size in &settings.sizes {
        progress(&format!("filling to {size} contexts"));
        fill(
            &mut responder,
            responder_ulid,
            live,
            size.saturating_sub(live),
        );
        live = live.max(size);
        tables.record(&responder);
        let rss_bytes_per_context = match (rss_before, resident_bytes()) {
            (Some(before), Some(after)) if live > 0 => {
                Some(after.saturating_sub(before) as f64 / f64::from(live))
            }
            _ => None,
        };
        progress(&format!("{} I2s at {size} contexts", settings.samples));
        let mut times = Vec::with_capacity(settings.samples);
        for sample in 0..settings.samples {
            times.push(time_one_i2(
                &mut responder,
                responder_ulid,
                &peer_key,
                sample,
            ));
        }
        times.sort();
        let total: Duration = times.iter().sum();
        points.push(Point {
            contexts: size,
            samples: times.len(),
            median: percentile(&times, 0.5),
            p95: percentile(&times, 0.95),
            mean: total / u32::try_from(times.len().max(1)).unwrap_or(u32::MAX),
            rss_bytes_per_context,
            verification: stats.borrow().clone(),
        });
    }
    points
}

fn time_one_i2<V, R>(
    responder: &mut Host<V, R>,
    responder_ulid: std::net::Ipv6Addr,
    peer_key: &shim6_cga::RsaPrivateKey,
    sample: usize,
) -> Duration
where
    V: shim6_proto::context::LocatorVerifier,
    R: shim6_proto::random::RandomSource,
{
    let identity = cga_identity(peer_key.clone(), &PEER_PREFIXES);
    let ulid = identity.addresses[0].address;
    let config = host_config(&identity, 16);
    let (signer, _) = daemon_verifier(identity);
    let mut peer = Host::new(
        config,
        signer,
        SeededRandom::new(sample as u64 + 1),
        EXCHANGE_TIME,
    );
    let (src, dst, bytes) = i2_towards(&mut peer, ulid, responder, responder_ulid);

    let start = Instant::now();
    let message = Message::parse(&bytes).expect("parse I2");
    responder.handle_message(EXCHANGE_TIME, src, dst, message);
    let r2 = responder.poll_transmit().expect("an answer to the I2");
    let r2_bytes = r2.message.to_bytes().expect("emit R2");
    let elapsed = start.elapsed();

    assert!(
        matches!(r2.message, Message::R2(_)),
        "expected R2, got {:?}",
        r2.message
    );
    std::hint::black_box(r2_bytes);
    let tag = established(responder);
    responder.remove_context(tag);
    elapsed
}
