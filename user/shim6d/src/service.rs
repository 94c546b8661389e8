//! shim6d as a service: signals and the service manager.
//!
//! - SIGTERM or SIGINT: the loop ends after the turn in progress and the
//!   daemon exits 0. Its sockets close and the control socket is removed;
//!   the kernel module's contexts stay installed, so traffic on them goes
//!   on, and the next start adopts and recovers them with their peers
//!   (`adopt_kernel_contexts`, `recover_orphans`), exactly as after a
//!   crash.
//! - SIGHUP: the configuration file is read again and what can change
//!   without dropping a context is applied (`reload.rs` says which keys);
//!   a file that does not parse or validate changes nothing.
//! - sd_notify (`Type=notify`; nothing without `$NOTIFY_SOCKET`):
//!   `READY=1` once the identity is ready, `STATUS=` a one-line summary
//!   whenever it changes (at most once a second), `EXTEND_TIMEOUT_USEC=`
//!   while the addresses are being made, `STOPPING=1` on SIGTERM/SIGINT,
//!   `RELOADING=1` with `MONOTONIC_USEC=` then `READY=1` around a reload
//!   (the protocol of systemd ≥ 253's Type=notify-reload, which older
//!   systemd accepts from a Type=notify service as well).

use std::os::fd::AsFd;
use std::path::PathBuf;
use std::time::Duration;

use crate::config::{AddressMethod, Config};
use crate::daemon::Daemon;
use crate::logger;
use crate::rate_limit::OutgoingLimits;
use crate::reload;
use crate::sys::clock::monotonic_usec;
use crate::sys::poll::{PollEntry, POLLIN};
use crate::sys::signals::SignalPipe;
use crate::systemd_notify::Notifier;

/// Least time between two STATUS= updates of the context count (a busy
/// responder changes it many times a second).
const STATUS_PERIOD: Duration = Duration::from_secs(1);
/// While the addresses are being made (an RSA key at first start; with
/// Sec 1 or 2 the CGA search, up to hours), the start timeout is pushed
/// this far ahead…
const START_EXTENSION: Duration = Duration::from_secs(30);
/// …this often; the loop wakes at least every housekeeping period (5 s).
const START_EXTENSION_PERIOD: Duration = Duration::from_secs(10);

/// The daemon's side of its service manager. The default one has no
/// signal pipe and no notification socket (library users and tests).
#[derive(Debug, Default)]
pub struct Service {
    signals: Option<SignalPipe>,
    notifier: Notifier,
    /// The file to read again on SIGHUP (`--config`).
    config_file: Option<PathBuf>,
    /// `--control-socket`, which a reloaded file does not override.
    control_socket: Option<PathBuf>,
    /// The signal that asked the loop to end.
    stop: Option<&'static str>,
    ready_sent: bool,
    /// The last STATUS= sent, and when.
    status: String,
    status_at: Option<Duration>,
    extended_at: Option<Duration>,
    /// A failed notification was logged as a warning (later ones at debug).
    warned: bool,
}

impl Service {
    pub fn new(
        signals: Option<SignalPipe>,
        notifier: Notifier,
        config_file: Option<PathBuf>,
        control_socket: Option<PathBuf>,
    ) -> Self {
        Service {
            signals,
            notifier,
            config_file,
            control_socket,
            ..Service::default()
        }
    }

    /// The signal that stopped the loop, once one did.
    pub fn stop_requested(&self) -> Option<&'static str> {
        self.stop
    }

    fn send(&mut self, assignments: &[(&str, &str)]) {
        if let Err(error) = self.notifier.notify(assignments) {
            if self.warned {
                log::debug!("sd_notify: {error}");
            } else {
                self.warned = true;
                log::warn!("sd_notify: {error} (later failures are logged at debug)");
            }
        }
    }
}

impl Daemon {
    /// Hands the daemon its signal pipe and notification socket.
    pub fn attach_service(&mut self, service: Service) {
        self.service = service;
    }

    /// Called by `turn` before it sleeps: tells the service manager what
    /// changed, and adds the signal pipe to the descriptors to watch.
    /// Returns the pipe's index in `entries`.
    pub(crate) fn service_poll_entry(&mut self, entries: &mut Vec<PollEntry>) -> Option<usize> {
        self.publish_state();
        let signals = self.service.signals.as_ref()?;
        entries.push(PollEntry::new(signals.as_fd(), POLLIN));
        Some(entries.len() - 1)
    }

    /// Called by `turn` when the signal pipe is readable.
    pub(crate) fn on_signals(&mut self) {
        let Some(pending) = self.service.signals.as_ref().map(SignalPipe::take) else {
            return;
        };
        if let Some(signal) = pending.stop {
            if self.service.stop.is_none() {
                self.service.stop = Some(signal);
                log::info!("{signal}: stopping; {}", self.what_stays());
                self.service.send(&[
                    ("STOPPING", "1"),
                    ("STATUS", &format!("stopping ({signal})")),
                ]);
            }
            return;
        }
        if pending.reload {
            // Before READY=1 the service manager is still waiting for the
            // start: a RELOADING/READY pair would end that wait too soon.
            let announce = self.service.ready_sent;
            if announce {
                let now = match monotonic_usec() {
                    Ok(usec) => usec.to_string(),
                    Err(error) => {
                        log::warn!("CLOCK_MONOTONIC: {error}");
                        "0".to_owned()
                    }
                };
                self.service.send(&[
                    ("RELOADING", "1"),
                    ("MONOTONIC_USEC", &now),
                    ("STATUS", "reloading the configuration"),
                ]);
            }
            self.reload_config();
            if announce {
                let status = self.status_line();
                self.service.send(&[("READY", "1"), ("STATUS", &status)]);
                self.service.status = status;
                self.service.status_at = Some(self.clock.now());
            }
        }
    }

    /// What a stop leaves behind, for the log.
    fn what_stays(&self) -> String {
        let contexts = self.host.as_ref().map_or(0, |host| host.context_count());
        let orphans = self.kernel_sync.orphans().count();
        if self.kernel.is_none() {
            return format!(
                "{contexts} negotiated contexts end with the daemon (no kernel module)"
            );
        }
        format!(
            "the kernel keeps its contexts ({contexts} of this run, {orphans} not yet recovered \
             from an earlier one) for the next start to recover"
        )
    }

    /// SIGHUP: reads the file again and applies what can change now.
    fn reload_config(&mut self) {
        let Some(path) = self.service.config_file.clone() else {
            log::warn!("SIGHUP: shim6d was started without --config; there is no file to reload");
            return;
        };
        let mut file = match Config::load(&path) {
            Ok(file) => file,
            Err(error) => {
                log::error!("reload refused, the running configuration stays: {error}");
                return;
            }
        };
        if let Some(socket) = &self.service.control_socket {
            file.control_socket = socket.clone();
        }
        let plan = reload::plan(&self.config, &file, self.host.is_some());
        for refusal in &plan.refused {
            log::warn!(
                "reload: {} cannot change at run time ({}): keeping {}, not {}; restart shim6d \
                 to apply it",
                refusal.key,
                refusal.why,
                refusal.kept,
                refusal.wanted
            );
        }
        let config = plan.config.clone();
        if config.log_level != self.config.log_level {
            logger::set_level(config.log_level.to_filter());
        }
        if config.timers.send_timeout_secs != self.config.timers.send_timeout_secs {
            // Every kernel context runs our Send Timeout (as `set-timers`).
            self.kernel_changes.mark_everything();
        }
        if plan.outgoing_limits_changed() {
            self.outgoing_limits = OutgoingLimits::new(&config.rate_limits, self.clock.now());
        }
        self.config = config;
        if plan.applied.is_empty() {
            log::info!(
                "configuration reloaded from {}: nothing to change",
                path.display()
            );
        } else {
            log::info!(
                "configuration reloaded from {}: {} changed",
                path.display(),
                plan.applied.join(", ")
            );
        }
    }

    /// READY=1 once, then STATUS= when the summary changes.
    fn publish_state(&mut self) {
        if !self.service.notifier.is_active() || self.service.stop.is_some() {
            return;
        }
        let now = self.clock.now();
        let status = self.status_line();
        // Ready once the identity is: the ULIDs are on the interfaces, so
        // units ordered after shim6d can bind to them, and contexts can be
        // made. An open control socket alone would promise neither (the
        // CGA search can take hours with Sec 2), and the test scripts wait
        // for the same moment ("identity ready").
        if self.identity.is_some() && !self.service.ready_sent {
            self.service.ready_sent = true;
            self.service.send(&[("READY", "1"), ("STATUS", &status)]);
            self.service.status = status;
            self.service.status_at = Some(now);
            return;
        }
        let preparing = self.identity.is_none() && self.identity_error.is_none();
        if preparing && due(self.service.extended_at, START_EXTENSION_PERIOD, now) {
            self.service.extended_at = Some(now);
            let usec = START_EXTENSION.as_micros().to_string();
            self.service.send(&[("EXTEND_TIMEOUT_USEC", &usec)]);
        }
        if status != self.service.status && due(self.service.status_at, STATUS_PERIOD, now) {
            self.service.send(&[("STATUS", &status)]);
            self.service.status = status;
            self.service.status_at = Some(now);
        }
    }

    /// The one-line summary of `systemctl status`.
    pub(crate) fn status_line(&self) -> String {
        if let Some(error) = &self.identity_error {
            return format!("no identity, no context can be made: {error}");
        }
        let Some(host) = self.host.as_ref() else {
            let addresses = &self.config.addresses;
            return match addresses.method {
                AddressMethod::Cga => format!("preparing CGA addresses (sec {})", addresses.sec),
                AddressMethod::Hba => "preparing HBA addresses".to_owned(),
            };
        };
        let contexts = host.context_count();
        let mut line = format!("{contexts} context{}", if contexts == 1 { "" } else { "s" });
        let orphans = self.kernel_sync.orphans().count();
        if orphans > 0 {
            line.push_str(&format!(", {orphans} of a previous run being recovered"));
        }
        if self.kernel.is_none() {
            line.push_str("; no kernel module: contexts are negotiated, not installed");
        }
        line
    }
}

/// Whether something last done at `last` is due again `period` later.
fn due(last: Option<Duration>, period: Duration, now: Duration) -> bool {
    last.map_or(true, |at| now >= at + period)
}
