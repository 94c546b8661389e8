//! The numbers of the `shim6` family, mirroring the module's `genl.rs`
//! (`mod cmd`, `mod attr`, `mod stat_attr`) and `shim6.yaml`; the spec
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

constant_modules! {
    /// Commands (`genlmsghdr.cmd`).
    pub mod cmd: u8 {
        /// Module version and this namespace's counters.
        GET_INFO = 1,
    }

    /// Top-level attributes (attribute set `shim6`).
    pub mod attr: u16 {
        /// NUL-terminated module version.
        VERSION = 1,
        /// Nest of `stat_attr::ENTRY` nests.
        STATS = 2,
        PAD = 3,
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
