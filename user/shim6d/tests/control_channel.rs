//! The control server and the client module talking over a real Unix
//! socket, without the rest of the daemon.

use std::os::unix::fs::PermissionsExt;
use std::thread;
use std::time::{Duration, Instant};

use shim6d::control::client::{ClientError, ControlClient};
use shim6d::control::protocol::{Event, Reply, Request};
use shim6d::control::server::ControlServer;
use shim6d::sys::poll::poll;

/// Serves until `stop` requests were answered: `list` gets an empty list,
/// everything else an error; each answered request is followed by an event.
fn serve(server: &mut ControlServer, answers: usize) {
    let mut answered = 0;
    let deadline = Instant::now() + Duration::from_secs(10);
    while answered < answers && Instant::now() < deadline {
        let mut entries = server.poll_entries();
        poll(&mut entries, Some(Duration::from_millis(100))).unwrap();
        for (client, request) in server.handle_ready(&entries) {
            let reply = match request {
                Ok(Request::List) => Reply::Contexts {
                    contexts: Vec::new(),
                },
                Ok(Request::Monitor) => Reply::Monitoring,
                Ok(other) => Reply::Error {
                    message: format!("not here: {other:?}"),
                },
                Err(message) => Reply::Error { message },
            };
            server.reply(client, &reply);
            server.broadcast(&Event::PeerError {
                code: 0,
                pointer: answered as u16,
            });
            answered += 1;
        }
        server.flush_all();
    }
    // Let the last bytes out.
    for _ in 0..10 {
        server.flush_all();
        thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn client_and_server_exchange_requests_errors_and_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctl.sock");
    let mut server = ControlServer::bind(&path).unwrap();
    let mode = std::fs::metadata(&path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "only root may drive the daemon");

    let client_path = path.clone();
    let client = thread::spawn(move || {
        let monitor = ControlClient::connect(&client_path).unwrap();
        monitor.set_timeout(Some(Duration::from_secs(5))).unwrap();
        let mut events = monitor.monitor().unwrap();

        let mut client = ControlClient::connect(&client_path).unwrap();
        client.set_timeout(Some(Duration::from_secs(5))).unwrap();
        let listed = client.request(&Request::List).unwrap();
        let refused = client.request(&Request::Stats);
        let first_event = events.next_event().unwrap();
        (listed, refused, first_event)
    });
    serve(&mut server, 3);
    let (listed, refused, first_event) = client.join().unwrap();
    assert_eq!(
        listed,
        Reply::Contexts {
            contexts: Vec::new()
        }
    );
    match refused {
        Err(ClientError::Refused(message)) => assert!(message.contains("not here"), "{message}"),
        other => panic!("expected a refusal, got {other:?}"),
    }
    // The monitor joined first, so it sees the event of its own request.
    assert_eq!(
        first_event,
        Event::PeerError {
            code: 0,
            pointer: 0
        }
    );
}

#[test]
fn garbage_lines_get_an_error_reply_and_the_connection_survives() {
    use std::io::{BufRead, BufReader, Write};
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctl.sock");
    let mut server = ControlServer::bind(&path).unwrap();
    let client_path = path.clone();
    let client = thread::spawn(move || {
        let mut stream = std::os::unix::net::UnixStream::connect(&client_path).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
        stream
            .write_all(b"{oops\n\n{\"cmd\":\"list\"}\r\n")
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut lines = Vec::new();
        for _ in 0..2 {
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            lines.push(line);
        }
        lines
    });
    serve(&mut server, 2);
    let lines = client.join().unwrap();
    assert!(lines[0].starts_with("{\"reply\":\"error\""), "{}", lines[0]);
    assert!(lines[0].contains("bad request"), "{}", lines[0]);
    assert_eq!(lines[1], "{\"reply\":\"contexts\",\"contexts\":[]}\n");
}

#[test]
fn a_second_server_on_a_live_socket_is_refused_and_a_stale_one_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ctl.sock");
    let first = ControlServer::bind(&path).unwrap();
    assert!(
        ControlServer::bind(&path).is_err(),
        "live socket must not be stolen"
    );
    // A killed daemon leaves its socket file: simulate with a plain listener.
    drop(first);
    let stale = std::os::unix::net::UnixListener::bind(&path).unwrap();
    drop(stale);
    assert!(path.exists());
    ControlServer::bind(&path).expect("stale socket replaced");
}
