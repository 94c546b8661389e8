//! Daemon side of the control channel: a non-blocking Unix listener and its
//! clients, read and written only when `poll` says so.

use std::fs;
use std::io::{self, Read, Write};
use std::os::fd::AsFd;
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};

use super::protocol::{decode_request, encode_line, Event, Reply, Request, MAX_LINE};
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
        let listener = UnixListener::bind(path)?;
        fs::set_permissions(path, fs::Permissions::from_mode(0o600))?;
        listener.set_nonblocking(true)?;
        Ok(ControlServer {
            listener,
            path: path.to_path_buf(),
            clients: Vec::new(),
            next_id: 1,
        })
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
