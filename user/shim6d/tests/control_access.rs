//! Who can reach the control channel (L5 of the security review): the
//! socket never exists at its path with a mode other than 0600, and a
//! client that is neither root nor the daemon's uid is refused and
//! counted even when the socket's mode would let it in.

use std::ffi::OsString;
use std::fs;
use std::io::Read;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::os::unix::fs::PermissionsExt;
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::thread;
use std::time::{Duration, Instant};

use shim6d::control::server::ControlServer;
use shim6d::sys::poll::poll;

/// Directory events of `dir` while `action` runs: (IN_CREATE or
/// IN_MOVED_TO, name) in order.
fn watch_directory(dir: &Path, action: impl FnOnce()) -> Vec<(&'static str, OsString)> {
    use std::os::unix::ffi::{OsStrExt, OsStringExt};
    // SAFETY: plain syscall; the result is checked before use.
    let raw = unsafe { libc::inotify_init1(libc::IN_CLOEXEC | libc::IN_NONBLOCK) };
    assert!(
        raw >= 0,
        "inotify_init1: {}",
        std::io::Error::last_os_error()
    );
    // SAFETY: `raw` is a fresh descriptor nobody else owns.
    let fd = unsafe { OwnedFd::from_raw_fd(raw) };
    let c_dir = std::ffi::CString::new(dir.as_os_str().as_bytes()).unwrap();
    // SAFETY: `c_dir` is a NUL-terminated path, live for the call.
    let watch = unsafe {
        libc::inotify_add_watch(
            fd.as_raw_fd(),
            c_dir.as_ptr(),
            libc::IN_CREATE | libc::IN_MOVED_TO,
        )
    };
    assert!(
        watch >= 0,
        "inotify_add_watch: {}",
        std::io::Error::last_os_error()
    );
    action();
    let mut buffer = vec![0u8; 64 * 1024];
    // SAFETY: `buffer` is writable for its length.
    let len = unsafe { libc::read(fd.as_raw_fd(), buffer.as_mut_ptr().cast(), buffer.len()) };
    let len = usize::try_from(len).unwrap_or(0);
    let mut events = Vec::new();
    let mut at = 0;
    const HEADER: usize = 16; // wd, mask, cookie, len
    while at + HEADER <= len {
        let field = |offset: usize| {
            u32::from_ne_bytes(buffer[at + offset..at + offset + 4].try_into().unwrap())
        };
        let (mask, name_len) = (field(4), field(12) as usize);
        let name = &buffer[at + HEADER..at + HEADER + name_len];
        let name = name.split(|&b| b == 0).next().unwrap_or_default();
        let kind = if mask & libc::IN_MOVED_TO != 0 {
            "moved_to"
        } else {
            "create"
        };
        events.push((kind, OsString::from_vec(name.to_vec())));
        at += HEADER + name_len;
    }
    events
}

#[test]
fn the_socket_appears_at_its_path_only_by_rename_with_mode_0600() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctl.sock");
    // The widest umask would make a freshly bound socket 0777.
    // SAFETY: umask(2) cannot fail; restored below.
    let old_umask = unsafe { libc::umask(0) };
    let mut server = None;
    let events = watch_directory(dir.path(), || {
        server = Some(ControlServer::bind(&path).unwrap());
    });
    // SAFETY: as above.
    unsafe { libc::umask(old_umask) };
    let socket_events: Vec<&str> = events
        .iter()
        .filter(|(_, name)| name == "ctl.sock")
        .map(|(kind, _)| *kind)
        .collect();
    assert_eq!(
        socket_events,
        ["moved_to"],
        "bound elsewhere, then renamed into place: {events:?}"
    );
    let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    let left: Vec<_> = fs::read_dir(dir.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    assert_eq!(
        left,
        [OsString::from("ctl.sock")],
        "no staging directory left"
    );
    drop(server);
}

fn require_root() {
    // SAFETY: geteuid(2) cannot fail.
    let euid = unsafe { libc::geteuid() };
    assert_eq!(
        euid, 0,
        "this test needs root (it connects as another uid); run it as root"
    );
}

/// Connects to `path` from a thread whose effective uid is `uid`. The raw
/// syscall changes this thread's credentials only (the libc wrapper would
/// change every thread's), and they end with the thread.
fn connect_as(uid: u32, path: &Path) -> std::io::Result<UnixStream> {
    let path = path.to_path_buf();
    thread::spawn(move || {
        // SAFETY: setresuid on this thread only; -1 keeps the real and
        // saved uids (root), so nothing is lost for good.
        let changed = unsafe {
            libc::syscall(
                libc::SYS_setresuid,
                libc::uid_t::MAX as libc::c_long,
                uid as libc::c_long,
                libc::uid_t::MAX as libc::c_long,
            )
        };
        assert_eq!(changed, 0, "setresuid: {}", std::io::Error::last_os_error());
        UnixStream::connect(&path)
    })
    .join()
    .unwrap()
}

#[test]
fn a_client_of_another_uid_is_refused_and_counted() {
    require_root();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctl.sock");
    let mut server = ControlServer::bind(&path).unwrap();
    // As if an administrator widened the modes: only the uid check is left.
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    fs::set_permissions(&path, fs::Permissions::from_mode(0o666)).unwrap();

    let mut stranger = connect_as(65534, &path).expect("the file mode lets nobody connect");
    stranger
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    let root = UnixStream::connect(&path).unwrap();
    let deadline = Instant::now() + Duration::from_secs(5);
    while server.refused_clients() == 0 && Instant::now() < deadline {
        let mut entries = server.poll_entries();
        poll(&mut entries, Some(Duration::from_millis(100))).unwrap();
        server.handle_ready(&entries);
    }
    assert_eq!(server.refused_clients(), 1, "the stranger, not root");
    let mut byte = [0u8; 1];
    assert_eq!(
        stranger.read(&mut byte).unwrap(),
        0,
        "the stranger's connection was closed"
    );
    drop(root);
}
