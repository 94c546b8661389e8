//! Context tags on the command line: decimal or 0x-hex in, hex out.

use shim6_netlink::family::TAG_MAX;

/// A non-zero 47-bit tag, in decimal (`4660`) or hex (`0x1234`).
pub fn parse_tag(text: &str) -> Result<u64, String> {
    let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => text.parse(),
    };
    // from_str_radix takes a leading '+': a tag is digits only.
    let digits = text.trim_start_matches("0x").trim_start_matches("0X");
    let tag = match parsed {
        Ok(tag) if !digits.starts_with('+') => tag,
        _ => return Err("not a number (give decimal or 0x-hex)".to_owned()),
    };
    if tag == 0 {
        return Err("context tags are not 0".to_owned());
    }
    if tag > TAG_MAX {
        return Err(format!(
            "{} is over 47 bits (the largest tag is {})",
            format_tag(tag),
            format_tag(TAG_MAX)
        ));
    }
    Ok(tag)
}

/// `0x1234`.
pub fn format_tag(tag: u64) -> String {
    format!("{tag:#x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_and_hex_are_the_same_tag() {
        assert_eq!(parse_tag("4660"), Ok(0x1234));
        assert_eq!(parse_tag("0x1234"), Ok(0x1234));
        assert_eq!(parse_tag("0X1234"), Ok(0x1234));
        assert_eq!(parse_tag("0x7fffffffffff"), Ok(TAG_MAX));
    }

    #[test]
    fn out_of_range_tags_are_refused_with_a_reason() {
        assert_eq!(
            parse_tag("0x800000000000"),
            Err("0x800000000000 is over 47 bits (the largest tag is 0x7fffffffffff)".into())
        );
        assert_eq!(parse_tag("0"), Err("context tags are not 0".into()));
        for junk in [
            "",
            "0x",
            "-1",
            "+5",
            "0x+5",
            "12a",
            "tag",
            "99999999999999999999",
        ] {
            assert!(parse_tag(junk).is_err(), "{junk:?} was accepted");
        }
    }

    #[test]
    fn tags_print_in_hex() {
        assert_eq!(format_tag(0x1234), "0x1234");
        assert_eq!(format_tag(1), "0x1");
    }
}
