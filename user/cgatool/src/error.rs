//! The tool's error: a message that names the problem, and an exit code.

use std::fmt;

#[derive(Debug)]
pub enum CliError {
    /// Bad input or a failed check: exit 1.
    Failed(String),
    /// Stopped by Ctrl-C: exit 130, as shells report SIGINT.
    Cancelled(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Failed(_) => 1,
            CliError::Cancelled(_) => 130,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Failed(message) | CliError::Cancelled(message) => f.write_str(message),
        }
    }
}

/// Shorthand for `CliError::Failed(format!(...))`.
macro_rules! fail {
    ($($arg:tt)*) => { $crate::error::CliError::Failed(format!($($arg)*)) };
}
pub(crate) use fail;
