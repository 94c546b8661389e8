//! Runs identity generation (RSA key, CGA modifier search: seconds to
//! hours with Sec ≥ 1) on a worker thread. The result comes back over a
//! channel, and one octet on a socket pair wakes the event loop's `poll`.
//! The worker shares no data with the loop.

use std::io::{self, Read, Write};
use std::os::fd::{AsFd, BorrowedFd};
use std::os::unix::net::UnixStream;
use std::sync::mpsc::{self, Receiver, TryRecvError};

use crate::identity::{load_or_generate, Identity, IdentityError, IdentityRequest};

pub struct IdentityJob {
    wake: UnixStream,
    result: Receiver<Result<Identity, IdentityError>>,
}

impl IdentityJob {
    pub fn spawn(request: IdentityRequest) -> io::Result<Self> {
        let (wake, mut wake_writer) = UnixStream::pair()?;
        wake.set_nonblocking(true)?;
        let (sender, result) = mpsc::channel();
        std::thread::Builder::new()
            .name("shim6d-identity".into())
            .spawn(move || {
                let outcome = load_or_generate(&request);
                // The loop may be gone (shutdown); nothing to do then.
                let _ = sender.send(outcome);
                let _ = wake_writer.write_all(&[1]);
            })?;
        Ok(IdentityJob { wake, result })
    }

    /// The finished result, if any. A vanished worker counts as a failure.
    pub fn try_take(&mut self) -> Option<Result<Identity, String>> {
        let mut drain = [0u8; 16];
        let _ = self.wake.read(&mut drain);
        match self.result.try_recv() {
            Ok(outcome) => Some(outcome.map_err(|error| error.to_string())),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => {
                Some(Err("the identity worker stopped without a result".into()))
            }
        }
    }
}

impl AsFd for IdentityJob {
    fn as_fd(&self) -> BorrowedFd<'_> {
        self.wake.as_fd()
    }
}
