//! `shim6ctl monitor`: prints the module's events as they come, one line
//! each, until --count events or --timeout seconds.

use std::io::Write;
use std::time::{Duration, Instant};

use shim6_netlink::{Client, Error};

use crate::cli::MonitorArgs;
use crate::event_output::{event_json, event_text};
use crate::failure::Failure;

/// `--timeout`: seconds, fractions allowed.
pub fn parse_seconds(text: &str) -> Result<Duration, String> {
    let seconds: f64 = text
        .parse()
        .map_err(|_| "not a number of seconds".to_owned())?;
    Duration::try_from_secs_f64(seconds).map_err(|_| "not a number of seconds from 0 on".to_owned())
}

/// Prints events to `out` until the count or the deadline.  Lost and
/// malformed events are reported on stderr and monitoring goes on.
pub fn monitor(
    client: &Client,
    args: &MonitorArgs,
    json: bool,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let mut events = client.subscribe_events()?;
    let deadline = args
        .timeout
        .and_then(|timeout| Instant::now().checked_add(timeout));
    let mut seen: u64 = 0;
    while args.count.is_none_or_less(seen) {
        let wait = deadline.map(|deadline| deadline.saturating_duration_since(Instant::now()));
        match events.next_event(wait) {
            Ok(event) => {
                let line = if json {
                    event_json(&event)
                } else {
                    event_text(&event)
                };
                out.write_all(line.as_bytes()).map_err(Failure::Output)?;
                out.flush().map_err(Failure::Output)?;
                seen += 1;
            }
            Err(Error::Timeout) => {
                return match args.count {
                    Some(wanted) => Err(Failure::TooFewEvents { seen, wanted }),
                    None => Ok(()),
                }
            }
            Err(Error::Overrun) => eprintln!("shim6ctl: events were lost (receive buffer overrun)"),
            Err(Error::Malformed(error)) => {
                eprintln!("shim6ctl: skipped a malformed event: {error}")
            }
            Err(other) => return Err(other.into()),
        }
    }
    Ok(())
}

/// `count.is_none_or(|c| seen < c)`, which needs a newer Rust.
trait CountLeft {
    fn is_none_or_less(&self, seen: u64) -> bool;
}

impl CountLeft for Option<u64> {
    fn is_none_or_less(&self, seen: u64) -> bool {
        self.map_or(true, |count| seen < count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_may_have_fractions_but_not_signs_or_words() {
        assert_eq!(parse_seconds("2"), Ok(Duration::from_secs(2)));
        assert_eq!(parse_seconds("0.25"), Ok(Duration::from_millis(250)));
        assert_eq!(parse_seconds("0"), Ok(Duration::ZERO));
        for bad in ["-1", "NaN", "inf", "1e400", "soon", ""] {
            assert!(parse_seconds(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn counting_stops_at_the_count() {
        assert!(None.is_none_or_less(u64::MAX));
        assert!(Some(2).is_none_or_less(1));
        assert!(!Some(2).is_none_or_less(2));
    }
}
