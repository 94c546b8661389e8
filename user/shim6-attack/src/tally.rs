//! What an attack sent and what came back: printed as one JSON line.

use std::collections::BTreeMap;
use std::time::Duration;

use serde::Serialize;

#[derive(Debug, Clone, Default, Serialize)]
pub struct Tally {
    /// The subcommand.
    pub attack: String,
    /// Messages sent, by name (`i1`, `i2`, `i2_replayed`, `keepalive`, …).
    pub sent: BTreeMap<String, u64>,
    /// Shim6 headers received, by name (`r1`, `r2`, `r1bis`, `payload`,
    /// `malformed`, …), whoever they were for.
    pub received: BTreeMap<String, u64>,
    /// Sends the kernel refused (e.g. no route, a full queue).
    pub send_errors: u64,
    /// The first send error, as the kernel said it.
    pub first_send_error: Option<String>,
    /// Wall time of the attack.
    pub seconds: f64,
    /// Messages sent per second over `seconds`.
    pub rate: f64,
    /// Subcommand-specific findings (e.g. the tag an R2 gave us).
    pub notes: BTreeMap<String, String>,
}

impl Tally {
    pub fn new(attack: &str) -> Tally {
        Tally {
            attack: attack.to_owned(),
            ..Tally::default()
        }
    }

    pub fn count_sent(&mut self, what: &str) {
        *self.sent.entry(what.to_owned()).or_default() += 1;
    }

    pub fn count_received(&mut self, what: &str) {
        *self.received.entry(what.to_owned()).or_default() += 1;
    }

    pub fn received(&self, what: &str) -> u64 {
        self.received.get(what).copied().unwrap_or(0)
    }

    pub fn count_send_error(&mut self, error: &std::io::Error) {
        self.send_errors += 1;
        self.first_send_error
            .get_or_insert_with(|| error.to_string());
    }

    pub fn note(&mut self, key: &str, value: impl ToString) {
        self.notes.insert(key.to_owned(), value.to_string());
    }

    /// Sets `seconds` and `rate` from the attack's duration.
    pub fn finish(&mut self, elapsed: Duration) {
        self.seconds = elapsed.as_secs_f64();
        let sent: u64 = self.sent.values().sum();
        self.rate = if self.seconds > 0.0 {
            sent as f64 / self.seconds
        } else {
            0.0
        };
    }

    pub fn to_json_line(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|e| format!("{{\"error\":\"{e}\"}}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_rate_reach_the_json_line() {
        let mut tally = Tally::new("flood-i1");
        for _ in 0..10 {
            tally.count_sent("i1");
        }
        tally.count_received("r1");
        tally.finish(Duration::from_secs(2));
        let json: serde_json::Value = serde_json::from_str(&tally.to_json_line()).unwrap();
        assert_eq!(json["attack"], "flood-i1");
        assert_eq!(json["sent"]["i1"], 10);
        assert_eq!(json["received"]["r1"], 1);
        assert_eq!(json["rate"], 5.0);
        assert!(!tally.to_json_line().contains('\n'));
    }
}
