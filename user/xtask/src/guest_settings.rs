//! Benchmark settings passed from the host's environment to a guest
//! script, as `NAME='value' ` assignments in front of its command line.

use crate::step;

/// The settings prefix for `names` from the host's environment.  `step`
/// and `example` name the benchmark and a valid setting in the error.
pub fn from_env(step: &str, names: &[&str], example: &str) -> step::Result<String> {
    from_lookup(step, names, example, |name| std::env::var(name).ok())
}

/// The settings prefix from `lookup`.  It ends up in a shell command line,
/// so only digits and spaces are let through.
fn from_lookup(step: &str, names: &[&str], example: &str, lookup: impl Fn(&str) -> Option<String>) -> step::Result<String> {
    let mut prefix = String::new();
    for name in names {
        let Some(value) = lookup(name) else { continue };
        if value.trim().is_empty() || !value.chars().all(|c| c.is_ascii_digit() || c == ' ') {
            return Err(step::fail(step, *name, format!("'{value}' is not a list of whole numbers (e.g. {example})")));
        }
        prefix.push_str(&format!("{name}='{}' ", value.trim()));
    }
    Ok(prefix)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NAMES: &[&str] = &["ART_FAILURES", "ART_TSEND"];

    fn lookup(name: &'static str, value: &'static str) -> impl Fn(&str) -> Option<String> {
        move |asked| (asked == name).then(|| value.to_string())
    }

    #[test]
    fn settings_pass_whole_numbers_and_refuse_anything_else() {
        assert_eq!(from_lookup("b", NAMES, "", lookup("ART_TSEND", " 1 2 ")).unwrap(), "ART_TSEND='1 2' ");
        assert_eq!(from_lookup("b", NAMES, "", |_| None).unwrap(), "");
        assert!(from_lookup("b", NAMES, "", lookup("ART_FAILURES", "3; reboot")).is_err());
        assert!(from_lookup("b", NAMES, "", lookup("ART_FAILURES", "")).is_err());
    }

    #[test]
    fn names_not_asked_for_stay_out() {
        assert_eq!(from_lookup("b", NAMES, "", lookup("BENCH_ROUNDS", "9")).unwrap(), "");
    }
}
