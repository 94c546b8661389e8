//! The TOML configuration file. Every key is optional and has the default
//! documented in `shim6d.example.toml`; unknown keys are errors so that a
//! typo never silently falls back to a default.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::de::{self, Deserializer, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use shim6_cga::{parse_prefix64, Prefix64, MIN_SHIM6_RSA_BITS};
use shim6_proto::constants::I1_RETRIES_MAX;

pub use crate::limits_config::{BucketConfig, LimitsConfig, RateLimitsConfig};

/// Largest RSA key we generate; bigger keys make every I2/R2 signature slow
/// and the CGA Parameters option would not fit a 1280-octet packet.
pub const MAX_RSA_BITS: usize = 4096;
/// The Keepalive Timeout option carries seconds in 16 bits.
pub const MAX_TIMEOUT_SECS: u64 = u16::MAX as u64;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Config {
    /// Where the key, the generated address parameters and runtime files live.
    pub state_dir: PathBuf,
    /// Unix socket of the control channel.
    pub control_socket: PathBuf,
    /// RSA private key (PEM); relative paths are inside `state_dir`.
    pub key_file: PathBuf,
    pub log_level: LogLevel,
    pub addresses: AddressConfig,
    pub timers: TimerConfig,
    pub limits: LimitsConfig,
    pub rate_limits: RateLimitsConfig,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct AddressConfig {
    pub method: AddressMethod,
    /// CGA Sec parameter (RFC 3972): 0, 1 or 2.
    pub sec: u8,
    pub rsa_bits: usize,
    pub locators: LocatorSource,
    /// Add the generated addresses to the interfaces that hold their prefix.
    pub install: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct TimerConfig {
    /// Our REAP Send Timeout, announced to peers (RFC 5534 §7).
    pub send_timeout_secs: u64,
    /// Keepalive Timeout used when a peer announces none.
    pub keepalive_timeout_secs: u64,
    /// I1 retransmissions before giving up (E-FAILED).
    pub i1_retries: u32,
    /// Contexts without any activity for this long are removed.
    pub idle_gc_secs: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AddressMethod {
    Cga,
    Hba,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogLevel {
    Error,
    Warn,
    Info,
    Debug,
    Trace,
}

/// Which /64 prefixes get a locator: discovered or listed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LocatorSource {
    /// Every /64 of a global IPv6 address on an interface at start-up.
    Auto,
    /// These prefixes, in preference order (the first gives the default ULID).
    Prefixes(Vec<Prefix64>),
}

impl Default for Config {
    fn default() -> Self {
        Config {
            state_dir: PathBuf::from("/var/lib/shim6d"),
            control_socket: PathBuf::from("/run/shim6d.sock"),
            key_file: PathBuf::from("key.pem"),
            log_level: LogLevel::Info,
            addresses: AddressConfig::default(),
            timers: TimerConfig::default(),
            limits: LimitsConfig::default(),
            rate_limits: RateLimitsConfig::default(),
        }
    }
}

impl Default for AddressConfig {
    fn default() -> Self {
        AddressConfig {
            method: AddressMethod::Cga,
            sec: 0,
            rsa_bits: 2048,
            locators: LocatorSource::Auto,
            install: true,
        }
    }
}

impl Default for TimerConfig {
    fn default() -> Self {
        TimerConfig {
            send_timeout_secs: 15,
            keepalive_timeout_secs: 15,
            i1_retries: I1_RETRIES_MAX,
            idle_gc_secs: 600,
        }
    }
}

impl TimerConfig {
    pub fn send_timeout(&self) -> Duration {
        Duration::from_secs(self.send_timeout_secs)
    }

    pub fn keepalive_timeout(&self) -> Duration {
        Duration::from_secs(self.keepalive_timeout_secs)
    }

    pub fn idle_gc(&self) -> Duration {
        Duration::from_secs(self.idle_gc_secs)
    }

    /// Range checks shared by the file and the control channel's
    /// `set-timers`; the error names the key.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        for (key, value) in [
            ("timers.send_timeout_secs", self.send_timeout_secs),
            ("timers.keepalive_timeout_secs", self.keepalive_timeout_secs),
        ] {
            if value == 0 || value > MAX_TIMEOUT_SECS {
                return Err((key, format!("{value} is out of range 1..={MAX_TIMEOUT_SECS} seconds (16-bit field on the wire)")));
            }
        }
        if self.i1_retries > I1_RETRIES_MAX {
            return Err((
                "timers.i1_retries",
                format!(
                    "{} is above {I1_RETRIES_MAX}, the most the protocol core retransmits",
                    self.i1_retries
                ),
            ));
        }
        if self.idle_gc_secs == 0 {
            return Err((
                "timers.idle_gc_secs",
                "0 would remove every context at once; use at least 1".into(),
            ));
        }
        Ok(())
    }
}

impl Config {
    /// The key file as an absolute or state-dir-relative path.
    pub fn key_path(&self) -> PathBuf {
        self.state_dir.join(&self.key_file)
    }

    /// Parses TOML text; `origin` names the file in error messages.
    pub fn from_toml(origin: &Path, text: &str) -> Result<Config, ConfigError> {
        let config: Config = toml::from_str(text).map_err(|error| ConfigError {
            file: origin.to_path_buf(),
            key: None,
            reason: error.to_string(),
        })?;
        config.validate().map_err(|(key, reason)| ConfigError {
            file: origin.to_path_buf(),
            key: Some(key.to_owned()),
            reason,
        })?;
        Ok(config)
    }

    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
            file: path.to_path_buf(),
            key: None,
            reason: format!("cannot read: {error}"),
        })?;
        Config::from_toml(path, &text)
    }

    fn validate(&self) -> Result<(), (&'static str, String)> {
        if self.addresses.sec > 2 {
            return Err((
                "addresses.sec",
                format!("{} is not supported (0, 1 or 2)", self.addresses.sec),
            ));
        }
        let bits = self.addresses.rsa_bits;
        if !(MIN_SHIM6_RSA_BITS..=MAX_RSA_BITS).contains(&bits) {
            return Err((
                "addresses.rsa_bits",
                format!("{bits} is out of range {MIN_SHIM6_RSA_BITS}..={MAX_RSA_BITS}"),
            ));
        }
        if let LocatorSource::Prefixes(prefixes) = &self.addresses.locators {
            if prefixes.is_empty() {
                return Err((
                    "addresses.locators",
                    "the list is empty; give prefixes or \"auto\"".into(),
                ));
            }
            for (index, prefix) in prefixes.iter().enumerate() {
                if prefixes[..index].contains(prefix) {
                    return Err((
                        "addresses.locators",
                        format!("prefix number {} is listed twice", index + 1),
                    ));
                }
            }
        }
        for (key, path) in [
            ("state_dir", &self.state_dir),
            ("control_socket", &self.control_socket),
        ] {
            if path.as_os_str().is_empty() {
                return Err((key, "must not be empty".into()));
            }
        }
        if self.key_file.as_os_str().is_empty() {
            return Err(("key_file", "must not be empty".into()));
        }
        self.limits.validate()?;
        self.rate_limits.validate()?;
        self.timers.validate()
    }
}

/// A configuration problem: which file, which key (when known) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub file: PathBuf,
    pub key: Option<String>,
    pub reason: String,
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.key {
            Some(key) => write!(f, "{}: {key}: {}", self.file.display(), self.reason),
            // TOML errors already carry the line, the key and a snippet.
            None => write!(f, "{}: {}", self.file.display(), self.reason.trim_end()),
        }
    }
}

impl std::error::Error for ConfigError {}

impl<'de> Deserialize<'de> for LocatorSource {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(LocatorSourceVisitor)
    }
}

struct LocatorSourceVisitor;

impl<'de> Visitor<'de> for LocatorSourceVisitor {
    type Value = LocatorSource;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("\"auto\" or a list of /64 prefixes such as [\"2001:db8:1::/64\"]")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<Self::Value, E> {
        if value == "auto" {
            Ok(LocatorSource::Auto)
        } else {
            Err(E::custom(format!(
                "{value:?} is neither \"auto\" nor a list of prefixes"
            )))
        }
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut prefixes = Vec::new();
        while let Some(text) = seq.next_element::<String>()? {
            prefixes.push(parse_prefix64(&text).map_err(de::Error::custom)?);
        }
        Ok(LocatorSource::Prefixes(prefixes))
    }
}

impl LogLevel {
    pub fn to_filter(self) -> log::LevelFilter {
        match self {
            LogLevel::Error => log::LevelFilter::Error,
            LogLevel::Warn => log::LevelFilter::Warn,
            LogLevel::Info => log::LevelFilter::Info,
            LogLevel::Debug => log::LevelFilter::Debug,
            LogLevel::Trace => log::LevelFilter::Trace,
        }
    }
}

#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
