//! Opening a socket inside another network namespace, for test tools that
//! play a forged peer. Only a short-lived thread changes namespace; the
//! socket stays bound to the namespace it was created in.

use std::fs::File;
use std::io;
use std::os::fd::AsRawFd;
use std::path::Path;

use super::raw_socket::RawShim6Socket;

/// A raw Shim6 socket in the namespace `netns` (e.g. a file under
/// `/run/netns`, as `ip netns add` creates).
pub fn raw_shim6_socket_in(netns: &Path) -> io::Result<RawShim6Socket> {
    let namespace = File::open(netns)?;
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                // SAFETY: setns(2) on a descriptor we own; it only changes
                // the namespace of this thread, which ends right after.
                super::check(unsafe { libc::setns(namespace.as_raw_fd(), libc::CLONE_NEWNET) })?;
                RawShim6Socket::open()
            })
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("namespace thread panicked")))
    })
}
