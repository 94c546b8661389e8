//! I2 processing time on the responder, step by step and in total, for I2s
//! produced by a real I1 → R1 → I2 exchange between two `Host`s:
//!
//! 1. `Message::parse` of the I2 bytes;
//! 2. the stateless responder's validator check (`ResponderSecrets::check`);
//! 3. the CGA signature over the Locator List, and the ULID's CGA (or HBA)
//!    verification against the CGA Parameters;
//! 4. `check_locator_list` on the whole list (steps 3a and 3b plus decoding
//!    and per-locator checks);
//! 5. `Host::handle_message` with the shim6-cga `LocatorVerifier` adapter
//!    (validator, locator check, new context, REAP start, R2), and, to
//!    separate the state machine's own share, with `AcceptAllVerifier`;
//! 6. total: parse + `handle_message`, bytes in to R2 queued.
//!
//! Scenarios: three CGA-method locators signed with RSA-1024 and RSA-2048,
//! and a pure HBA set of three locators; all addresses Sec 1.
//!
//! Run: `cargo bench -p shim6-cga --bench i2`. Results go to
//! `$SHIM6_BENCH_DIR` (default: `bench-results` at the repository root) as
//! `i2.json` and `i2.csv`.

#[path = "support/cga_locator_verifier.rs"]
mod cga_locator_verifier;
#[path = "support/i2_exchange.rs"]
mod i2_exchange;

use cga_locator_verifier::{locator_method_pairs, CgaLocatorVerifier};
use i2_exchange::{
    cga_identity, hba_identity, i2_from, responder_host, responder_secrets, ReceivedI2,
    EXCHANGE_TIME,
};
use shim6_cga::{
    check_locator_list, generate_rsa_key, verify_cga, verify_cga_locators_signature,
    verify_hba_member, CgaParams, Sec, METHOD_CGA,
};
use shim6_proto::context::{
    AcceptAllVerifier, ContextState, Host, HostEvent, LocatorVerifier, ValidatorInput,
};
use shim6_proto::random::SeededRandom;
use shim6_proto::wire::{Message, VerificationMethod};
use std::hint::black_box;
use std::net::Ipv6Addr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// Every step is cheap enough (RSA-2048 verification included) for the
/// same count everywhere; well above the 200 the percentiles need.
const ITERATIONS: usize = 1000;
/// Untimed runs first, so caches and the allocator are warm.
const WARMUP: usize = 50;

struct Scenario {
    name: &'static str,
    description: &'static str,
    received: ReceivedI2,
}

struct Row {
    scenario: &'static str,
    step: &'static str,
    iterations: usize,
    median: Duration,
    p95: Duration,
}

fn main() {
    println!("shim6 I2 responder benchmark: {ITERATIONS} timed runs per step after {WARMUP} warm-up runs");
    let scenarios = build_scenarios();
    let mut rows = Vec::new();
    for scenario in &scenarios {
        rows.extend(measure_scenario(scenario));
    }
    print_table(&scenarios, &rows);
    save(&scenarios, &rows);
}

fn build_scenarios() -> Vec<Scenario> {
    let key_1024 = generate_rsa_key(1024).expect("RSA-1024");
    let key_2048 = generate_rsa_key(2048).expect("RSA-2048");
    vec![
        Scenario {
            name: "cga3_rsa1024",
            description: "3 CGA-method locators, Sec 1 CGA ULID, RSA-1024 signature",
            received: i2_from(cga_identity(key_1024, Sec::ONE)),
        },
        Scenario {
            name: "cga3_rsa2048",
            description: "3 CGA-method locators, Sec 1 CGA ULID, RSA-2048 signature",
            received: i2_from(cga_identity(key_2048, Sec::ONE)),
        },
        Scenario {
            name: "hba3_pure",
            description: "3 HBA-method locators, Sec 1 pure HBA set (no key, no signature)",
            received: i2_from(hba_identity(Sec::ONE)),
        },
    ]
}

/// One named step; each call runs it once and returns the time it took.
type Step<'a> = (&'static str, Box<dyn FnMut() -> Duration + 'a>);

fn measure_scenario(scenario: &Scenario) -> Vec<Row> {
    let received = &scenario.received;
    let i2 = received.i2();
    let options = &i2.options;
    let list = options
        .locator_list
        .as_ref()
        .expect("I2 has a Locator List");
    let encoded_params = options.cga_parameters.as_deref().expect("I2 has a PDS");
    let signature = options.cga_signature.as_deref();
    let pairs = locator_method_pairs(list);
    // No ULID Pair option: the addresses are the ULIDs.
    let (peer_ulid, local_ulid) = (received.src, received.dst);
    let mut steps: Vec<Step> = Vec::new();

    steps.push((
        "1_parse",
        timed(|| {
            black_box(Message::parse(black_box(&received.bytes)).expect("parse"));
        }),
    ));

    let secrets = responder_secrets();
    let validator = options.responder_validator.as_deref().expect("validator");
    let validator_input = ValidatorInput::Establishment {
        initiator_tag: i2.initiator_tag,
        peer_ulid,
        local_ulid,
        // The I1 came from and went to the same addresses as the I2.
        peer_locator: received.src,
        local_locator: received.dst,
    };
    assert!(
        secrets.check(validator, i2.responder_nonce, &validator_input),
        "the rebuilt secrets must accept the responder's own validator"
    );
    steps.push((
        "2_validator_check",
        timed(move || {
            assert!(secrets.check(black_box(validator), i2.responder_nonce, &validator_input));
        }),
    ));

    if let Some(signature) = signature {
        let public_key = CgaParams::decode(encoded_params).expect("PDS").public_key;
        let signed_locators: Vec<Ipv6Addr> = pairs
            .iter()
            .filter(|&&(_, method)| method == METHOD_CGA)
            .map(|&(address, _)| address)
            .collect();
        steps.push((
            "3a_signature_verify",
            timed(move || {
                verify_cga_locators_signature(
                    black_box(&public_key),
                    list.generation,
                    &signed_locators,
                    signature,
                )
                .expect("signature verifies");
            }),
        ));
    }

    // Decoding the PDS is included: the responder gets it as bytes.
    let ulid_is_hba = list.locators[0].method == VerificationMethod::Hba;
    let (ulid_step, verify_ulid): (_, fn(Ipv6Addr, &[u8]) -> bool) = if ulid_is_hba {
        ("3b_ulid_hba_verify", |ulid, params| {
            verify_hba_member(ulid, params).is_ok()
        })
    } else {
        ("3b_ulid_cga_verify", |ulid, params| {
            verify_cga(ulid, params).is_ok()
        })
    };
    steps.push((
        ulid_step,
        timed(move || assert!(verify_ulid(black_box(peer_ulid), encoded_params))),
    ));

    let pairs_for_check = pairs.clone();
    steps.push((
        "4_check_locator_list",
        timed(move || {
            black_box(
                check_locator_list(
                    black_box(peer_ulid),
                    encoded_params,
                    list.generation,
                    &pairs_for_check,
                    signature,
                )
                .expect("locator list accepted"),
            );
        }),
    ));

    let mut verifying_host = responder_host(CgaLocatorVerifier::default());
    steps.push((
        "5_handle_message_cga_verifier",
        Box::new(move || time_handling(&mut verifying_host, received, Input::Parsed)),
    ));
    let mut trusting_host = responder_host(AcceptAllVerifier);
    steps.push((
        "5b_handle_message_accept_all",
        Box::new(move || time_handling(&mut trusting_host, received, Input::Parsed)),
    ));
    let mut receiving_host = responder_host(CgaLocatorVerifier::default());
    steps.push((
        "6_total_parse_and_handle",
        Box::new(move || time_handling(&mut receiving_host, received, Input::Bytes)),
    ));

    run_interleaved(scenario.name, steps)
}

/// Runs the steps round-robin, one run of each per round, so a burst of
/// load from other processes on this shared machine hits every step alike
/// instead of skewing whichever step happened to be running.
fn run_interleaved(scenario: &'static str, mut steps: Vec<Step>) -> Vec<Row> {
    let mut times: Vec<Vec<Duration>> = steps
        .iter()
        .map(|_| Vec::with_capacity(ITERATIONS))
        .collect();
    for round in 0..WARMUP + ITERATIONS {
        for ((_, run), step_times) in steps.iter_mut().zip(&mut times) {
            let elapsed = run();
            if round >= WARMUP {
                step_times.push(elapsed);
            }
        }
    }
    steps
        .iter()
        .zip(times)
        .map(|((name, _), step_times)| summarise(scenario, name, step_times))
        .collect()
}

/// What the timed region of `time_handling` starts from.
#[derive(Clone, Copy)]
enum Input {
    /// An already parsed `Message` (cloned outside the timed region).
    Parsed,
    /// The wire bytes: parsing is timed too.
    Bytes,
}

/// Times one I2 through the responder, checks that it answered with R2 and
/// established a context, then forgets that context (untimed) so the next
/// run meets the same empty responder.
fn time_handling<V: LocatorVerifier>(
    host: &mut Host<V, SeededRandom>,
    received: &ReceivedI2,
    input: Input,
) -> Duration {
    let elapsed = match input {
        Input::Parsed => {
            let message = received.message.clone();
            let began = Instant::now();
            host.handle_message(EXCHANGE_TIME, received.src, received.dst, message);
            began.elapsed()
        }
        Input::Bytes => {
            let began = Instant::now();
            let message = Message::parse(black_box(&received.bytes)).expect("parse");
            host.handle_message(EXCHANGE_TIME, received.src, received.dst, message);
            began.elapsed()
        }
    };
    let reply = host.poll_transmit().expect("the responder answers the I2");
    assert!(
        matches!(reply.message, Message::R2(_)),
        "I2 refused: {:?}",
        reply.message
    );
    while host.poll_transmit().is_some() {}
    let mut established = None;
    while let Some(event) = host.poll_event() {
        if let HostEvent::Established { local_tag } = event {
            established = Some(local_tag);
        }
    }
    let tag = established.expect("the I2 established a context");
    assert_eq!(
        host.context(tag).map(|ctx| ctx.state()),
        Some(ContextState::Established)
    );
    host.remove_context(tag);
    elapsed
}

/// A step whose whole body is timed.
fn timed<'a>(mut work: impl FnMut() + 'a) -> Box<dyn FnMut() -> Duration + 'a> {
    Box::new(move || {
        let began = Instant::now();
        work();
        began.elapsed()
    })
}

fn summarise(scenario: &'static str, step: &'static str, mut times: Vec<Duration>) -> Row {
    times.sort();
    let count = times.len();
    // Nearest-rank percentiles: always an observed value.
    let rank =
        |fraction: f64| times[((fraction * count as f64).ceil() as usize).clamp(1, count) - 1];
    Row {
        scenario,
        step,
        iterations: count,
        median: rank(0.5),
        p95: rank(0.95),
    }
}

fn micros(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1e6
}

/// Rounded to 0.001 µs: the clock cannot do better, and the JSON stays free
/// of binary-fraction noise such as 0.29400000000000004.
fn nanosecond_precision(value_us: f64) -> f64 {
    (value_us * 1e3).round() / 1e3
}

fn print_table(scenarios: &[Scenario], rows: &[Row]) {
    for scenario in scenarios {
        println!(
            "{}: {} ({} octets)",
            scenario.name,
            scenario.description,
            scenario.received.bytes.len()
        );
    }
    println!(
        "\n{:<14} {:<31} {:>6} {:>12} {:>12}",
        "scenario", "step", "runs", "median µs", "p95 µs"
    );
    for row in rows {
        println!(
            "{:<14} {:<31} {:>6} {:>12.2} {:>12.2}",
            row.scenario,
            row.step,
            row.iterations,
            micros(row.median),
            micros(row.p95)
        );
    }
}

fn output_dir() -> PathBuf {
    match std::env::var_os("SHIM6_BENCH_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench-results"),
    }
}

fn save(scenarios: &[Scenario], rows: &[Row]) {
    let dir = output_dir();
    if let Err(e) = std::fs::create_dir_all(&dir) {
        eprintln!("cannot create {}: {e}", dir.display());
        return;
    }
    let scenario_info: serde_json::Map<String, serde_json::Value> = scenarios
        .iter()
        .map(|scenario| {
            (
                scenario.name.to_string(),
                serde_json::json!({
                    "description": scenario.description,
                    "i2_octets": scenario.received.bytes.len(),
                }),
            )
        })
        .collect();
    let results: Vec<serde_json::Value> = rows
        .iter()
        .map(|row| {
            serde_json::json!({
                "scenario": row.scenario,
                "step": row.step,
                "iterations": row.iterations,
                "median_us": nanosecond_precision(micros(row.median)),
                "p95_us": nanosecond_precision(micros(row.p95)),
            })
        })
        .collect();
    let json = serde_json::json!({
        "benchmark": "shim6-cga i2",
        "warmup_runs": WARMUP,
        "scenarios": scenario_info,
        "results": results,
    });
    let mut csv = String::from("scenario,step,iterations,median_us,p95_us\n");
    for row in rows {
        csv.push_str(&format!(
            "{},{},{},{:.3},{:.3}\n",
            row.scenario,
            row.step,
            row.iterations,
            micros(row.median),
            micros(row.p95)
        ));
    }
    let json = serde_json::to_string_pretty(&json).expect("JSON") + "\n";
    for (name, contents) in [("i2.json", json), ("i2.csv", csv)] {
        let path = dir.join(name);
        match std::fs::write(&path, contents) {
            Ok(()) => println!("wrote {}", path.display()),
            Err(e) => eprintln!("cannot write {}: {e}", path.display()),
        }
    }
}
