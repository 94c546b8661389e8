//! SIGTERM, SIGINT and SIGHUP as readable events for the `poll` loop: a
//! self-pipe. The handler only records which signal came (an atomic bit)
//! and writes one octet to a non-blocking socket whose other end the loop
//! polls; the loop then reads the bits, outside the handler, and acts.
//!
//! A self-pipe rather than signalfd: signalfd needs the signals blocked in
//! every thread, including the identity worker and any thread a library
//! starts, or a signal reaching one of those kills the process; a handler
//! works whichever thread takes the signal.

use std::io::{self, Read};
use std::os::fd::{AsFd, AsRawFd, BorrowedFd, IntoRawFd};
use std::os::unix::net::UnixStream;
use std::sync::atomic::{AtomicI32, AtomicU32, Ordering};

use super::check;

const STOP_TERM: u32 = 1;
const STOP_INT: u32 = 1 << 1;
const RELOAD: u32 = 1 << 2;

/// Signals received since the last [`SignalPipe::take`].
static PENDING: AtomicU32 = AtomicU32::new(0);
/// The write end of the pipe, for the handler; -1 until installed.
static WAKE_FD: AtomicI32 = AtomicI32::new(-1);

/// What arrived since the last look.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pending {
    /// "SIGTERM" or "SIGINT" when one asked the daemon to stop.
    pub stop: Option<&'static str>,
    /// SIGHUP: reload the configuration.
    pub reload: bool,
}

/// The read end of the self-pipe, with the handlers installed.
#[derive(Debug)]
pub struct SignalPipe {
    read: UnixStream,
}

impl SignalPipe {
    /// Installs the handlers of SIGTERM, SIGINT and SIGHUP for the whole
    /// process. Once per process: a second call fails with
    /// `AlreadyExists` (the first pipe keeps receiving).
    pub fn install() -> io::Result<SignalPipe> {
        let (read, write) = UnixStream::pair()?;
        read.set_nonblocking(true)?;
        // A full pipe must never block the handler: the octets already in
        // it wake the loop, and the bits say which signals came.
        write.set_nonblocking(true)?;
        let write_fd = write.as_raw_fd();
        if WAKE_FD
            .compare_exchange(-1, write_fd, Ordering::SeqCst, Ordering::SeqCst)
            .is_err()
        {
            return Err(io::Error::new(
                io::ErrorKind::AlreadyExists,
                "signal handlers are already installed",
            ));
        }
        // The write end lives as long as the process: the handler may
        // run at any time until exit.
        let _ = write.into_raw_fd();
        for signal in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
            install_handler(signal)?;
        }
        Ok(SignalPipe { read })
    }

    /// Empties the pipe and returns the signals seen since the last call.
    /// Drained before the bits are read: a signal coming in between
    /// leaves an octet behind, so the loop wakes once more, finds it, and
    /// nothing is lost.
    pub fn take(&self) -> Pending {
        let mut drain = [0u8; 64];
        loop {
            match (&self.read).read(&mut drain) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(_) => break,
            }
        }
        let bits = PENDING.swap(0, Ordering::SeqCst);
        Pending {
            stop: if bits & STOP_TERM != 0 {
                Some("SIGTERM")
            } else if bits & STOP_INT != 0 {
                Some("SIGINT")
            } else {
                None
            },
            reload: bits & RELOAD != 0,
        }
    }
}

impl AsFd for SignalPipe {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.read.as_fd()
    }
}

fn install_handler(signal: libc::c_int) -> io::Result<()> {
    // SAFETY: sigaction is plain data; all-zero is a valid value (no
    // flags, empty mask) that the fields below complete.
    let mut action: libc::sigaction = unsafe { std::mem::zeroed() };
    action.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SA_RESTART: the other threads' blocking calls (the identity
    // worker's file I/O) resume instead of failing with EINTR; poll(2) is
    // never restarted, so the loop still wakes at once.
    action.sa_flags = libc::SA_RESTART;
    // SAFETY: sa_mask is a valid sigset_t owned by `action`.
    check(unsafe { libc::sigemptyset(&mut action.sa_mask) })?;
    // SAFETY: `action` is fully initialised and its handler only does
    // async-signal-safe work (atomics and write(2)); no old action wanted.
    check(unsafe { libc::sigaction(signal, &action, std::ptr::null_mut()) })?;
    Ok(())
}

/// The handler: async-signal-safe only (atomic operations, write(2)), and
/// errno is kept for the code it interrupted.
extern "C" fn on_signal(signal: libc::c_int) {
    let bit = match signal {
        libc::SIGTERM => STOP_TERM,
        libc::SIGINT => STOP_INT,
        libc::SIGHUP => RELOAD,
        _ => 0,
    };
    PENDING.fetch_or(bit, Ordering::SeqCst);
    let fd = WAKE_FD.load(Ordering::SeqCst);
    if fd < 0 {
        return;
    }
    // SAFETY: __errno_location returns this thread's errno, valid for the
    // thread's lifetime.
    let errno = unsafe { *libc::__errno_location() };
    let octet = 1u8;
    // SAFETY: `fd` is the never-closed, non-blocking write end of the
    // pipe, and the buffer is one live octet. A failure (pipe full) is
    // harmless: the octets already there wake the loop.
    let _ = unsafe { libc::write(fd, (&octet as *const u8).cast(), 1) };
    // SAFETY: as above; restores the interrupted code's errno.
    unsafe { *libc::__errno_location() = errno };
}
