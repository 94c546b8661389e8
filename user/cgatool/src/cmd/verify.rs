//! `cgatool verify`

use super::{parse_sec, print_json};
use crate::cli::VerifyArgs;
use crate::error::{fail, CliError};
use crate::files::read_params;
use shim6_cga::address::prefix_of;
use shim6_cga::hash::sec_bits_of;
use shim6_cga::hba::verify_hba_member_params;
use shim6_cga::verify_cga_params;

pub fn run(args: VerifyArgs, json: bool) -> Result<(), CliError> {
    let (_, params) = read_params(&args.params)?;
    if let Some(required) = args.sec {
        let required = parse_sec(required)?;
        let encoded = sec_bits_of(&args.addr);
        if encoded != required.value() {
            return Err(fail!(
                "wrong Sec: {} encodes Sec {encoded}, but --sec {required} was required",
                args.addr
            ));
        }
    }
    // An address on another prefix of the set is checked as an HBA-set member.
    let multi_prefix = params
        .multi_prefix()
        .map_err(|e| fail!("bad parameters file {}: {e}", args.params.display()))?;
    let as_hba_member = multi_prefix.is_some() && prefix_of(&args.addr) != params.subnet_prefix;
    let outcome = if as_hba_member {
        verify_hba_member_params(args.addr, &params)
    } else {
        verify_cga_params(args.addr, &params)
    };
    let sec = outcome.map_err(|e| fail!("verification of {} failed: {e}", args.addr))?;
    let kind = match (&multi_prefix, as_hba_member) {
        (Some(_), true) => "HBA-set member",
        (Some(_), false) => "HBA (its own parameters)",
        (None, _) => "CGA",
    };
    if json {
        print_json(&serde_json::json!({
            "address": args.addr.to_string(),
            "valid": true,
            "kind": kind,
            "sec": sec.value(),
        }));
    } else {
        println!("valid: {} is a {kind} at Sec {sec}", args.addr);
    }
    Ok(())
}
