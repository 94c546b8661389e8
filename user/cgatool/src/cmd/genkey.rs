//! `cgatool genkey`

use super::print_json;
use crate::cli::GenkeyArgs;
use crate::error::{fail, CliError};
use crate::files::write_private_key;
use shim6_cga::{generate_rsa_key, MIN_SHIM6_RSA_BITS};

const MAX_BITS: usize = 16384;

pub fn run(args: GenkeyArgs, json: bool) -> Result<(), CliError> {
    if args.bits < MIN_SHIM6_RSA_BITS {
        return Err(fail!(
            "key size {} bits is below the {MIN_SHIM6_RSA_BITS}-bit minimum Shim6 requires",
            args.bits
        ));
    }
    if args.bits > MAX_BITS {
        return Err(fail!(
            "key size {} bits is above the supported maximum of {MAX_BITS}",
            args.bits
        ));
    }
    let key = generate_rsa_key(args.bits).map_err(|e| fail!("{e}"))?;
    write_private_key(&args.out, &key)?;
    if json {
        print_json(
            &serde_json::json!({ "bits": args.bits, "file": args.out.display().to_string() }),
        );
    } else {
        eprintln!(
            "wrote a {}-bit RSA key to {}",
            args.bits,
            args.out.display()
        );
    }
    Ok(())
}
