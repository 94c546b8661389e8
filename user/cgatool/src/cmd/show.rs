//! `cgatool show`

use super::{hex, print_json};
use crate::cli::ShowArgs;
use crate::error::CliError;
use crate::files::read_params;
use shim6_cga::address::prefix_as_address;
use shim6_cga::hash::{hash2_of_params, leading_zero_bits};
use shim6_cga::key::{key_bits, public_key_from_der};
use shim6_cga::{cga_address, Sec, MULTI_PREFIX_EXT_TYPE};

pub fn run(args: ShowArgs, json: bool) -> Result<(), CliError> {
    let (bytes, params) = read_params(&args.params)?;
    let zero_bits = leading_zero_bits(&hash2_of_params(&params));
    // Highest Sec the modifier satisfies, and the address at each usable Sec.
    let usable: Vec<Sec> = (0..=2)
        .filter_map(|v| Sec::new(v).ok())
        .filter(|s| s.hash2_zero_bits() <= zero_bits)
        .collect();
    let rsa_bits = public_key_from_der(&params.public_key)
        .ok()
        .map(|k| key_bits(&k));
    let multi_prefix = params.multi_prefix().ok().flatten();
    let other_extensions: Vec<_> = params
        .extensions
        .iter()
        .filter(|e| e.ext_type() != MULTI_PREFIX_EXT_TYPE)
        .collect();

    if json {
        print_json(&serde_json::json!({
            "length": bytes.len(),
            "modifier": hex(&params.modifier),
            "subnet_prefix": format!("{}/64", params.subnet_prefix_address()),
            "collision_count": params.collision_count,
            "public_key_length": params.public_key.len(),
            "public_key_rsa_bits": rsa_bits,
            "hash2_leading_zero_bits": zero_bits,
            "addresses": usable.iter().map(|s| serde_json::json!({"sec": s.value(), "address": cga_address(&params, *s).to_string()})).collect::<Vec<_>>(),
            "multi_prefix": multi_prefix.as_ref().map(|m| serde_json::json!({
                "public_key_present": m.public_key_present,
                "prefixes": m.prefixes.iter().map(|p| format!("{}/64", prefix_as_address(p))).collect::<Vec<_>>(),
            })),
            "other_extensions": other_extensions.iter().map(|e| serde_json::json!({"type": e.ext_type(), "data": hex(e.data())})).collect::<Vec<_>>(),
        }));
        return Ok(());
    }
    println!("length:          {} octets", bytes.len());
    println!("modifier:        {}", hex(&params.modifier));
    println!("subnet prefix:   {}/64", params.subnet_prefix_address());
    println!("collision count: {}", params.collision_count);
    match rsa_bits {
        Some(bits) => println!(
            "public key:      RSA {bits} bits ({} octets DER)",
            params.public_key.len()
        ),
        None => println!(
            "public key:      {} octets DER, not a usable RSA key",
            params.public_key.len()
        ),
    }
    println!("hash2:           {zero_bits} leading zero bits");
    for sec in &usable {
        println!("address (Sec {sec}): {}", cga_address(&params, *sec));
    }
    if let Some(set) = &multi_prefix {
        let kind = if set.public_key_present {
            "P = 1, real public key"
        } else {
            "P = 0, pure HBA"
        };
        println!("multi-prefix:    {} prefixes ({kind})", set.prefixes.len());
        for prefix in &set.prefixes {
            println!("  {}/64", prefix_as_address(prefix));
        }
    }
    for extension in other_extensions {
        println!(
            "extension:       type {:#06x}, {} octets: {}",
            extension.ext_type(),
            extension.data().len(),
            hex(extension.data())
        );
    }
    Ok(())
}
