//! Daemon side of the control channel: a non-blocking Unix listener and its
//! clients, read and written only when `poll` says so.

use std::fs;
use std::fs::DirBuilder;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::{DirBuilderExt, FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use super::protocol::{decode_request, encode_line, Event, Reply, Request, MAX_LINE};
use crate::sys::credentials::{effective_uid, peer_uid};
use crate::sys::poll::{PollEntry, POLLIN, POLLOUT};

/// Most simultaneous control clients; more are refused at accept.
const MAX_CLIENTS: usize = 64;
/// A client (typically a stalled monitor) with this much unsent output is
/// disconnected rather than letting the daemon's memory grow.
const MAX_PENDING_OUTPUT: usize = 1024 * 1024;

pub type ClientId = u64;

struct Client {
    id: ClientId,
    stream: UnixStream,
    inbox: Vec<u8>,
    outbox: Vec<u8>,
    monitoring: bool,
    /// Close once the outbox is flushed (peer hung up or sent garbage).
    closing: bool,
}

pub struct ControlServer {
    listener: UnixListener,
    path: PathBuf,
    clients: Vec<Client>,
    next_id: ClientId,
    /// Besides root, the only uid allowed to connect.
    own_uid: u32,
    refused_clients: u64,
}

impl ControlServer {
    /// Binds `path` (mode 0600: the channel can delete contexts). A stale
    /// socket left by a killed daemon is replaced; a live one is an error.
    pub fn bind(path: &Path) -> io::Result<Self> {
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                fs::create_dir_all(parent)?;
            }
        }
        if let Ok(metadata) = fs::symlink_metadata(path) {
            if !metadata.file_type().is_socket() {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    "exists and is not a socket",
                ));
            }
            if UnixStream::connect(path).is_ok() {
                return Err(io::Error::new(
                    io::ErrorKind::AddrInUse,
                    "another daemon answers on it",
                ));
            }
            fs::remove_file(path)?;
        }
        let listener = bind_private(path)?;
        listener.set_nonblocking(true)?;
        Ok(ControlServer {
            listener,
            path: path.to_path_buf(),
            clients: Vec::new(),
            next_id: 1,
            own_uid: effective_uid(),
            refused_clients: 0,
        })
    }

    /// Clients refused because they are neither root nor the daemon's uid.
    pub fn refused_clients(&self) -> u64 {
        self.refused_clients
    }

    /// The listener first, then every client, in the order
    /// [`handle_ready`](Self::handle_ready) expects.
    pub fn poll_entries(&self) -> Vec<PollEntry> {
        let mut entries = vec![PollEntry::new(self.listener.as_fd(), POLLIN)];
        for client in &self.clients {
            let events = if client.outbox.is_empty() {
                POLLIN
            } else {
                POLLIN | POLLOUT
            };
            entries.push(PollEntry::new(client.stream.as_fd(), events));
        }
        entries
    }

    /// Accepts, reads and writes as `entries` (from `poll_entries`, after
    /// `poll`) allow; returns the complete requests received.
    pub fn handle_ready(
        &mut self,
        entries: &[PollEntry],
    ) -> Vec<(ClientId, Result<Request, String>)> {
        let mut requests = Vec::new();
        for (client, entry) in self.clients.iter_mut().zip(entries.iter().skip(1)) {
            if entry.readable() {
                read_requests(client, &mut requests);
            }
            if entry.writable() {
                flush(client);
            }
        }
        if entries.first().is_some_and(PollEntry::readable) {
            self.accept_all();
        }
        requests
    }

    fn accept_all(&mut self) {
        loop {
            match self.listener.accept() {
                Ok((stream, _)) => {
                    if let Err(reason) = may_connect(&stream, self.own_uid) {
                        self.refused_clients += 1;
                        log::warn!("control client refused: {reason}");
                        continue;
                    }
                    if self.clients.len() >= MAX_CLIENTS || stream.set_nonblocking(true).is_err() {
                        log::warn!("control client refused (limit {MAX_CLIENTS})");
                        continue;
                    }
                    let id = self.next_id;
                    self.next_id += 1;
                    self.clients.push(Client {
                        id,
                        stream,
                        inbox: Vec::new(),
                        outbox: Vec::new(),
                        monitoring: false,
                        closing: false,
                    });
                }
                Err(error) if error.kind() == io::ErrorKind::WouldBlock => return,
                Err(error) => {
                    log::warn!("control accept: {error}");
                    return;
                }
            }
        }
    }

    pub fn reply(&mut self, id: ClientId, reply: &Reply) {
        if let Some(client) = self.clients.iter_mut().find(|client| client.id == id) {
            if matches!(reply, Reply::Monitoring) {
                client.monitoring = true;
            }
            client.outbox.extend_from_slice(&encode_line(reply));
        }
    }

    pub fn broadcast(&mut self, event: &Event) {
        let line = encode_line(&Reply::Event {
            event: event.clone(),
        });
        for client in self.clients.iter_mut().filter(|client| client.monitoring) {
            client.outbox.extend_from_slice(&line);
        }
    }

    /// Writes what can be written now and drops finished or stuck clients.
    pub fn flush_all(&mut self) {
        for client in &mut self.clients {
            flush(client);
        }
        self.clients.retain(|client| {
            let stuck = client.outbox.len() > MAX_PENDING_OUTPUT;
            if stuck {
                log::warn!(
                    "control client {} dropped: {} octets unread",
                    client.id,
                    client.outbox.len()
                );
            }
            let finished = client.closing && client.outbox.is_empty();
            !(stuck || finished)
        });
    }
}

impl Drop for ControlServer {
    fn drop(&mut self) {
        let _ = fs::remove_file(&self.path);
    }
}

/// Only root and the daemon's own uid may drive it. The socket's mode
/// says the same, but a mode can be widened by mistake, and a client that
/// connected before any change keeps its connection.
fn may_connect(stream: &UnixStream, own_uid: u32) -> Result<(), String> {
    let uid = peer_uid(stream.as_fd()).map_err(|error| format!("no peer credentials: {error}"))?;
    if uid == 0 || uid == own_uid {
        Ok(())
    } else {
        Err(format!(
            "uid {uid} is neither root nor shim6d's (uid {own_uid})"
        ))
    }
}

/// Binds the socket in a fresh directory of mode 0700 next to `path`,
/// gives it mode 0600 there, then renames it into place: nobody can
/// connect between bind(2) and the chmod, whatever the umask.
fn bind_private(path: &Path) -> io::Result<UnixListener> {
    let file_name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no file name"))?;
    let parent = path.parent().unwrap_or(Path::new("."));
    let mut private_name = std::ffi::OsString::from(".");
    private_name.push(file_name);
    private_name.push(format!(".{}.binding", std::process::id()));
    let private_dir = parent.join(private_name);
    // Left by a daemon of the same pid that died binding (a container
    // restart): it holds nothing but a dead socket.
    match fs::symlink_metadata(&private_dir) {
        Ok(stale) if stale.is_dir() => fs::remove_dir_all(&private_dir)?,
        Ok(_) => fs::remove_file(&private_dir)?,
        Err(_) => {}
    }
    DirBuilder::new().mode(0o700).create(&private_dir)?;
    let staged = private_dir.join("socket");
    let bound = UnixListener::bind(&staged).and_then(|listener| {
        fs::set_permissions(&staged, fs::Permissions::from_mode(0o600))?;
        fs::rename(&staged, path)?;
        Ok(listener)
    });
    let _ = fs::remove_file(&staged);
    let _ = fs::remove_dir(&private_dir);
    bound
}

fn read_requests(client: &mut Client, requests: &mut Vec<(ClientId, Result<Request, String>)>) {
    let mut chunk = [0u8; 4096];
    loop {
        match client.stream.read(&mut chunk) {
            Ok(0) => {
                client.closing = true;
                break;
            }
            Ok(len) => client.inbox.extend_from_slice(&chunk[..len]),
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => break,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => {
                client.closing = true;
                break;
            }
        }
    }
    while let Some(end) = client.inbox.iter().position(|&byte| byte == b'\n') {
        let line: Vec<u8> = client.inbox.drain(..=end).collect();
        let line = line.strip_suffix(b"\n").unwrap_or(&line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        requests.push((client.id, decode_request(line)));
    }
    if client.inbox.len() > MAX_LINE {
        client.inbox.clear();
        client.closing = true;
        requests.push((
            client.id,
            Err(format!("request line longer than {MAX_LINE} octets")),
        ));
    }
}

fn flush(client: &mut Client) {
    while !client.outbox.is_empty() {
        match client.stream.write(&client.outbox) {
            Ok(0) => {
                client.outbox.clear();
                client.closing = true;
            }
            Ok(written) => {
                client.outbox.drain(..written);
            }
            Err(error) if error.kind() == io::ErrorKind::WouldBlock => return,
            Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
            Err(_) => {
                // The reader is gone: nothing more can be delivered.
                client.outbox.clear();
                client.closing = true;
            }
        }
    }
}
