//! `shim6ctl --batch FILE`: one command a line, all on one netlink socket,
//! as `ip -batch` does: thousands of changes without a process each.
//!
//! A line holds the words of one command line after `shim6ctl` (no
//! quoting: no argument contains a space); blank lines and lines starting
//! with `#` are skipped.  Every line is checked before the first runs, so
//! a typo on line 900 changes nothing; the first command that fails stops
//! the batch, and the error names its line.

use std::fmt;

/// A line of a batch that is not a command `shim6ctl` takes.
#[derive(Debug)]
pub struct BatchUsageError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for BatchUsageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The commands of `text`, each with its line number (from 1) and its
/// words; `parse` turns the words into a command or a usage message.
pub fn commands<T>(
    text: &str,
    mut parse: impl FnMut(&[&str]) -> Result<T, String>,
) -> Result<Vec<(usize, T)>, BatchUsageError> {
    let mut commands = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words.first().is_none_or(|word| word.starts_with('#')) {
            continue;
        }
        let line = index + 1;
        let command = parse(&words).map_err(|message| BatchUsageError { line, message })?;
        commands.push((line, command));
    }
    Ok(commands)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Result<Vec<(usize, String)>, BatchUsageError> {
        commands(text, |words| match words {
            ["bad", ..] => Err(format!("'{}' is no command", words.join(" "))),
            _ => Ok(words.join(" ")),
        })
    }

    #[test]
    fn lines_are_numbered_and_blank_or_comment_lines_skipped() {
        let got = words("ctx show\n\n   # a comment\nctx  del\t0x1  \n").unwrap();
        assert_eq!(
            got,
            vec![(1, "ctx show".to_string()), (4, "ctx del 0x1".to_string())]
        );
    }

    #[test]
    fn the_first_bad_line_is_named() {
        let error = words("ctx show\nbad one\nbad two\n").unwrap_err();
        assert_eq!(error.to_string(), "line 2: 'bad one' is no command");
    }

    #[test]
    fn an_empty_batch_has_no_command() {
        assert!(words("").unwrap().is_empty());
        assert!(words("# nothing\n\n").unwrap().is_empty());
    }
}
