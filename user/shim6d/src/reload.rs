//! What a configuration reload (SIGHUP) may change without dropping a
//! context, key by key. The running daemon applies the plan (see
//! `service.rs`); this part only compares, so it is tested alone.
//!
//! | keys | at run time |
//! |---|---|
//! | `log_level` | applied |
//! | `timers.send_timeout_secs`, `timers.i1_retries`, `timers.idle_gc_secs` | applied (as `shim6ctl daemon timers`; every kernel context gets the new Send Timeout) |
//! | `rate_limits.r1`, `.r1bis`, `.error` | applied; the buckets start full at their new size |
//! | `timers.keepalive_timeout_secs`, `limits.*`, `rate_limits.verification` | applied while the addresses are still being prepared; refused once the protocol core runs (it took them when it started) |
//! | `state_dir`, `control_socket`, `key_file`, `addresses.*` | refused: the identity and the control socket are made at start |
//!
//! A refused key keeps its running value and is named in a log line.

use std::fmt::Debug;

use crate::config::Config;

/// One key that cannot take its new value now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub key: &'static str,
    /// The running value, kept (Debug form).
    pub kept: String,
    /// The value in the file (Debug form).
    pub wanted: String,
    pub why: &'static str,
}

/// The configuration to run with after a reload, and what differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReloadPlan {
    /// The running configuration with every change that can be applied.
    pub config: Config,
    /// Keys whose new value is in `config`.
    pub applied: Vec<&'static str>,
    /// Keys whose new value is not.
    pub refused: Vec<Refusal>,
}

impl ReloadPlan {
    /// Whether a `[rate_limits]` bucket of outgoing messages changed (the
    /// daemon then makes its buckets anew).
    pub fn outgoing_limits_changed(&self) -> bool {
        self.applied.iter().any(|key| {
            matches!(
                *key,
                "rate_limits.r1" | "rate_limits.r1bis" | "rate_limits.error"
            )
        })
    }
}

const AT_START: &str = "the addresses, the key and the control socket are set up at start";
const CORE_STARTED: &str = "the protocol core took it when the addresses were ready";

/// Compares the running configuration with the one just read.
/// `core_started`: the protocol core exists (the identity is ready), so
/// what it was built with is fixed.
pub fn plan(running: &Config, file: &Config, core_started: bool) -> ReloadPlan {
    let mut plan = ReloadPlan {
        config: running.clone(),
        applied: Vec::new(),
        refused: Vec::new(),
    };
    let merged = &mut plan.config;
    let applied = &mut plan.applied;
    let refused = &mut plan.refused;
    let mut fixed = |key: &'static str, old: &dyn Debug, new: &dyn Debug, why: &'static str| {
        let (kept, wanted) = (format!("{old:?}"), format!("{new:?}"));
        if kept != wanted {
            refused.push(Refusal {
                key,
                kept,
                wanted,
                why,
            });
        }
    };
    fixed("state_dir", &running.state_dir, &file.state_dir, AT_START);
    fixed(
        "control_socket",
        &running.control_socket,
        &file.control_socket,
        AT_START,
    );
    fixed("key_file", &running.key_file, &file.key_file, AT_START);
    let (old, new) = (&running.addresses, &file.addresses);
    fixed("addresses.method", &old.method, &new.method, AT_START);
    fixed("addresses.sec", &old.sec, &new.sec, AT_START);
    fixed("addresses.rsa_bits", &old.rsa_bits, &new.rsa_bits, AT_START);
    fixed("addresses.locators", &old.locators, &new.locators, AT_START);
    fixed("addresses.install", &old.install, &new.install, AT_START);
    if core_started {
        let (old, new) = (&running.limits, &file.limits);
        fixed(
            "timers.keepalive_timeout_secs",
            &running.timers.keepalive_timeout_secs,
            &file.timers.keepalive_timeout_secs,
            CORE_STARTED,
        );
        fixed(
            "limits.max_contexts",
            &old.max_contexts,
            &new.max_contexts,
            CORE_STARTED,
        );
        fixed(
            "limits.max_half_open_per_prefix",
            &old.max_half_open_per_prefix,
            &new.max_half_open_per_prefix,
            CORE_STARTED,
        );
        fixed(
            "limits.negative_cache_size",
            &old.negative_cache_size,
            &new.negative_cache_size,
            CORE_STARTED,
        );
        fixed(
            "rate_limits.verification",
            &running.rate_limits.verification,
            &file.rate_limits.verification,
            CORE_STARTED,
        );
    }

    let mut take = |key: &'static str, changed: bool| {
        if changed {
            applied.push(key);
        }
        changed
    };
    if take("log_level", running.log_level != file.log_level) {
        merged.log_level = file.log_level;
    }
    let (old, new) = (running.timers, file.timers);
    if take(
        "timers.send_timeout_secs",
        old.send_timeout_secs != new.send_timeout_secs,
    ) {
        merged.timers.send_timeout_secs = new.send_timeout_secs;
    }
    if take("timers.i1_retries", old.i1_retries != new.i1_retries) {
        merged.timers.i1_retries = new.i1_retries;
    }
    if take("timers.idle_gc_secs", old.idle_gc_secs != new.idle_gc_secs) {
        merged.timers.idle_gc_secs = new.idle_gc_secs;
    }
    let (old, new) = (running.rate_limits, file.rate_limits);
    if take("rate_limits.r1", old.r1 != new.r1) {
        merged.rate_limits.r1 = new.r1;
    }
    if take("rate_limits.r1bis", old.r1bis != new.r1bis) {
        merged.rate_limits.r1bis = new.r1bis;
    }
    if take("rate_limits.error", old.error != new.error) {
        merged.rate_limits.error = new.error;
    }
    if !core_started {
        if take(
            "timers.keepalive_timeout_secs",
            running.timers.keepalive_timeout_secs != file.timers.keepalive_timeout_secs,
        ) {
            merged.timers.keepalive_timeout_secs = file.timers.keepalive_timeout_secs;
        }
        // The file was validated as a whole, and these keys move together.
        if take("limits", running.limits != file.limits) {
            merged.limits = file.limits;
        }
        if take(
            "rate_limits.verification",
            old.verification != new.verification,
        ) {
            merged.rate_limits.verification = new.verification;
        }
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::{Path, PathBuf};

    fn config(text: &str) -> Config {
        Config::from_toml(Path::new("test.toml"), text).unwrap()
    }

    #[test]
    fn the_same_file_changes_nothing() {
        let running = config("log_level = \"debug\"\n[timers]\nsend_timeout_secs = 3\n");
        let plan = plan(&running, &running.clone(), true);
        assert_eq!(plan.config, running);
        assert!(plan.applied.is_empty());
        assert!(plan.refused.is_empty());
    }

    #[test]
    fn log_level_timers_and_message_buckets_change_at_run_time() {
        let running = Config::default();
        let file = config(
            "log_level = \"debug\"\n\
             [timers]\nsend_timeout_secs = 3\ni1_retries = 2\nidle_gc_secs = 60\n\
             [rate_limits]\nr1 = { per_second = 5, burst = 10 }\n\
             error = { per_second = 1, burst = 1 }\n",
        );
        let plan = plan(&running, &file, true);
        assert!(plan.refused.is_empty(), "{:?}", plan.refused);
        assert_eq!(
            plan.applied,
            [
                "log_level",
                "timers.send_timeout_secs",
                "timers.i1_retries",
                "timers.idle_gc_secs",
                "rate_limits.r1",
                "rate_limits.error"
            ]
        );
        assert_eq!(plan.config, file);
        assert!(plan.outgoing_limits_changed());
    }

    #[test]
    fn what_is_made_at_start_is_refused_by_name_and_kept() {
        let running = Config::default();
        let file = config(
            "state_dir = \"/tmp/elsewhere\"\ncontrol_socket = \"/tmp/x.sock\"\n\
             key_file = \"other.pem\"\nlog_level = \"warn\"\n\
             [addresses]\nmethod = \"hba\"\nsec = 1\nrsa_bits = 1024\n\
             locators = [\"2001:db8:1::/64\"]\ninstall = false\n",
        );
        let plan = plan(&running, &file, true);
        let keys: Vec<&str> = plan.refused.iter().map(|refusal| refusal.key).collect();
        assert_eq!(
            keys,
            [
                "state_dir",
                "control_socket",
                "key_file",
                "addresses.method",
                "addresses.sec",
                "addresses.rsa_bits",
                "addresses.locators",
                "addresses.install"
            ]
        );
        assert_eq!(plan.refused[0].kept, "\"/var/lib/shim6d\"");
        assert_eq!(plan.refused[0].wanted, "\"/tmp/elsewhere\"");
        assert_eq!(plan.config.state_dir, PathBuf::from("/var/lib/shim6d"));
        assert_eq!(plan.config.addresses, running.addresses);
        // What can change still does.
        assert_eq!(plan.applied, ["log_level"]);
        assert_eq!(plan.config.log_level, file.log_level);
        assert!(!plan.outgoing_limits_changed());
    }

    #[test]
    fn what_the_core_took_is_refused_once_it_runs_and_taken_before() {
        let running = Config::default();
        let file = config(
            "[timers]\nkeepalive_timeout_secs = 4\n\
             [limits]\nmax_contexts = 10\nmax_half_open_per_prefix = 2\nnegative_cache_size = 0\n\
             [rate_limits]\nverification = { per_second = 1, burst = 2 }\n",
        );
        let started = plan(&running, &file, true);
        let keys: Vec<&str> = started.refused.iter().map(|refusal| refusal.key).collect();
        assert_eq!(
            keys,
            [
                "timers.keepalive_timeout_secs",
                "limits.max_contexts",
                "limits.max_half_open_per_prefix",
                "limits.negative_cache_size",
                "rate_limits.verification"
            ]
        );
        assert_eq!(started.config, running);
        assert!(started.applied.is_empty());

        let preparing = plan(&running, &file, false);
        assert!(preparing.refused.is_empty(), "{:?}", preparing.refused);
        assert_eq!(
            preparing.applied,
            [
                "timers.keepalive_timeout_secs",
                "limits",
                "rate_limits.verification"
            ]
        );
        assert_eq!(preparing.config, file);
        assert!(!preparing.outgoing_limits_changed());
    }
}
