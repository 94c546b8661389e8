//! `cgatool hba`

use super::{check_threads, generation_error, hex, parse_prefix, parse_sec, print_json};
use crate::cli::HbaArgs;
use crate::error::{fail, CliError};
use crate::files::{read_private_key, write_file};
use crate::progress::{search_options, ProgressLine};
use shim6_cga::{generate_hba_set, public_key_der, HbaKey, Prefix64};

pub fn run(args: HbaArgs, json: bool) -> Result<(), CliError> {
    let sec = parse_sec(args.sec)?;
    let prefixes = args
        .prefixes
        .iter()
        .map(|p| parse_prefix(p))
        .collect::<Result<Vec<Prefix64>, _>>()?;
    let public_key = match &args.key {
        Some(path) => Some(
            public_key_der(&read_private_key(path)?.to_public_key()).map_err(|e| fail!("{e}"))?,
        ),
        None => None,
    };
    let key = public_key.as_deref().map_or(HbaKey::Pure, HbaKey::Cga);

    let line = ProgressLine::new();
    let report = |p| line.report(p);
    let outcome = generate_hba_set(
        &prefixes,
        sec,
        key,
        &search_options(check_threads(args.threads)?, &report),
    );
    line.finish();
    let set = outcome.map_err(generation_error)?;

    let mut files = Vec::new();
    if let Some(dir) = &args.out_dir {
        std::fs::create_dir_all(dir)
            .map_err(|e| fail!("cannot create directory {}: {e}", dir.display()))?;
        for (index, params) in set.params.iter().enumerate() {
            let path = dir.join(format!("hba-{}.params", index + 1));
            write_file(&path, &params.encode())?;
            files.push(path.display().to_string());
        }
    }
    if json {
        let members: Vec<_> = set
            .addresses
            .iter()
            .zip(&set.params)
            .enumerate()
            .map(|(index, (address, params))| {
                serde_json::json!({
                    "address": address.to_string(),
                    "params_file": files.get(index),
                    "params_hex": hex(&params.encode()),
                })
            })
            .collect();
        print_json(&serde_json::json!({
            "sec": sec.value(),
            "public_key_present": public_key.is_some(),
            "modifier": hex(&set.params[0].modifier),
            "modifiers_tried": set.modifiers_tried,
            "seconds": set.search_time.as_secs_f64(),
            "members": members,
        }));
    } else {
        for address in &set.addresses {
            println!("{address}");
        }
        let kind = if public_key.is_some() {
            "CGA-compatible (P = 1)"
        } else {
            "pure HBA (P = 0)"
        };
        eprintln!(
            "{kind} set of {} addresses at Sec {sec}",
            set.addresses.len()
        );
        for file in &files {
            eprintln!("wrote {file}");
        }
    }
    Ok(())
}
