//! `cgatool gen`

use super::{check_threads, generation_error, hex, parse_prefix, parse_sec, print_json};
use crate::cli::GenArgs;
use crate::error::{fail, CliError};
use crate::files::{read_private_key, write_file};
use crate::progress::{search_options, ProgressLine};
use shim6_cga::{generate_cga, public_key_der};

pub fn run(args: GenArgs, json: bool) -> Result<(), CliError> {
    let sec = parse_sec(args.sec)?;
    let prefix = parse_prefix(&args.prefix)?;
    let key = read_private_key(&args.key)?;
    let public_key = public_key_der(&key.to_public_key()).map_err(|e| fail!("{e}"))?;

    let line = ProgressLine::new();
    let report = |p| line.report(p);
    let outcome = generate_cga(
        prefix,
        &public_key,
        sec,
        vec![],
        &search_options(check_threads(args.threads)?, &report),
    );
    line.finish();
    let generated = outcome.map_err(generation_error)?;

    let encoded = generated.params.encode();
    if let Some(out) = &args.out {
        write_file(out, &encoded)?;
    }
    let seconds = generated.search_time.as_secs_f64();
    if json {
        print_json(&serde_json::json!({
            "address": generated.address.to_string(),
            "sec": sec.value(),
            "modifier": hex(&generated.params.modifier),
            "collision_count": generated.params.collision_count,
            "modifiers_tried": generated.modifiers_tried,
            "seconds": seconds,
            "params_file": args.out.as_ref().map(|p| p.display().to_string()),
            "params_hex": hex(&encoded),
        }));
    } else {
        println!("{}", generated.address);
        eprintln!(
            "Sec {sec}: {} modifiers tried in {seconds:.2} s",
            generated.modifiers_tried
        );
        if let Some(out) = &args.out {
            eprintln!(
                "wrote CGA parameters ({} octets) to {}",
                encoded.len(),
                out.display()
            );
        }
    }
    Ok(())
}
