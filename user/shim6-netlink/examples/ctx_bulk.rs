//! Installs many contexts in the caller's namespace over one netlink
//! socket, measures how long that takes and how much kernel memory they
//! hold, moves each onto a rewriting locator pair (which gives it its xfrm
//! state and policy) and measures again, then deletes them and measures
//! that too.  Used by the kernel
//! benchmark (`tests/vm/bench.sh`), where starting `shim6ctl` once per
//! context would take longer than the measurement itself.
//!
//! ```text
//! ctx_bulk [--count N] [--first-tag T]
//! ```
//!
//! Context i has local tag T+i, local ULID 2001:db8:aa::/64 + i and peer
//! ULID 2001:db8:bb::/64 + i (i < 2^32), and a second locator on each
//! side, 2001:db8:a2::/64 + i and 2001:db8:b2::/64 + i, the pair it is
//! moved onto.  Prints one JSON object on
//! standard output; progress and errors go to standard error.  Needs root
//! for /proc/slabinfo.

use std::collections::HashMap;
use std::net::Ipv6Addr;
use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use shim6_netlink::family::TAG_MAX;
use shim6_netlink::{Client, CtxAdd};

const LOCAL_PREFIX: [u16; 4] = [0x2001, 0xdb8, 0xaa, 0];
const PEER_PREFIX: [u16; 4] = [0x2001, 0xdb8, 0xbb, 0];
const LOCAL_ALT_PREFIX: [u16; 4] = [0x2001, 0xdb8, 0xa2, 0];
const PEER_ALT_PREFIX: [u16; 4] = [0x2001, 0xdb8, 0xb2, 0];
/// Slab caches listed in the breakdown, largest growth first.
const TOP_CACHES: usize = 8;

struct Options {
    count: u64,
    first_tag: u64,
}

fn parse_options() -> Result<Options, String> {
    let mut options = Options {
        count: 100_000,
        first_tag: 0x10_0000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            let text = args.next().ok_or(format!("{name} needs a value"))?;
            parse_number(&text).ok_or(format!("{name}: not a number: {text}"))
        };
        match arg.as_str() {
            "--count" => options.count = value("--count")?,
            "--first-tag" => options.first_tag = value("--first-tag")?,
            other => {
                return Err(format!(
                    "unknown argument {other}; usage: ctx_bulk [--count N] [--first-tag T]"
                ))
            }
        }
    }
    let last_tag = options.first_tag.saturating_add(options.count);
    if options.first_tag == 0 || last_tag > TAG_MAX || options.count > u64::from(u32::MAX) {
        return Err("tags must stay within 1..2^47 and the count below 2^32".into());
    }
    Ok(options)
}

fn parse_number(text: &str) -> Option<u64> {
    match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.replace('_', "").parse().ok(),
    }
}

/// The prefix with the 32-bit `index` in its last two groups.
fn ulid(prefix: [u16; 4], index: u64) -> Ipv6Addr {
    let [a, b, c, d] = prefix;
    Ipv6Addr::new(a, b, c, d, 0, 0, (index >> 16) as u16, index as u16)
}

/// The kernel memory figures of one moment, in bytes.
struct MemorySample {
    meminfo: HashMap<String, u64>,
    /// Per slab cache: bytes in active objects.
    slabs: HashMap<String, u64>,
}

impl MemorySample {
    fn take() -> Self {
        let meminfo = std::fs::read_to_string("/proc/meminfo")
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let (name, rest) = line.split_once(':')?;
                let kib: u64 = rest.split_whitespace().next()?.parse().ok()?;
                Some((name.to_string(), kib * 1024))
            })
            .collect();
        // name active_objs num_objs objsize ...; the two header lines do not parse.
        let slabs = std::fs::read_to_string("/proc/slabinfo")
            .unwrap_or_default()
            .lines()
            .filter_map(|line| {
                let fields: Vec<&str> = line.split_whitespace().collect();
                let active: u64 = fields.get(1)?.parse().ok()?;
                let size: u64 = fields.get(3)?.parse().ok()?;
                Some((fields[0].to_string(), active * size))
            })
            .collect();
        MemorySample { meminfo, slabs }
    }

    /// `later - self` for a /proc/meminfo field, in bytes (may be negative).
    fn meminfo_growth(&self, later: &MemorySample, field: &str) -> i64 {
        let get = |s: &MemorySample| s.meminfo.get(field).copied().unwrap_or(0) as i64;
        get(later) - get(self)
    }

    /// Growth of the bytes in live slab objects, all caches together: unlike
    /// the slab pages of /proc/meminfo, empty slabs the allocator keeps do
    /// not count, so what is left after the deletes is what is still used.
    fn slab_objects_growth(&self, later: &MemorySample) -> i64 {
        let total = |s: &MemorySample| s.slabs.values().sum::<u64>() as i64;
        total(later) - total(self)
    }

    /// The slab caches that grew most by `later`, as (name, bytes).
    fn top_slab_growth(&self, later: &MemorySample) -> Vec<(String, i64)> {
        let mut growth: Vec<(String, i64)> = later
            .slabs
            .iter()
            .map(|(name, &bytes)| {
                (
                    name.clone(),
                    bytes as i64 - self.slabs.get(name).copied().unwrap_or(0) as i64,
                )
            })
            .filter(|(_, delta)| *delta > 0)
            .collect();
        growth.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        growth.truncate(TOP_CACHES);
        growth
    }
}

/// Waits for memory freed after an RCU grace period or by the xfrm
/// garbage collector to be back before the "after delete" sample.
fn settle() {
    thread::sleep(Duration::from_secs(2));
}

fn run(options: &Options) -> Result<String, String> {
    let mut client = Client::connect().map_err(|e| format!("connect: {e}"))?;
    let count = options.count;
    let tag = |i: u64| options.first_tag + i;

    settle();
    let before = MemorySample::take();
    let started = Instant::now();
    for i in 0..count {
        let (local, peer) = (ulid(LOCAL_PREFIX, i), ulid(PEER_PREFIX, i));
        let mut request = CtxAdd::new(tag(i), tag(i), local, peer);
        request.local_locators = Some(vec![local, ulid(LOCAL_ALT_PREFIX, i)]);
        request.peer_locators = Some(vec![peer, ulid(PEER_ALT_PREFIX, i)]);
        if let Err(e) = client.ctx_add(&request) {
            // Leave the namespace as found.
            for j in 0..i {
                let _ = client.ctx_del(tag(j));
            }
            return Err(format!("ctx-add of context {i} (tag {:#x}): {e}", tag(i)));
        }
    }
    let add_seconds = started.elapsed().as_secs_f64();
    let loaded = MemorySample::take();
    eprintln!("ctx_bulk: added {count} contexts in {add_seconds:.2} s");

    let started = Instant::now();
    let mut failed = None;
    for i in 0..count {
        let moved = client.ctx_set_path(tag(i), ulid(LOCAL_ALT_PREFIX, i), ulid(PEER_ALT_PREFIX, i));
        if let Err(e) = moved {
            failed = Some(format!("ctx-set-path of context {i} (tag {:#x}): {e}", tag(i)));
            break;
        }
    }
    let rewrite_seconds = started.elapsed().as_secs_f64();
    if let Some(why) = failed {
        for i in 0..count {
            let _ = client.ctx_del(tag(i));
        }
        return Err(why);
    }
    let rewriting = MemorySample::take();
    eprintln!("ctx_bulk: moved {count} contexts onto rewriting pairs in {rewrite_seconds:.2} s");

    let started = Instant::now();
    let mut failed_deletes = Vec::new();
    for i in 0..count {
        if let Err(e) = client.ctx_del(tag(i)) {
            failed_deletes.push(format!("tag {:#x}: {e}", tag(i)));
        }
    }
    let del_seconds = started.elapsed().as_secs_f64();
    if let Some(first) = failed_deletes.first() {
        return Err(format!(
            "{} ctx-del failed, the first: {first}",
            failed_deletes.len()
        ));
    }
    eprintln!("ctx_bulk: deleted {count} contexts in {del_seconds:.2} s");
    settle();
    let after = MemorySample::take();

    let per_context = |bytes: i64| bytes as f64 / count.max(1) as f64;
    let sunreclaim = before.meminfo_growth(&loaded, "SUnreclaim");
    let slab = before.meminfo_growth(&loaded, "Slab");
    // Everything the kernel took, slab or not (the xfrm hash tables come
    // from the page allocator): less precise, other activity shows too.
    let memfree_drop = -before.meminfo_growth(&loaded, "MemFree");
    let top = |from: &MemorySample, to: &MemorySample| -> String {
        let caches: Vec<String> = from
            .top_slab_growth(to)
            .iter()
            .map(|(name, bytes)| {
                format!(
                    "{{\"cache\":\"{name}\",\"bytes_per_context\":{:.1}}}",
                    per_context(*bytes)
                )
            })
            .collect();
        caches.join(",")
    };
    Ok(format!(
        concat!(
            "{{\"count\":{},\"add_seconds\":{:.3},\"add_per_second\":{:.0},",
            "\"del_seconds\":{:.3},\"del_per_second\":{:.0},",
            "\"sunreclaim_bytes_per_context\":{:.1},\"slab_bytes_per_context\":{:.1},",
            "\"memfree_drop_bytes_per_context\":{:.1},",
            "\"slab_objects_bytes_per_context\":{:.1},",
            "\"sunreclaim_left_after_delete_bytes\":{},",
            "\"slab_objects_left_after_delete_bytes\":{},\"top_slab_caches\":[{}],",
            "\"rewrite_seconds\":{:.3},\"rewrite_per_second\":{:.0},",
            "\"rewriting_sunreclaim_bytes_per_context\":{:.1},",
            "\"rewriting_slab_objects_bytes_per_context\":{:.1},",
            "\"rewriting_top_slab_caches\":[{}]}}"
        ),
        count,
        add_seconds,
        count as f64 / add_seconds,
        del_seconds,
        count as f64 / del_seconds,
        per_context(sunreclaim),
        per_context(slab),
        per_context(memfree_drop),
        per_context(before.slab_objects_growth(&loaded)),
        before.meminfo_growth(&after, "SUnreclaim"),
        before.slab_objects_growth(&after),
        top(&before, &loaded),
        rewrite_seconds,
        count as f64 / rewrite_seconds,
        per_context(before.meminfo_growth(&rewriting, "SUnreclaim")),
        per_context(before.slab_objects_growth(&rewriting)),
        top(&loaded, &rewriting)
    ))
}

fn main() -> ExitCode {
    let outcome = parse_options().and_then(|options| run(&options));
    match outcome {
        Ok(json) => {
            println!("{json}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("ctx_bulk: {e}");
            ExitCode::FAILURE
        }
    }
}
