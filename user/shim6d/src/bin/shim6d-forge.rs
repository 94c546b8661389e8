//! `shim6d-forge`: sends one forged Update Request, for the VM tests that
//! check a daemon refuses (and counts) a Locator List it cannot verify.
//!
//! ```text
//! shim6d-forge --from ADDR --to ADDR --tag TAG --params HEX --kind KIND
//!   --from    our address the forgery claims to come from (the ULID)
//!   --to      the victim daemon's address
//!   --tag     the victim's context tag (its CT(local)), decimal or 0x-hex
//!   --params  the CGA Parameters (hex) of --from, as `identity` shows them
//!   --kind    bad-signature: CGA locators, a signature of garbage
//!             outside-hba:   HBA locators, one outside the HBA set
//! ```
//!
//! Exit status 0 when the packet was sent, 2 on a usage error, 1 otherwise.

use std::net::Ipv6Addr;
use std::process::ExitCode;

use shim6_proto::wire::{
    ContextTag, Locator, LocatorList, Message, Options, UpdateRequest, VerificationMethod,
};
use shim6d::hex;
use shim6d::sys::raw_socket::RawShim6Socket;

/// An address no HBA set of the test topology contains.
const OUTSIDE_ADDRESS: Ipv6Addr = Ipv6Addr::new(0x2001, 0xdb8, 0xa1, 0, 0xdead, 0, 0, 1);
/// Length of the fake RSA signature (a 1024-bit key signs 128 octets).
const FAKE_SIGNATURE_LEN: usize = 128;

struct Forgery {
    from: Ipv6Addr,
    to: Ipv6Addr,
    tag: ContextTag,
    params: Vec<u8>,
    outside_hba: bool,
}

fn parse_tag(text: &str) -> Result<ContextTag, String> {
    let value = match text.strip_prefix("0x") {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    }
    .map_err(|error| format!("--tag {text}: {error}"))?;
    ContextTag::new(value).ok_or_else(|| format!("--tag {text}: not a 47-bit tag"))
}

fn parse_arguments() -> Result<Forgery, String> {
    let mut words = std::env::args().skip(1);
    let (mut from, mut to, mut tag, mut params, mut kind) = (None, None, None, None, None);
    while let Some(word) = words.next() {
        let value = words
            .next()
            .ok_or_else(|| format!("{word} needs a value"))?;
        match word.as_str() {
            "--from" => from = Some(value.parse().map_err(|e| format!("--from {value}: {e}"))?),
            "--to" => to = Some(value.parse().map_err(|e| format!("--to {value}: {e}"))?),
            "--tag" => tag = Some(parse_tag(&value)?),
            "--params" => {
                params =
                    Some(hex::decode(&value).ok_or_else(|| format!("--params: not hex: {value}"))?)
            }
            "--kind" => {
                kind = Some(match value.as_str() {
                    "bad-signature" => false,
                    "outside-hba" => true,
                    other => {
                        return Err(format!("--kind {other}: want bad-signature or outside-hba"))
                    }
                })
            }
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(Forgery {
        from: from.ok_or("--from is missing")?,
        to: to.ok_or("--to is missing")?,
        tag: tag.ok_or("--tag is missing")?,
        params: params.ok_or("--params is missing")?,
        outside_hba: kind.ok_or("--kind is missing")?,
    })
}

fn forged_update(forgery: &Forgery) -> Message {
    let (method, extra) = if forgery.outside_hba {
        (VerificationMethod::Hba, OUTSIDE_ADDRESS)
    } else {
        (VerificationMethod::Cga, OUTSIDE_ADDRESS)
    };
    let locators = LocatorList {
        generation: 0x0bad_0bad,
        locators: [forgery.from, extra]
            .into_iter()
            .map(|addr| Locator { addr, method })
            .collect(),
    };
    Message::UpdateRequest(UpdateRequest {
        receiver_tag: forgery.tag,
        request_nonce: 0x0f0f_0f0f,
        options: Options {
            locator_list: Some(locators),
            cga_parameters: Some(forgery.params.clone()),
            cga_signature: (!forgery.outside_hba).then(|| vec![0x5a; FAKE_SIGNATURE_LEN]),
            ..Options::default()
        },
    })
}

fn main() -> ExitCode {
    let forgery = match parse_arguments() {
        Ok(forgery) => forgery,
        Err(error) => {
            eprintln!("shim6d-forge: {error}");
            return ExitCode::from(2);
        }
    };
    let sent = RawShim6Socket::open().and_then(|socket| {
        // The forgery goes from ULID to ULID, where the module's policy
        // would otherwise rewrite it.
        socket.bypass_xfrm_policies()?;
        let bytes = forged_update(&forgery)
            .to_bytes()
            .map_err(|error| std::io::Error::other(error.to_string()))?;
        socket.send(forgery.from, forgery.to, &bytes)
    });
    match sent {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("shim6d-forge: {error}");
            ExitCode::from(1)
        }
    }
}
