//! The numbers of the `shim6` family, mirroring the module's `genl.rs`
//! (`mod cmd`, `mod attr`, `mod locator_attr`, `mod stat_attr`) and `shim6.yaml`; the spec
//! test checks all three agree, using [`CONSTANT_TABLES`].

/// Family name, as registered with genetlink.
pub const FAMILY_NAME: &str = "shim6";
/// Family version (`genlmsghdr.version`).
pub const FAMILY_VERSION: u8 = 1;
/// The multicast group carrying events.
pub const EVENTS_GROUP: &str = "events";

/// One module of constants, by name, widened to `u64` for comparison.
pub type ConstantTable = (&'static str, &'static [(&'static str, u64)]);

macro_rules! constant_modules {
    ($($(#[$doc:meta])* pub mod $module:ident: $ty:ty { $($(#[$item_doc:meta])* $name:ident = $value:expr,)* })*) => {
        $(
            $(#[$doc])*
            pub mod $module {
                $($(#[$item_doc])* pub const $name: $ty = $value;)*
            }
        )*

        /// Every constant above, module by module, named as in the source.
        pub const CONSTANT_TABLES: &[ConstantTable] = &[
            $((stringify!($module), &[$((stringify!($name), $module::$name as u64),)*]),)*
        ];
    };
}

/// Context tags are 47-bit values (RFC 5533, section 5.1); 0 is not used.
pub const TAG_MAX: u64 = (1 << 47) - 1;

/// The commands that need `CAP_NET_ADMIN` in the user namespace owning the
/// network namespace (`uns-admin-perm` in the spec): every one but `get-info`.
/// Contexts and parameters are read as privileged as they are written: a
/// context's tags authenticate REAP and Update messages.
pub const ADMIN_COMMANDS: &[u8] = &[
    cmd::CTX_ADD,
    cmd::CTX_DEL,
    cmd::CTX_GET,
    cmd::CTX_SET_PATH,
    cmd::CTX_SET_TIMERS,
    cmd::CTX_UPDATE,
    cmd::SET_PARAMS,
    cmd::GET_PARAMS,
    cmd::SET_PEER_POLICY,
];

/// Whether joining [`EVENTS_GROUP`] needs `CAP_NET_ADMIN` (as above): the
/// events name every flow of the namespace.
pub const EVENTS_GROUP_NEEDS_ADMIN: bool = true;

/// Whether command `command` needs `CAP_NET_ADMIN`.
pub fn needs_admin(command: u8) -> bool {
    ADMIN_COMMANDS.contains(&command)
}

constant_modules! {
    /// Commands (`genlmsghdr.cmd`): requests 1..=10, events from 20 (the
    /// command of a message on the `events` group is the event's kind).
    pub mod cmd: u8 {
        /// Module version and this namespace's counters.
        GET_INFO = 1,
        /// Install a context (admin).
        CTX_ADD = 2,
        /// Remove a context (admin).
        CTX_DEL = 3,
        /// One context by local tag, or all of them as a dump.
        CTX_GET = 4,
        /// Change a context's current locator pair (admin).
        CTX_SET_PATH = 5,
        /// Change a context's Send and Keepalive timeouts (admin).
        CTX_SET_TIMERS = 6,
        /// Change a context's peer tag or locator sets (admin).
        CTX_UPDATE = 7,
        /// Set the context-establishment trigger thresholds (admin).
        SET_PARAMS = 8,
        /// Get the context-establishment trigger thresholds.
        GET_PARAMS = 9,
        /// Set the trigger policy for one peer (admin).
        SET_PEER_POLICY = 10,
        /// Event: traffic between two addresses should get a context.
        EVT_TRIGGER = 20,
        /// Event: a context's Send Timer expired.
        EVT_SEND_TIMEOUT = 21,
        /// Event: a payload packet arrived with an unknown context tag.
        EVT_UNKNOWN_TAG = 22,
        /// Event: a packet arrived on a pair other than the current one.
        EVT_RX_EXPLORING = 23,
        /// Event: a context's current locator pair changed.
        EVT_PATH_CHANGED = 24,
        /// Event: a rewriting pair was refused, an IPsec policy covering
        /// the ULID pair.
        EVT_IPSEC_REFUSED = 25,
    }

    /// Top-level attributes (attribute set `shim6`).
    pub mod attr: u16 {
        /// NUL-terminated module version.
        VERSION = 1,
        /// Nest of `stat_attr::ENTRY` nests.
        STATS = 2,
        /// Aligns the u64 attribute that follows it; carries nothing.
        PAD = 3,
        /// u64, 47-bit context tag we allocated.
        LOCAL_TAG = 4,
        /// u64, 47-bit context tag the peer allocated.
        PEER_TAG = 5,
        /// 16-octet IPv6 address.
        LOCAL_ULID = 6,
        PEER_ULID = 7,
        /// The current locator pair, 16 octets each.
        LOCAL_LOCATOR = 8,
        PEER_LOCATOR = 9,
        /// Nest of repeated `locator_attr::LOCATOR`.
        LOCAL_LOCATORS = 10,
        PEER_LOCATORS = 11,
        /// u32 milliseconds.
        SEND_TIMEOUT_MS = 12,
        KEEPALIVE_TIMEOUT_MS = 13,
        /// u8, see [`crate::context::ReapState`].
        REAP_STATE = 14,
        /// u32 thresholds of the context-establishment trigger.
        TRIGGER_BYTES = 15,
        TRIGGER_SECONDS = 16,
        /// u8, see [`crate::request::TriggerPolicy`].
        TRIGGER_POLICY = 17,
        /// 16-octet IPv6 addresses of events and peer policies.
        LOCAL_ADDRESS = 18,
        PEER_ADDRESS = 19,
        /// u64 traffic counters of a context.
        TX_PACKETS = 20,
        RX_PACKETS = 21,
        TX_BYTES = 22,
        RX_BYTES = 23,
        /// u32 milliseconds since the last packet each way.
        LAST_TX_MS = 24,
        LAST_RX_MS = 25,
    }

    /// Inside `attr::LOCAL_LOCATORS` and `attr::PEER_LOCATORS` (set `locators`).
    pub mod locator_attr: u16 {
        /// One 16-octet IPv6 address; repeated.
        LOCATOR = 1,
    }

    /// Inside `attr::STATS` (set `stats`) and each entry (set `stats-entry`).
    pub mod stat_attr: u16 {
        /// One counter: a nest of `NAME` and `VALUE`.
        ENTRY = 1,
        /// NUL-terminated counter name, such as `Shim6InfoRequests`.
        NAME = 1,
        /// u64 counter value.
        VALUE = 2,
        PAD = 3,
    }
}
