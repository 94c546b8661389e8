//! The event loop. One thread owns every piece of state: the protocol core
//! (`Host`), the raw socket, the control server and the counters. It waits
//! in `poll` for a packet, a control request, the identity worker or the
//! next protocol deadline, handles what is ready, then drains the core's
//! transmits and events.

use std::cell::RefCell;
use std::collections::{BTreeSet, HashMap};
use std::io;
use std::net::Ipv6Addr;
use std::rc::Rc;
use std::time::Duration;

use shim6_cga::Sec;
use shim6_proto::constants::NO_R1_HOLDDOWN_TIME;
use shim6_proto::context::{Host, HostConfig, HostEvent};
use shim6_proto::reap::{LocatorPair, OperationalDetection, ReapConfig};
use shim6_proto::wire::{self, ContextTag, ErrorMessage, Message, MAX_SHIM6_HEADER_LEN};

use crate::config::{AddressMethod, Config};
use crate::control::protocol::Event;
use crate::control::server::ControlServer;
use crate::identity::{Identity, IdentityRequest};
use crate::identity_worker::IdentityJob;
use crate::kernel::GenlKernel;
use crate::kernel_changes::ChangedContexts;
use crate::kernel_sync::KernelSync;
use crate::prefixes::{self, PrefixSite};
use crate::rate_limit::OutgoingLimits;
use crate::runtime::{MonotonicClock, OsRandom};
use crate::stats::{bump, Stats, VerificationStats};
use crate::sys::address_events::AddressEvents;
use crate::sys::interfaces;
use crate::sys::poll::{poll, PollEntry, POLLIN};
use crate::sys::raw_socket::RawShim6Socket;
use crate::sys::route_netlink;
use crate::throttled_verifier::ThrottledVerifier;
use crate::verifier::CgaVerifier;

/// How often housekeeping runs: responder-secret rotation (the core rotates
/// when due, so a late call only stretches a validator's life, never
/// shortens it below VALIDATOR_MIN_LIFETIME), idle GC, daemon hold-downs.
const HOUSEKEEPING_PERIOD: Duration = Duration::from_secs(5);
/// How often every context is compared with the kernel's copy, besides
/// those marked as changed: a safety net that costs one pass a minute.
const FULL_KERNEL_SYNC_PERIOD: Duration = Duration::from_secs(60);
/// Most time between two dumps of the kernel's contexts for idle GC (when
/// a context looks idle); a context is collected at most this late.
const KERNEL_ACTIVITY_DUMP_PERIOD: Duration = Duration::from_secs(30);
/// Packets read per wake-up before the loop looks at other work.
const RECEIVE_BATCH: usize = 64;
/// Octets before the Shim6 header in a received packet: the IPv6 header
/// (extension headers before Shim6 are not visible on a raw socket).
const IPV6_HEADER_LEN: usize = 40;

pub(crate) type ShimHost = Host<ThrottledVerifier<CgaVerifier, MonotonicClock>, OsRandom>;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("raw IPv6 socket for protocol 140: {0} (shim6d needs CAP_NET_RAW)")]
    RawSocket(io::Error),
    #[error("control socket {path}: {error}")]
    ControlSocket { path: String, error: io::Error },
    #[error("locators: {0}")]
    Locators(String),
    #[error("cannot start the identity worker: {0}")]
    Worker(io::Error),
    #[error("poll: {0}")]
    Poll(io::Error),
    #[error(transparent)]
    State(#[from] crate::state_dir::StateError),
}

pub struct Daemon {
    pub(crate) config: Config,
    pub(crate) clock: MonotonicClock,
    raw: RawShim6Socket,
    pub(crate) control: ControlServer,
    sites: Vec<PrefixSite>,
    identity_job: Option<IdentityJob>,
    pub(crate) identity: Option<Rc<Identity>>,
    pub(crate) identity_error: Option<String>,
    pub(crate) host: Option<ShimHost>,
    pub(crate) stats: Stats,
    /// Buckets of the R1, R1bis and Error messages anyone can ask for.
    pub(crate) outgoing_limits: OutgoingLimits,
    pub(crate) verification: Rc<RefCell<VerificationStats>>,
    /// Last activity per context (CT(local)), for idle GC.
    pub(crate) activity: HashMap<ContextTag, Duration>,
    /// I1s sent per context still in I1-SENT, for the configured retry limit.
    i1_sent: HashMap<ContextTag, u32>,
    /// (local ULID, peer ULID) → end of a hold-down the daemon imposed after
    /// giving up earlier than the core would.
    pub(crate) holddowns: HashMap<(Ipv6Addr, Ipv6Addr), Duration>,
    next_housekeeping: Duration,
    receive_buffer: Vec<u8>,
    /// The module's context commands and events; `None` when it is not
    /// loaded (the daemon then only negotiates, nothing is installed).
    pub(crate) kernel: Option<GenlKernel>,
    pub(crate) kernel_sync: KernelSync,
    /// Contexts whose kernel copy may be stale after this turn.
    pub(crate) kernel_changes: ChangedContexts,
    next_full_kernel_sync: Duration,
    next_activity_dump: Duration,
    /// Pairs set by hand (control channel `set-path`) until REAP moves on.
    pub(crate) forced_pairs: HashMap<ContextTag, LocatorPair>,
    /// Peers without Shim6 whose triggers the kernel mutes, until when.
    pub(crate) never_policies: HashMap<Ipv6Addr, Duration>,
    /// R1bis sent per orphaned kernel context (see `kernel_link`).
    pub(crate) orphan_attempts: HashMap<u64, u32>,
    /// Address changes from rtnetlink (see `local_locators`); `None` if
    /// the socket could not be opened (the locator set then stays fixed).
    pub(crate) address_events: Option<AddressEvents>,
    /// Addresses configured on the interfaces and usable as a source.
    pub(crate) usable_addresses: BTreeSet<Ipv6Addr>,
    /// "No usable locator" was logged; reset when one is back.
    pub(crate) warned_no_locators: bool,
    /// Signals and the service manager (see `service`); none by default.
    pub(crate) service: crate::service::Service,
}

impl Daemon {
    /// Opens the sockets, resolves the prefixes and starts the identity
    /// worker; the loop itself starts with [`run`](Self::run).
    pub fn start(config: Config) -> Result<Self, StartError> {
        // Before anything else: a key others can read, or a state_dir that
        // is not ours, stops the daemon here with the file named.
        crate::identity::prepare_private_state(
            &config.state_dir,
            &config.key_path(),
            config.addresses.method,
        )?;
        let raw = RawShim6Socket::open().map_err(StartError::RawSocket)?;
        match raw.set_receive_buffer(crate::sys::raw_socket::RECEIVE_BUFFER_BYTES) {
            Ok(granted) if granted < crate::sys::raw_socket::RECEIVE_BUFFER_BYTES => log::warn!(
                "raw socket receive queue {granted} octets (no CAP_NET_ADMIN to exceed net.core.rmem_max): a flood may push out REAP probes"
            ),
            Ok(_) => {}
            Err(error) => log::warn!("raw socket receive queue: {error}"),
        }
        let control = ControlServer::bind(&config.control_socket).map_err(|error| {
            StartError::ControlSocket {
                path: config.control_socket.display().to_string(),
                error,
            }
        })?;
        let addresses =
            interfaces::ipv6_addresses().map_err(|e| StartError::Locators(e.to_string()))?;
        let sites = prefixes::resolve(&config.addresses.locators, &addresses)
            .map_err(StartError::Locators)?;
        for site in &sites {
            log::info!(
                "locator prefix {}/64 on {}",
                shim6_cga::address::prefix_as_address(&site.prefix),
                site.interface
            );
        }
        let request = IdentityRequest {
            method: config.addresses.method,
            // Config validation keeps sec in 0..=2.
            sec: Sec::new(config.addresses.sec)
                .map_err(|e| StartError::Locators(format!("sec {}", e.0)))?,
            rsa_bits: config.addresses.rsa_bits,
            key_path: config.key_path(),
            state_dir: config.state_dir.clone(),
            prefixes: sites.iter().map(|site| site.prefix).collect(),
        };
        let kernel = match GenlKernel::connect() {
            Ok(kernel) => Some(kernel),
            Err(error) => {
                log::warn!("no kernel module ({error}): contexts are negotiated but not installed");
                None
            }
        };
        if let Err(error) = raw.bypass_xfrm_policies() {
            log::warn!(
                "cannot exempt the raw socket from xfrm policies ({error}): control messages on a \
                 context's ULID pair will be rewritten by the module"
            );
        }
        // Opened before the identity's addresses are installed, so that no
        // change between the two goes unseen.
        let address_events = match AddressEvents::open() {
            Ok(events) => Some(events),
            Err(error) => {
                log::warn!(
                    "no address events ({error}): the locator set will not follow the interfaces"
                );
                None
            }
        };
        let identity_job = IdentityJob::spawn(request).map_err(StartError::Worker)?;
        let clock = MonotonicClock::start();
        let outgoing_limits = OutgoingLimits::new(&config.rate_limits, clock.now());
        let mut daemon = Daemon {
            config,
            clock,
            raw,
            control,
            sites,
            identity_job: Some(identity_job),
            identity: None,
            identity_error: None,
            host: None,
            stats: Stats::default(),
            outgoing_limits,
            verification: Rc::new(RefCell::new(VerificationStats::default())),
            activity: HashMap::new(),
            i1_sent: HashMap::new(),
            holddowns: HashMap::new(),
            next_housekeeping: clock.now() + HOUSEKEEPING_PERIOD,
            receive_buffer: vec![0; MAX_SHIM6_HEADER_LEN],
            kernel,
            kernel_sync: KernelSync::default(),
            kernel_changes: ChangedContexts::default(),
            next_full_kernel_sync: clock.now() + FULL_KERNEL_SYNC_PERIOD,
            next_activity_dump: clock.now(),
            forced_pairs: HashMap::new(),
            never_policies: HashMap::new(),
            orphan_attempts: HashMap::new(),
            address_events,
            usable_addresses: BTreeSet::new(),
            warned_no_locators: false,
            service: crate::service::Service::default(),
        };
        daemon.adopt_kernel_contexts();
        Ok(daemon)
    }

    /// Runs until a fatal error, or until SIGTERM or SIGINT when a signal
    /// pipe is attached (`service`).
    pub fn run(&mut self) -> Result<(), StartError> {
        while self.service.stop_requested().is_none() {
            self.turn()?;
        }
        Ok(())
    }

    /// One pass: wait, handle what is ready, run timers, flush output.
    pub fn turn(&mut self) -> Result<(), StartError> {
        let timeout = self
            .next_wakeup()
            .map(|at| at.saturating_sub(self.clock.now()));
        let mut entries = vec![PollEntry::new(std::os::fd::AsFd::as_fd(&self.raw), POLLIN)];
        let identity_at = self.identity_job.as_ref().map(|job| {
            entries.push(PollEntry::new(std::os::fd::AsFd::as_fd(job), POLLIN));
            entries.len() - 1
        });
        let kernel_at = self.kernel.as_ref().map(|kernel| {
            entries.push(PollEntry::new(kernel.events_fd(), POLLIN));
            entries.len() - 1
        });
        let addresses_at = self.address_events.as_ref().map(|events| {
            entries.push(PollEntry::new(std::os::fd::AsFd::as_fd(events), POLLIN));
            entries.len() - 1
        });
        let signals_at = self.service_poll_entry(&mut entries);
        let control_start = entries.len();
        entries.extend(self.control.poll_entries());
        poll(&mut entries, timeout).map_err(StartError::Poll)?;

        if signals_at.is_some_and(|at| entries.get(at).is_some_and(PollEntry::readable)) {
            self.on_signals();
        }
        if entries[0].readable() {
            self.receive_packets();
        }
        if identity_at.is_some_and(|at| entries.get(at).is_some_and(PollEntry::readable)) {
            self.collect_identity();
        }
        if kernel_at.is_some_and(|at| entries.get(at).is_some_and(PollEntry::readable)) {
            self.receive_kernel_events();
        }
        if addresses_at.is_some_and(|at| entries.get(at).is_some_and(PollEntry::readable)) {
            self.receive_address_events();
        }
        let requests = self.control.handle_ready(&entries[control_start..]);
        for (client, request) in requests {
            let reply = match request {
                Ok(request) => self.handle_request(request),
                Err(message) => crate::control::protocol::Reply::Error { message },
            };
            self.control.reply(client, &reply);
        }
        self.run_timers();
        self.flush_host();
        self.sync_kernel();
        self.control.flush_all();
        Ok(())
    }

    fn next_wakeup(&self) -> Option<Duration> {
        let host_deadline = self.host.as_ref().and_then(ShimHost::next_deadline);
        Some(host_deadline.map_or(self.next_housekeeping, |at| at.min(self.next_housekeeping)))
    }

    fn run_timers(&mut self) {
        let now = self.clock.now();
        if let Some(host) = self.host.as_mut() {
            if host.next_deadline().is_some_and(|at| at <= now) {
                host.handle_timeout(now);
            }
        }
        if now >= self.next_housekeeping {
            self.next_housekeeping = now + HOUSEKEEPING_PERIOD;
            if let Some(host) = self.host.as_mut() {
                host.handle_timeout(now);
            }
            if now >= self.next_full_kernel_sync {
                self.next_full_kernel_sync = now + FULL_KERNEL_SYNC_PERIOD;
                self.kernel_changes.mark_everything();
            }
            self.holddowns.retain(|_, until| *until > now);
            self.release_held_down_peers(now);
            self.collect_idle_contexts(now);
            self.recover_orphans();
        }
    }

    /// Contexts idle by the daemon's own record are first checked against
    /// the kernel's traffic counters (a dump of every kernel context), at
    /// most once per KERNEL_ACTIVITY_DUMP_PERIOD (or a quarter of the idle
    /// time, if shorter) and only when there is such a candidate: a busy
    /// host pays for the dump rarely, not every housekeeping round.
    fn collect_idle_contexts(&mut self, now: Duration) {
        let mut idle = self.idle_contexts(now);
        if idle.is_empty() {
            return;
        }
        if self.kernel.is_some() {
            if now < self.next_activity_dump {
                return;
            }
            // A short idle_gc_secs must not wait for a long dump period.
            let period = KERNEL_ACTIVITY_DUMP_PERIOD.min(self.config.timers.idle_gc() / 4);
            self.next_activity_dump = now + period;
            self.note_kernel_activity();
            idle = self.idle_contexts(now);
        }
        let Some(host) = self.host.as_mut() else {
            return;
        };
        let limit = self.config.timers.idle_gc();
        for tag in idle {
            host.remove_context(tag);
            self.kernel_changes.mark(tag.get());
            self.activity.remove(&tag);
            self.forced_pairs.remove(&tag);
            self.stats.contexts_garbage_collected += 1;
            log::info!(
                "context {} removed after {} s idle",
                tag.get(),
                limit.as_secs()
            );
            self.control.broadcast(&Event::Removed {
                local_tag: tag.get(),
                reason: "idle".into(),
            });
        }
    }

    /// Contexts without activity for `timers.idle_gc_secs`, as far as the
    /// daemon knows (kernel traffic is not in `activity` until a dump).
    fn idle_contexts(&self, now: Duration) -> Vec<ContextTag> {
        let Some(host) = self.host.as_ref() else {
            return Vec::new();
        };
        let limit = self.config.timers.idle_gc();
        host.contexts()
            .map(|ctx| ctx.local_tag())
            .filter(|tag| {
                self.activity
                    .get(tag)
                    .is_some_and(|last| now.saturating_sub(*last) >= limit)
            })
            .collect()
    }

    // ---- identity ----

    fn collect_identity(&mut self) {
        let Some(job) = self.identity_job.as_mut() else {
            return;
        };
        let Some(outcome) = job.try_take() else {
            return;
        };
        self.identity_job = None;
        match outcome {
            Ok(identity) => self.adopt_identity(identity),
            Err(error) => {
                log::error!("no identity, contexts cannot be made: {error}");
                self.identity_error = Some(error);
            }
        }
    }

    fn adopt_identity(&mut self, identity: Identity) {
        if self.config.addresses.install {
            for local in &identity.addresses {
                if let Some(site) = prefixes::site_of(&self.sites, local.address) {
                    match route_netlink::add_address(site.ifindex, local.address, 64) {
                        Ok(()) => log::info!("address {} on {}", local.address, site.interface),
                        Err(error) => log::error!(
                            "cannot add {} to {}: {error}",
                            local.address,
                            site.interface
                        ),
                    }
                }
            }
        }
        let identity = Rc::new(identity);
        let mut host_config = HostConfig::new(identity.locator_addresses());
        host_config.locator_method = match identity.method {
            AddressMethod::Cga => wire::VerificationMethod::Cga,
            AddressMethod::Hba => wire::VerificationMethod::Hba,
        };
        host_config.limits = self.config.limits.host_limits();
        host_config.reap = ReapConfig {
            send_timeout: self.config.timers.send_timeout(),
            keepalive_timeout: self.config.timers.keepalive_timeout(),
            // The module sees the payload and runs the Operational timers;
            // the core learns of a failure from its Send-timeout event.
            detection: if self.kernel.is_some() {
                OperationalDetection::DataPath
            } else {
                OperationalDetection::Timers
            },
            ..ReapConfig::default()
        };
        let verifier = ThrottledVerifier::new(
            CgaVerifier::new(Rc::clone(&identity), Rc::clone(&self.verification)),
            self.config.rate_limits.verification,
            self.clock,
            Rc::clone(&self.verification),
        );
        self.host = Some(Host::new(
            host_config,
            verifier,
            OsRandom::new(),
            self.clock.now(),
        ));
        let addresses = identity.locator_addresses();
        log::info!("ready; ULIDs/locators: {addresses:?}");
        self.identity = Some(identity);
        self.control.broadcast(&Event::IdentityReady { addresses });
        self.kernel_changes.mark_everything();
        self.rescan_addresses();
        self.refresh_local_locators();
        // The server side's signature, made before the first I2 asks for it.
        if let Some(host) = self.host.as_mut() {
            host.prepare_locator_proof();
        }
        self.recover_orphans();
        self.flush_host();
    }

    // ---- packets ----

    fn receive_packets(&mut self) {
        for _ in 0..RECEIVE_BATCH {
            let mut buffer = std::mem::take(&mut self.receive_buffer);
            let received = self.raw.receive(&mut buffer);
            match received {
                Ok(packet) => {
                    if let Some(dropped) = packet.queue_dropped {
                        self.stats.rx_queue_overflows = u64::from(dropped);
                    }
                    let bytes = buffer.get(..packet.len).unwrap_or_default();
                    self.on_packet(bytes, packet.src, packet.dst);
                    self.receive_buffer = buffer;
                }
                Err(error) => {
                    self.receive_buffer = buffer;
                    if error.kind() != io::ErrorKind::WouldBlock
                        && error.kind() != io::ErrorKind::Interrupted
                    {
                        log::warn!("raw socket receive: {error}");
                    }
                    return;
                }
            }
        }
    }

    fn on_packet(&mut self, bytes: &[u8], src: Ipv6Addr, dst: Ipv6Addr) {
        // The socket filter already drops P = 1; this is the belt to its braces.
        if bytes.get(2).is_some_and(|octet| octet & 0x80 != 0) {
            self.stats.rx_payload_ignored += 1;
            return;
        }
        let message = match Message::parse(bytes) {
            Ok(message) => message,
            Err(error) => {
                bump(&mut self.stats.rx_malformed, malformed_reason(&error));
                log::debug!("malformed control message from {src}: {error}");
                if let Some((code, pointer)) = error.error_reply() {
                    self.send_error_reply(dst, src, code, pointer, bytes);
                }
                return;
            }
        };
        self.stats.rx_messages += 1;
        let now = self.clock.now();
        let Some(host) = self.host.as_mut() else {
            self.stats.rx_before_identity += 1;
            return;
        };
        if let Some(tag) = message.context_tag() {
            if host.context(tag).is_some() {
                self.activity.insert(tag, now);
            }
        }
        self.kernel_changes.mark_received(host, &message, src, dst);
        host.handle_message(now, src, dst, message);
    }

    /// RFC 5533 §5.14: unknown type or critical option → Error message.
    fn send_error_reply(
        &mut self,
        src: Ipv6Addr,
        dst: Ipv6Addr,
        code: u8,
        pointer: usize,
        bytes: &[u8],
    ) {
        let pointer = u16::try_from(pointer + IPV6_HEADER_LEN).unwrap_or(u16::MAX);
        let message = Message::Error(ErrorMessage::new(code, pointer, bytes));
        if let Some(kind) = self.outgoing_limits.refuse(&message, self.clock.now()) {
            self.stats.rate_limited.count(kind);
            return;
        }
        if self.send(src, dst, &message) {
            self.stats.tx_error_replies += 1;
        }
    }

    fn send(&mut self, src: Ipv6Addr, dst: Ipv6Addr, message: &Message) -> bool {
        let sent = message
            .to_bytes()
            .map_err(|error| io::Error::other(error.to_string()))
            .and_then(|bytes| self.raw.send(src, dst, &bytes));
        match sent {
            Ok(()) => {
                self.stats.tx_messages += 1;
                true
            }
            Err(error) => {
                self.stats.tx_errors += 1;
                log::debug!("send {src} → {dst}: {error}");
                false
            }
        }
    }

    // ---- protocol core output ----

    pub(crate) fn flush_host(&mut self) {
        let now = self.clock.now();
        while let Some(transmit) = self.host.as_mut().and_then(ShimHost::poll_transmit) {
            if let Some(kind) = self.outgoing_limits.refuse(&transmit.message, now) {
                self.stats.rate_limited.count(kind);
                log::debug!("{kind:?} to {} not sent: rate limit", transmit.dst);
                continue;
            }
            if let Message::I1(i1) = &transmit.message {
                if !self.allow_i1(i1.initiator_tag) {
                    continue;
                }
            }
            // The module sends the keepalives of installed contexts (its
            // REAP timers see the payload; the core's do not).
            if matches!(transmit.message, Message::Keepalive(_)) && self.kernel.is_some() {
                self.stats.keepalives_left_to_kernel += 1;
                continue;
            }
            self.send(transmit.src, transmit.dst, &transmit.message);
        }
        while let Some(event) = self.host.as_mut().and_then(ShimHost::poll_event) {
            self.on_host_event(event);
        }
    }

    /// Enforces `timers.i1_retries` when it is below the core's own limit:
    /// past it the context is dropped and its ULID pair held down.
    fn allow_i1(&mut self, tag: ContextTag) -> bool {
        let sent = self.i1_sent.entry(tag).or_insert(0);
        *sent += 1;
        if *sent <= self.config.timers.i1_retries + 1 {
            return true;
        }
        self.i1_sent.remove(&tag);
        let now = self.clock.now();
        self.kernel_changes.mark(tag.get());
        if let Some(ctx) = self.host.as_mut().and_then(|host| host.remove_context(tag)) {
            self.holddowns.insert(
                (ctx.local_ulid(), ctx.peer_ulid()),
                now + NO_R1_HOLDDOWN_TIME,
            );
            self.hold_down_peer(ctx.peer_ulid(), now + NO_R1_HOLDDOWN_TIME);
            log::info!(
                "no R1 from {} after {} retries: giving up",
                ctx.peer_ulid(),
                self.config.timers.i1_retries
            );
        }
        self.stats.contexts_failed += 1;
        self.control.broadcast(&Event::Failed {
            local_tag: tag.get(),
            state: "E-FAILED".into(),
        });
        false
    }

    fn on_host_event(&mut self, event: HostEvent) {
        let now = self.clock.now();
        if let Some(tag) = event_context(&event) {
            self.kernel_changes.mark(tag.get());
        }
        let event = match event {
            HostEvent::Established { local_tag } => {
                self.stats.contexts_established += 1;
                self.activity.insert(local_tag, now);
                self.i1_sent.remove(&local_tag);
                let Some(ctx) = self.host.as_ref().and_then(|host| host.context(local_tag)) else {
                    return;
                };
                log::info!(
                    "context {} established with {}",
                    local_tag.get(),
                    ctx.peer_ulid()
                );
                Event::Established {
                    local_tag: local_tag.get(),
                    peer_tag: ctx.peer_tag().map(ContextTag::get),
                    local_ulid: ctx.local_ulid(),
                    peer_ulid: ctx.peer_ulid(),
                }
            }
            HostEvent::PairChanged { local_tag, pair } => {
                self.activity.insert(local_tag, now);
                self.forced_pairs.remove(&local_tag);
                Event::PairChanged {
                    local_tag: local_tag.get(),
                    local_locator: pair.local,
                    peer_locator: pair.peer,
                }
            }
            HostEvent::PeerTagChanged {
                local_tag,
                peer_tag,
            } => {
                self.activity.insert(local_tag, now);
                Event::PeerTagChanged {
                    local_tag: local_tag.get(),
                    peer_tag: peer_tag.get(),
                }
            }
            HostEvent::Failed {
                local_tag,
                state,
                peer_ulid,
                ..
            } => {
                self.stats.contexts_failed += 1;
                self.i1_sent.remove(&local_tag);
                self.activity.remove(&local_tag);
                self.forced_pairs.remove(&local_tag);
                self.hold_down_peer(peer_ulid, now + NO_R1_HOLDDOWN_TIME);
                Event::Failed {
                    local_tag: local_tag.get(),
                    state: state.rfc_name().into(),
                }
            }
            HostEvent::Removed { local_tag } => {
                self.activity.remove(&local_tag);
                self.forced_pairs.remove(&local_tag);
                Event::Removed {
                    local_tag: local_tag.get(),
                    reason: "hold-down over".into(),
                }
            }
            HostEvent::PeerError { code, pointer } => {
                log::info!("peer sent Error code {code}, pointer {pointer}");
                Event::PeerError { code, pointer }
            }
        };
        self.control.broadcast(&event);
    }
}

/// The context an event of the core is about.
fn event_context(event: &HostEvent) -> Option<ContextTag> {
    match event {
        HostEvent::Established { local_tag }
        | HostEvent::PairChanged { local_tag, .. }
        | HostEvent::PeerTagChanged { local_tag, .. }
        | HostEvent::Failed { local_tag, .. }
        | HostEvent::Removed { local_tag } => Some(*local_tag),
        HostEvent::PeerError { .. } => None,
    }
}

/// Stable counter names for codec errors.
fn malformed_reason(error: &wire::Error) -> &'static str {
    match error {
        wire::Error::Truncated => "truncated",
        wire::Error::BadHdrExtLen => "bad_hdr_ext_len",
        wire::Error::NotControl => "not_control",
        wire::Error::NotPayload => "not_payload",
        wire::Error::NotShim6 => "not_shim6",
        wire::Error::BadChecksum => "bad_checksum",
        wire::Error::UnknownMessageType(_) => "unknown_message_type",
        wire::Error::BadOptionLength { .. } => "bad_option_length",
        wire::Error::UnknownCriticalOption { .. } => "unknown_critical_option",
        wire::Error::DuplicateOption { .. } => "duplicate_option",
        wire::Error::InvalidField(_) => "invalid_field",
        wire::Error::TooLong => "too_long",
        wire::Error::BufferTooSmall => "buffer_too_small",
    }
}
