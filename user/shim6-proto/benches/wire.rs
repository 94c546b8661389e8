//! Encode/decode rate of the wire codec for three representative packets:
//! an I2 with locator list, CGA parameters and signature; a Probe with
//! reports; and the 8-octet payload header. Prints a table and writes
//! `wire.json` to $SHIM6_BENCH_DIR (default: `bench-results` at the
//! repository root).
//!
//! Run: `cargo bench -p shim6-proto --bench wire`

use std::hint::black_box;
use std::net::Ipv6Addr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use shim6_proto::wire::*;

/// Each measurement runs at least this long.
const TARGET: Duration = Duration::from_millis(500);

fn tag(value: u64) -> ContextTag {
    ContextTag::new(value).expect("47-bit tag")
}

fn locator(n: u16, method: VerificationMethod) -> Locator {
    Locator {
        addr: Ipv6Addr::new(0x2001, 0xdb8, n, 0, 0, 0, 0, 1),
        method,
    }
}

/// I2 as a multihomed CGA host sends it: 3 locators, a ~1024-bit-key PDS
/// (about 200 octets), a 128-octet RSA signature, a 20-octet validator.
fn sample_i2() -> Message {
    I2 {
        initiator_tag: tag(0x1234_5678_9abc),
        initiator_nonce: 0x0102_0304,
        responder_nonce: 0x0a0b_0c0d,
        options: Options {
            responder_validator: Some(vec![0x11; 20]),
            locator_list: Some(LocatorList {
                generation: 1,
                locators: vec![
                    locator(1, VerificationMethod::Cga),
                    locator(2, VerificationMethod::Cga),
                    locator(3, VerificationMethod::Hba),
                ],
            }),
            cga_parameters: Some(vec![0x5a; 200]),
            cga_signature: Some(vec![0xa5; 128]),
            ..Options::default()
        },
    }
    .into()
}

/// Probe from an InboundOk host: 3 sent and 2 received reports.
fn sample_probe() -> Message {
    let report = |n: u16| ProbeReport {
        src: locator(n, VerificationMethod::Cga).addr,
        dst: locator(n + 10, VerificationMethod::Cga).addr,
        nonce: u32::from(n),
        data: 0,
    };
    Probe {
        receiver_tag: tag(0x42),
        state: ReapState::InboundOk,
        sent: vec![report(1), report(2), report(3)],
        received: vec![report(4), report(5)],
        options: Options::default(),
    }
    .into()
}

struct Measurement {
    name: String,
    operation: &'static str,
    octets: usize,
    iterations: u64,
    elapsed: Duration,
}

impl Measurement {
    fn per_second(&self) -> f64 {
        self.iterations as f64 / self.elapsed.as_secs_f64()
    }

    fn mb_per_second(&self) -> f64 {
        self.per_second() * self.octets as f64 / 1e6
    }
}

/// Runs `op` in batches until `TARGET` has passed.
fn measure(
    name: &str,
    operation: &'static str,
    octets: usize,
    mut op: impl FnMut(),
) -> Measurement {
    for _ in 0..1000 {
        op(); // warm-up
    }
    let mut iterations = 0u64;
    let mut batch = 1000u64;
    let start = Instant::now();
    while start.elapsed() < TARGET {
        for _ in 0..batch {
            op();
        }
        iterations += batch;
        batch = batch.saturating_mul(2).min(1 << 20);
    }
    Measurement {
        name: name.to_owned(),
        operation,
        octets,
        iterations,
        elapsed: start.elapsed(),
    }
}

fn bench_message(name: &str, msg: &Message, results: &mut Vec<Measurement>) {
    let bytes = msg.to_bytes().expect("sample encodes");
    let mut out = vec![0u8; bytes.len()];
    results.push(measure(name, "encode", bytes.len(), || {
        black_box(black_box(msg).emit(black_box(&mut out)).expect("encode"));
    }));
    results.push(measure(name, "decode", bytes.len(), || {
        black_box(Message::parse(black_box(&bytes)).expect("decode"));
    }));
}

fn bench_payload(results: &mut Vec<Measurement>) {
    let repr = PayloadRepr {
        next_header: 6,
        context_tag: tag(0x1234_5678_9abc),
    };
    let bytes = repr.to_bytes();
    let mut out = [0u8; PAYLOAD_HEADER_LEN];
    results.push(measure("payload_header", "encode", bytes.len(), || {
        black_box(&repr).emit(black_box(&mut out)).expect("encode");
        black_box(&out);
    }));
    results.push(measure("payload_header", "decode", bytes.len(), || {
        black_box(PayloadRepr::parse(black_box(&bytes)).expect("decode"));
    }));
}

fn results_dir() -> PathBuf {
    std::env::var_os("SHIM6_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench-results"))
}

fn to_json(results: &[Measurement]) -> String {
    let entries: Vec<String> = results
        .iter()
        .map(|m| {
            format!(
                "    {{\"message\": \"{}\", \"operation\": \"{}\", \"octets\": {}, \"iterations\": {}, \
                 \"seconds\": {:.6}, \"messages_per_second\": {:.1}, \"mb_per_second\": {:.3}}}",
                m.name,
                m.operation,
                m.octets,
                m.iterations,
                m.elapsed.as_secs_f64(),
                m.per_second(),
                m.mb_per_second()
            )
        })
        .collect();
    format!(
        "{{\n  \"benchmark\": \"wire\",\n  \"results\": [\n{}\n  ]\n}}\n",
        entries.join(",\n")
    )
}

fn main() {
    let mut results = Vec::new();
    bench_message("i2", &sample_i2(), &mut results);
    bench_message("probe", &sample_probe(), &mut results);
    bench_payload(&mut results);

    println!(
        "{:<16} {:<7} {:>7} {:>16} {:>10}",
        "message", "op", "octets", "messages/s", "MB/s"
    );
    for m in &results {
        println!(
            "{:<16} {:<7} {:>7} {:>16.0} {:>10.1}",
            m.name,
            m.operation,
            m.octets,
            m.per_second(),
            m.mb_per_second()
        );
    }
    let dir = results_dir();
    std::fs::create_dir_all(&dir).expect("create bench results directory");
    let path = dir.join("wire.json");
    std::fs::write(&path, to_json(&results)).expect("write wire.json");
    println!("wrote {}", path.display());
}
