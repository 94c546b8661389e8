//! `poll(2)` over a handful of descriptors.
//!
//! Plain `poll` instead of `mio`/`epoll`: the daemon watches a few
//! descriptors (one raw socket, one listener, the control clients, one
//! wake-up socket), rebuilt each turn of the loop, so readiness lists buy
//! nothing, and one dependency fewer keeps the audit surface small.

use std::io;
use std::os::fd::{AsRawFd, BorrowedFd};
use std::time::Duration;

pub use libc::{POLLERR, POLLHUP, POLLIN, POLLNVAL, POLLOUT};

/// One watched descriptor; `revents` is filled by [`poll`].
#[derive(Debug, Clone, Copy)]
pub struct PollEntry {
    raw: libc::pollfd,
}

impl PollEntry {
    pub fn new(fd: BorrowedFd<'_>, events: libc::c_short) -> Self {
        PollEntry {
            raw: libc::pollfd {
                fd: fd.as_raw_fd(),
                events,
                revents: 0,
            },
        }
    }

    pub fn readable(&self) -> bool {
        self.raw.revents & (POLLIN | POLLHUP | POLLERR) != 0
    }

    pub fn writable(&self) -> bool {
        self.raw.revents & POLLOUT != 0
    }

    pub fn failed(&self) -> bool {
        self.raw.revents & (POLLERR | POLLNVAL) != 0
    }
}

/// Waits until an entry is ready or `timeout` passes (`None`: forever).
/// A signal interrupting the wait counts as a timeout.
pub fn poll(entries: &mut [PollEntry], timeout: Option<Duration>) -> io::Result<usize> {
    let millis = match timeout {
        None => -1,
        // Round up so a deadline 0.4 ms away does not spin at 0 ms.
        Some(timeout) => {
            let micros = timeout.as_micros();
            libc::c_int::try_from(micros.div_ceil(1000)).unwrap_or(libc::c_int::MAX)
        }
    };
    let count = libc::nfds_t::try_from(entries.len())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    // Copy into a plain pollfd array so no layout of PollEntry is assumed.
    let mut raw: Vec<libc::pollfd> = entries.iter().map(|entry| entry.raw).collect();
    // SAFETY: `raw` is a valid, exclusively borrowed array of `count`
    // pollfd structures for the duration of the call.
    let result = unsafe { libc::poll(raw.as_mut_ptr(), count, millis) };
    match super::check(result) {
        Ok(ready) => {
            for (entry, filled) in entries.iter_mut().zip(raw) {
                entry.raw.revents = filled.revents;
            }
            Ok(usize::try_from(ready).unwrap_or(0))
        }
        Err(error) if error.kind() == io::ErrorKind::Interrupted => Ok(0),
        Err(error) => Err(error),
    }
}
