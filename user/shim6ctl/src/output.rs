//! Rendering `get-info` results as text (nstat-like columns) and JSON.
//!
//! Text:
//! ```text
//! #shim6 version 0.1.0
//! Shim6InfoRequests                              3
//! ```
//! JSON (one object, one line, counters in the module's order):
//! `{"version":"0.1.0","stats":{"Shim6InfoRequests":3}}`; `stats` prints
//! the same without `version`.

use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use shim6_netlink::Info;

/// Width of the name column, as nstat's.
const NAME_WIDTH: usize = 32;
/// Width of the right-aligned value column.
const VALUE_WIDTH: usize = 16;

/// Counters as a JSON object, keeping the module's order.
struct Counters<'a>(&'a [(String, u64)]);

impl Serialize for Counters<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[derive(Serialize)]
struct InfoJson<'a> {
    version: &'a str,
    stats: Counters<'a>,
}

#[derive(Serialize)]
struct StatsJson<'a> {
    stats: Counters<'a>,
}

/// One line per counter: name left, value right-aligned.
pub fn stats_text(stats: &[(String, u64)]) -> String {
    let longest = stats.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    let name_width = NAME_WIDTH.max(longest + 1);
    stats
        .iter()
        .map(|(name, value)| format!("{name:<name_width$}{value:>VALUE_WIDTH$}\n"))
        .collect()
}

pub fn info_text(info: &Info) -> String {
    format!(
        "#shim6 version {}\n{}",
        info.version,
        stats_text(&info.stats)
    )
}

pub fn info_json(info: &Info) -> String {
    json_line(&InfoJson {
        version: &info.version,
        stats: Counters(&info.stats),
    })
}

pub fn stats_json(stats: &[(String, u64)]) -> String {
    json_line(&StatsJson {
        stats: Counters(stats),
    })
}

pub fn json_line(value: &impl Serialize) -> String {
    // Strings, integers, options and arrays only: serialisation cannot fail.
    let mut line = serde_json::to_string(value).unwrap_or_default();
    line.push('\n');
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Info {
        Info {
            version: "0.1.0".into(),
            stats: vec![
                ("Shim6InfoRequests".into(), 3),
                ("Shim6ZzzLast".into(), 12_345_678_901),
            ],
        }
    }

    #[test]
    fn text_has_nstat_columns() {
        assert_eq!(
            info_text(&sample()),
            concat!(
                "#shim6 version 0.1.0\n",
                "Shim6InfoRequests                              3\n",
                "Shim6ZzzLast                         12345678901\n",
            )
        );
    }

    #[test]
    fn long_names_widen_the_name_column() {
        let name = "Shim6AVeryLongCounterNameThatGoesOnAndOn";
        let text = stats_text(&[(name.into(), 1), ("Short".into(), 2)]);
        let lines: Vec<_> = text.lines().collect();
        assert_eq!(lines[0], format!("{name} {:>16}", 1));
        assert_eq!(lines[0].len(), lines[1].len());
        assert!(lines[1].ends_with(" 2"));
    }

    #[test]
    fn no_counters_no_lines() {
        assert_eq!(stats_text(&[]), "");
    }

    #[test]
    fn json_keeps_the_module_order() {
        let info = Info {
            version: "0.1.0".into(),
            stats: vec![("Zeta".into(), 1), ("Alpha".into(), 2)],
        };
        assert_eq!(
            info_json(&info),
            "{\"version\":\"0.1.0\",\"stats\":{\"Zeta\":1,\"Alpha\":2}}\n"
        );
        assert_eq!(
            stats_json(&info.stats),
            "{\"stats\":{\"Zeta\":1,\"Alpha\":2}}\n"
        );
    }

    #[test]
    fn json_escapes_and_reads_back() {
        let info = Info {
            version: "1.0 \"beta\"".into(),
            stats: vec![("A\\B".into(), u64::MAX)],
        };
        let value: serde_json::Value = serde_json::from_str(&info_json(&info)).unwrap();
        assert_eq!(value["version"], "1.0 \"beta\"");
        assert_eq!(value["stats"]["A\\B"], u64::MAX);
    }
}
