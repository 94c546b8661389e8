//! Counting results across the host tests, the fuzz runs and the VM
//! scenarios, for the one closing `N passed, N failed` line.

#[derive(Default)]
pub struct Tally {
    pub passed: usize,
    pub failed: usize,
    pub failures: Vec<String>,
}

impl Tally {
    pub fn pass(&mut self, n: usize) {
        self.passed += n;
    }

    pub fn fail(&mut self, what: impl Into<String>) {
        self.failed += 1;
        self.failures.push(what.into());
    }

    /// Adds the counts of cargo's `test result:` summary lines.
    pub fn add_cargo_output(&mut self, output: &str) -> usize {
        let mut seen = 0;
        for line in output.lines() {
            if let Some((passed, failed)) = parse_cargo_result(line) {
                self.passed += passed;
                if failed > 0 {
                    self.failed += failed;
                    self.failures.push(format!("{failed} cargo test(s): {}", line.trim()));
                }
                seen += 1;
            }
        }
        seen
    }

    /// Adds the `PASS:` / `FAIL:` lines of the VM scenarios.
    pub fn add_scenario_lines<'a>(&mut self, lines: impl IntoIterator<Item = &'a str>) -> usize {
        let mut seen = 0;
        for line in lines {
            let line = line.trim();
            if line.starts_with("PASS:") {
                self.passed += 1;
                seen += 1;
            } else if let Some(rest) = line.strip_prefix("FAIL:") {
                self.fail(format!("vm:{rest}"));
                seen += 1;
            }
        }
        seen
    }

    pub fn summary(&self) -> String {
        format!("{} passed, {} failed", self.passed, self.failed)
    }
}

/// `test result: ok. 12 passed; 0 failed; ...` -> (12, 0)
fn parse_cargo_result(line: &str) -> Option<(usize, usize)> {
    let rest = line.trim().strip_prefix("test result: ")?;
    let number_before = |word: &str| -> Option<usize> {
        let idx = rest.find(word)?;
        rest[..idx].trim_end().rsplit([' ', '.']).next()?.parse().ok()
    };
    Some((number_before(" passed")?, number_before(" failed")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_summary_lines_are_counted() {
        let mut t = Tally::default();
        let out = "running 3 tests\ntest a ... ok\n\
                   test result: ok. 3 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.01s\n\
                   test result: FAILED. 4 passed; 2 failed; 1 ignored; 0 measured; 0 filtered out\n";
        assert_eq!(t.add_cargo_output(out), 2);
        assert_eq!((t.passed, t.failed), (7, 2));
        assert_eq!(t.failures.len(), 1);
    }

    #[test]
    fn scenario_lines_are_counted() {
        let mut t = Tally::default();
        let n = t.add_scenario_lines(["PASS: a", "noise", "FAIL: b - why", "  PASS: c"]);
        assert_eq!(n, 3);
        assert_eq!(t.summary(), "2 passed, 1 failed");
        assert_eq!(t.failures, vec!["vm: b - why".to_string()]);
    }

    #[test]
    fn malformed_summary_is_ignored() {
        let mut t = Tally::default();
        assert_eq!(t.add_cargo_output("test result: ok. many passed; 0 failed"), 0);
        assert_eq!(t.summary(), "0 passed, 0 failed");
    }
}
