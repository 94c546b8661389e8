//! The sd_notify protocol (sd_notify(3)), without libsystemd: one datagram
//! of newline-separated `KEY=VALUE` assignments to the AF_UNIX socket
//! named by `$NOTIFY_SOCKET`, a path or, after `@`, an abstract name.
//! Without `$NOTIFY_SOCKET` nothing is ever sent.
//!
//! systemd attributes the datagram to the sender's pid (the kernel adds
//! the credentials), so any thread of the daemon may send; the unit's
//! default NotifyAccess=main accepts them.

use std::ffi::OsStr;
use std::io;
use std::os::linux::net::SocketAddrExt;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::net::{SocketAddr, UnixDatagram};
use std::path::Path;

/// Where notifications go; inactive when the service manager asked for
/// none.
#[derive(Debug, Default)]
pub struct Notifier {
    target: Option<Target>,
}

#[derive(Debug)]
struct Target {
    socket: UnixDatagram,
    address: SocketAddr,
    /// `$NOTIFY_SOCKET` as given, for messages.
    name: String,
}

impl Notifier {
    /// One that sends nothing.
    pub fn inactive() -> Notifier {
        Notifier { target: None }
    }

    /// From `$NOTIFY_SOCKET`: inactive when it is unset or empty; an
    /// error when it names something this implementation cannot reach
    /// (the caller logs it and goes on without notifications).
    pub fn from_env() -> io::Result<Notifier> {
        match std::env::var_os("NOTIFY_SOCKET") {
            Some(name) if !name.is_empty() => Notifier::to_socket(&name),
            _ => Ok(Notifier::inactive()),
        }
    }

    /// To the socket `name`: an absolute path, or `@name` for the abstract
    /// namespace. Other forms (systemd ≥ 254's `vsock:` addresses) are
    /// refused.
    pub fn to_socket(name: &OsStr) -> io::Result<Notifier> {
        let bytes = name.as_bytes();
        let address = match bytes.first() {
            Some(b'@') => SocketAddr::from_abstract_name(&bytes[1..])?,
            Some(b'/') => SocketAddr::from_pathname(Path::new(name))?,
            _ => {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidInput,
                    format!(
                        "NOTIFY_SOCKET={:?} is neither an absolute path nor an @abstract name",
                        name.to_string_lossy()
                    ),
                ))
            }
        };
        let socket = UnixDatagram::unbound()?;
        // A stalled service manager must never stall the daemon: a full
        // queue drops the notification (the next one carries the state).
        socket.set_nonblocking(true)?;
        Ok(Notifier {
            target: Some(Target {
                socket,
                address,
                name: name.to_string_lossy().into_owned(),
            }),
        })
    }

    pub fn is_active(&self) -> bool {
        self.target.is_some()
    }

    /// Sends `assignments` (`KEY=VALUE` lines) as one datagram; nothing,
    /// successfully, when inactive.
    pub fn notify(&self, assignments: &[(&str, &str)]) -> io::Result<()> {
        let Some(target) = &self.target else {
            return Ok(());
        };
        let message = encode(assignments);
        target
            .socket
            .send_to_addr(message.as_bytes(), &target.address)
            .map_err(|error| io::Error::new(error.kind(), format!("{}: {error}", target.name)))?;
        Ok(())
    }
}

/// `KEY=VALUE\n…`; a value is one line, so a line break in it (a status
/// quoting an error) becomes a space.
pub fn encode(assignments: &[(&str, &str)]) -> String {
    let mut message = String::new();
    for (key, value) in assignments {
        message.push_str(key);
        message.push('=');
        message.extend(value.chars().map(|c| if c == '\n' { ' ' } else { c }));
        message.push('\n');
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn receive(socket: &UnixDatagram) -> String {
        socket
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        let mut buffer = [0u8; 4096];
        let len = socket.recv(&mut buffer).expect("a notification");
        String::from_utf8(buffer[..len].to_vec()).unwrap()
    }

    #[test]
    fn a_datagram_reaches_a_path_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let listener = UnixDatagram::bind(&path).unwrap();
        let notifier = Notifier::to_socket(path.as_os_str()).unwrap();
        assert!(notifier.is_active());
        notifier
            .notify(&[("READY", "1"), ("STATUS", "2 contexts")])
            .unwrap();
        assert_eq!(receive(&listener), "READY=1\nSTATUS=2 contexts\n");
    }

    #[test]
    fn a_datagram_reaches_an_abstract_socket() {
        let name = format!("shim6d-notify-test-{}", std::process::id());
        let address = SocketAddr::from_abstract_name(name.as_bytes()).unwrap();
        let listener = UnixDatagram::bind_addr(&address).unwrap();
        let notifier = Notifier::to_socket(OsStr::new(&format!("@{name}"))).unwrap();
        notifier.notify(&[("STOPPING", "1")]).unwrap();
        assert_eq!(receive(&listener), "STOPPING=1\n");
    }

    #[test]
    fn an_inactive_notifier_sends_nothing_and_succeeds() {
        let notifier = Notifier::inactive();
        assert!(!notifier.is_active());
        notifier.notify(&[("READY", "1")]).unwrap();
    }

    #[test]
    fn names_systemd_does_not_give_are_refused() {
        for name in ["relative/path", "vsock:2:1234", "notify"] {
            let error = Notifier::to_socket(OsStr::new(name)).unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::InvalidInput, "{name}");
        }
    }

    #[test]
    fn a_missing_listener_is_an_error_naming_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nobody");
        let notifier = Notifier::to_socket(path.as_os_str()).unwrap();
        let error = notifier.notify(&[("READY", "1")]).unwrap_err();
        assert!(error.to_string().contains("nobody"), "{error}");
    }

    #[test]
    fn values_stay_on_one_line() {
        assert_eq!(
            encode(&[("STATUS", "no identity: bad\nkey")]),
            "STATUS=no identity: bad key\n"
        );
    }
}
