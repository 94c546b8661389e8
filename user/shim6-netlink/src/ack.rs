//! `NLMSG_ERROR` payloads: acks, refusals and extended acks
//! (`struct nlmsgerr` followed by `NLMSGERR_ATTR_*` attributes).

use crate::attr::{align4, Attrs};
use crate::error::{KernelError, ParseError};
use crate::message::{NlMsgHeader, NLMSG_HDRLEN, NLM_F_ACK_TLVS, NLM_F_CAPPED};

/// Extended ack attributes.
pub const NLMSGERR_ATTR_MSG: u16 = 1;
pub const NLMSGERR_ATTR_OFFS: u16 = 2;

/// Decodes an `NLMSG_ERROR` payload; `flags` are the flags of the error
/// message itself.  `Ok(None)` is a positive ack (error code 0).
pub fn parse_error_message(flags: u16, payload: &[u8]) -> Result<Option<KernelError>, ParseError> {
    let Some((code, rest)) = payload.split_first_chunk::<4>() else {
        return Err(ParseError::Truncated {
            what: "netlink error code",
            need: 4,
            have: payload.len(),
        });
    };
    let code = i32::from_ne_bytes(*code);
    if code == 0 {
        return Ok(None);
    }
    let errno = code
        .checked_neg()
        .filter(|errno| *errno > 0)
        .ok_or(ParseError::BadErrorCode { code })?;

    // The request's header is echoed, and its payload too unless capped.
    let request = NlMsgHeader::parse(rest)?;
    let echoed = if flags & NLM_F_CAPPED != 0 {
        NLMSG_HDRLEN
    } else {
        let len = usize::try_from(request.len).unwrap_or(usize::MAX);
        if len < NLMSG_HDRLEN {
            return Err(ParseError::BadLength {
                what: "echoed request",
                len,
            });
        }
        len
    };
    if echoed > rest.len() {
        return Err(ParseError::Truncated {
            what: "echoed request",
            need: echoed,
            have: rest.len(),
        });
    }

    let mut error = KernelError {
        errno,
        message: None,
        offset: None,
    };
    if flags & NLM_F_ACK_TLVS != 0 {
        let tlvs = &rest[align4(echoed).min(rest.len())..];
        for attr in Attrs::new(tlvs) {
            let attr = attr?;
            match attr.kind() {
                // Lenient: a garbled message is still worth showing.
                NLMSGERR_ATTR_MSG => {
                    let text = attr.payload().split(|&b| b == 0).next().unwrap_or_default();
                    error.message = Some(String::from_utf8_lossy(text).into_owned());
                }
                NLMSGERR_ATTR_OFFS => error.offset = Some(attr.u32()?),
                _ => {}
            }
        }
    }
    Ok(Some(error))
}

/// Decodes an `NLMSG_DONE` payload: the status of a dump (an `int`, 0 or a
/// negative errno; older kernels may send nothing).
pub fn parse_done_message(payload: &[u8]) -> Result<Option<KernelError>, ParseError> {
    let Some((code, _)) = payload.split_first_chunk::<4>() else {
        return Ok(None);
    };
    match i32::from_ne_bytes(*code) {
        0 => Ok(None),
        code => {
            let errno = code
                .checked_neg()
                .filter(|errno| *errno > 0)
                .ok_or(ParseError::BadErrorCode { code })?;
            Ok(Some(KernelError {
                errno,
                message: None,
                offset: None,
            }))
        }
    }
}
