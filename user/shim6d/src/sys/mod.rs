//! The only place with `unsafe`: thin, checked wrappers over the system
//! calls the daemon needs (raw IPv6 socket with packet info, `poll`,
//! interface addresses, rtnetlink address installation, network
//! namespaces, signal handlers, the monotonic clock). Everything above
//! this module is safe Rust.
#![allow(unsafe_code)]

pub mod address_events;
pub mod clock;
pub mod credentials;
pub mod interfaces;
pub mod netns;
pub mod poll;
pub mod raw_socket;
pub mod route_netlink;
pub mod signals;

use std::io;

/// Turns a `-1` return of a libc call into the thread's `errno`.
fn check(result: libc::c_int) -> io::Result<libc::c_int> {
    if result < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(result)
    }
}

/// Same for calls returning `ssize_t`.
fn check_size(result: libc::ssize_t) -> io::Result<usize> {
    usize::try_from(result).map_err(|_| io::Error::last_os_error())
}
