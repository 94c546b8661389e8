//! shim6-netlink
