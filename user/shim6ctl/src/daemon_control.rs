//! `shim6ctl daemon ...`: requests to shim6d over its control socket.
//!
//! `--json` prints the daemon's reply line as it came (one object with a
//! `"reply"` field; `monitor` prints one such line per event); text mode
//! prints a table for `list` and `key  value` lines otherwise.

use std::io::Write;
use std::time::Instant;

use serde_json::Value;
use shim6d::control::client::{ClientError, ControlClient};
use shim6d::control::protocol::{encode_line, ContextInfo, Reply, Request, TimerChanges};

use crate::cli::{DaemonArgs, DaemonCommand, MonitorArgs};
use crate::failure::Failure;
use crate::tag::format_tag;

fn request_of(command: &DaemonCommand) -> Request {
    match command {
        DaemonCommand::List => Request::List,
        DaemonCommand::Show { tag } => Request::Show { tag: *tag },
        DaemonCommand::Del { tag } => Request::Delete { tag: *tag },
        DaemonCommand::Connect { peer, local } => Request::Connect {
            peer: *peer,
            local: *local,
        },
        DaemonCommand::Timers(args) => Request::SetTimers(TimerChanges {
            send_timeout_secs: args.send_timeout,
            keepalive_timeout_secs: args.keepalive_timeout,
            i1_retries: args.i1_retries,
            idle_gc_secs: args.idle_gc,
        }),
        DaemonCommand::Path { tag, local, peer } => Request::SetPath {
            tag: *tag,
            local: *local,
            peer: *peer,
        },
        DaemonCommand::Stats => Request::Stats,
        DaemonCommand::Identity => Request::Identity,
        DaemonCommand::Monitor(_) => Request::Monitor,
    }
}

/// Runs one daemon command; what to print (`monitor` prints as it goes).
pub fn run(args: &DaemonArgs, json: bool, out: &mut impl Write) -> Result<String, Failure> {
    let connect = |args: &DaemonArgs| {
        ControlClient::connect(&args.socket).map_err(|error| Failure::Daemon {
            socket: args.socket.display().to_string(),
            error,
        })
    };
    let client = connect(args)?;
    if let DaemonCommand::Monitor(monitor_args) = &args.command {
        return monitor(client, args, monitor_args, json, out).map(|()| String::new());
    }
    let mut client = client;
    let reply = client
        .request(&request_of(&args.command))
        .map_err(|error| Failure::Daemon {
            socket: args.socket.display().to_string(),
            error,
        })?;
    Ok(if json {
        String::from_utf8_lossy(&encode_line(&reply)).into_owned()
    } else {
        reply_text(&reply)
    })
}

fn monitor(
    client: ControlClient,
    args: &DaemonArgs,
    monitor_args: &MonitorArgs,
    json: bool,
    out: &mut impl Write,
) -> Result<(), Failure> {
    let failure = |error: ClientError| Failure::Daemon {
        socket: args.socket.display().to_string(),
        error,
    };
    let mut events = client.monitor().map_err(failure)?;
    let deadline = monitor_args
        .timeout
        .and_then(|timeout| Instant::now().checked_add(timeout));
    let mut seen: u64 = 0;
    while monitor_args.count.map_or(true, |count| seen < count) {
        if let Some(deadline) = deadline {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return timed_out(monitor_args, seen);
            }
            events.set_timeout(Some(left)).map_err(failure)?;
        }
        let event = match events.next_event() {
            Ok(event) => event,
            Err(ClientError::Io(error))
                if matches!(
                    error.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) =>
            {
                return timed_out(monitor_args, seen);
            }
            Err(error) => return Err(failure(error)),
        };
        let line = if json {
            String::from_utf8_lossy(&encode_line(&Reply::Event { event })).into_owned()
        } else {
            event_text(&to_value(&event))
        };
        out.write_all(line.as_bytes()).map_err(Failure::Output)?;
        out.flush().map_err(Failure::Output)?;
        seen += 1;
    }
    Ok(())
}

fn timed_out(args: &MonitorArgs, seen: u64) -> Result<(), Failure> {
    match args.count {
        Some(wanted) => Err(Failure::TooFewEvents { seen, wanted }),
        None => Ok(()),
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// `kind=established local_tag=123 ...`: one line for one JSON object,
/// nested objects as dotted names, arrays comma-separated.
fn flat_text(value: &Value) -> String {
    let mut words = Vec::new();
    flatten("", value, &mut |name, text| {
        words.push(format!("{name}={text}"))
    });
    words.join(" ")
}

/// `established local_tag=123 ...`: the event's kind, then its fields.
fn event_text(value: &Value) -> String {
    let mut value = value.clone();
    let kind = match &mut value {
        Value::Object(map) => map.remove("kind"),
        _ => None,
    };
    let fields = flat_text(&value);
    match kind {
        Some(kind) => format!("{} {fields}\n", scalar_text(&kind)),
        None => format!("{fields}\n"),
    }
}

fn flatten(prefix: &str, value: &Value, emit: &mut dyn FnMut(&str, String)) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                let name = if prefix.is_empty() {
                    key.clone()
                } else {
                    format!("{prefix}.{key}")
                };
                flatten(&name, inner, emit);
            }
        }
        Value::Array(items) => emit(
            prefix,
            items.iter().map(scalar_text).collect::<Vec<_>>().join(","),
        ),
        other => emit(prefix, scalar_text(other)),
    }
}

fn scalar_text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        Value::Null => "-".to_owned(),
        other => other.to_string(),
    }
}

/// `name  value` lines, names padded to one column.
fn lines(value: &Value) -> String {
    let mut rows = Vec::new();
    flatten("", value, &mut |name, text| {
        rows.push((name.to_owned(), text))
    });
    let width = rows.iter().map(|(name, _)| name.len()).max().unwrap_or(0);
    rows.iter()
        .map(|(name, text)| format!("{name:width$}  {text}\n"))
        .collect()
}

fn contexts_table(contexts: &[ContextInfo]) -> String {
    if contexts.is_empty() {
        return "no contexts\n".to_owned();
    }
    let mut text = format!(
        "{:<16} {:<16} {:<12} {:<10} {:<5} {}\n",
        "TAG", "PEER-TAG", "STATE", "REAP", "IDLE", "ULIDS (PAIR IN USE)"
    );
    for ctx in contexts {
        let peer_tag = ctx.peer_tag.map_or("-".to_owned(), format_tag);
        let idle = ctx.idle_secs.map_or("-".to_owned(), |s| format!("{s}s"));
        let reap = ctx.reap_state.as_deref().unwrap_or("-");
        text.push_str(&format!(
            "{:<16} {:<16} {:<12} {:<10} {:<5} {} -> {} ({} -> {})\n",
            format_tag(ctx.local_tag),
            peer_tag,
            ctx.state,
            reap,
            idle,
            ctx.local_ulid,
            ctx.peer_ulid,
            ctx.local_locator,
            ctx.peer_locator
        ));
    }
    text
}

fn reply_text(reply: &Reply) -> String {
    match reply {
        Reply::Contexts { contexts } => contexts_table(contexts),
        Reply::Context { context } => {
            let mut value = to_value(context);
            // Tags in hex, as everywhere in shim6ctl's text output.
            if let Value::Object(map) = &mut value {
                map.insert(
                    "local_tag".into(),
                    Value::String(format_tag(context.local_tag)),
                );
                if let Some(peer_tag) = context.peer_tag {
                    map.insert("peer_tag".into(), Value::String(format_tag(peer_tag)));
                }
            }
            lines(&value)
        }
        Reply::Deleted { tag } => format!("context {} deleted\n", format_tag(*tag)),
        Reply::Connecting { tag } => format!("context {}: I1 sent\n", format_tag(*tag)),
        Reply::Timers { timers } => lines(&to_value(timers)),
        Reply::PathSet { tag, local, peer } => {
            format!(
                "context {}: payload on {local} -> {peer}\n",
                format_tag(*tag)
            )
        }
        Reply::Stats { stats } => lines(&to_value(stats)),
        Reply::Identity { identity } => lines(&to_value(identity)),
        Reply::Monitoring => "monitoring\n".to_owned(),
        Reply::Event { event } => event_text(&to_value(event)),
        Reply::Error { message } => format!("error: {message}\n"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn nested_objects_become_dotted_names_and_arrays_lists() {
        let value = json!({"a": 1, "b": {"c": "x", "d": [1, 2]}, "e": null});
        assert_eq!(flat_text(&value), "a=1 b.c=x b.d=1,2 e=-");
        assert_eq!(lines(&json!({"ab": 1, "c": 2})), "ab  1\nc   2\n");
    }

    #[test]
    fn the_context_table_prints_tags_in_hex() {
        let ctx = ContextInfo {
            local_tag: 0x1234,
            peer_tag: None,
            state: "I1-SENT".into(),
            local_ulid: "2001:db8:a1::1".parse().unwrap(),
            peer_ulid: "2001:db8:b1::1".parse().unwrap(),
            local_locator: "2001:db8:a1::1".parse().unwrap(),
            peer_locator: "2001:db8:b1::1".parse().unwrap(),
            peer_locators: vec![],
            reap_state: None,
            update_pending: false,
            idle_secs: Some(3),
        };
        let table = contexts_table(&[ctx]);
        let row = table.lines().nth(1).unwrap();
        assert!(row.starts_with("0x1234 "), "{row}");
        assert!(row.contains("I1-SENT") && row.contains(" 3s "), "{row}");
        assert_eq!(contexts_table(&[]), "no contexts\n");
    }

    /// A stand-in daemon: answers `requests` requests from `answer`, then
    /// sends `events` events to monitors.
    fn fake_daemon(
        path: std::path::PathBuf,
        requests: usize,
        answer: fn(Request) -> Reply,
    ) -> std::thread::JoinHandle<()> {
        use shim6d::control::protocol::Event;
        use shim6d::control::server::ControlServer;
        use shim6d::sys::poll::poll;
        use std::time::Duration;
        let mut server = ControlServer::bind(&path).unwrap();
        std::thread::spawn(move || {
            let deadline = Instant::now() + Duration::from_secs(10);
            let mut answered = 0;
            while answered < requests && Instant::now() < deadline {
                let mut entries = server.poll_entries();
                poll(&mut entries, Some(Duration::from_millis(50))).unwrap();
                for (client, request) in server.handle_ready(&entries) {
                    let reply = request.map_or_else(|message| Reply::Error { message }, answer);
                    server.reply(client, &reply);
                    answered += 1;
                }
                server.flush_all();
            }
            for pointer in 0..3 {
                server.broadcast(&Event::PeerError { code: 1, pointer });
                server.flush_all();
                std::thread::sleep(Duration::from_millis(20));
            }
        })
    }

    fn daemon_args(path: &std::path::Path, command: DaemonCommand) -> DaemonArgs {
        DaemonArgs {
            socket: path.to_path_buf(),
            command,
        }
    }

    #[test]
    fn replies_print_as_text_or_as_the_daemon_sent_them() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ctl.sock");
        let server = fake_daemon(path.clone(), 3, |request| match request {
            Request::Delete { tag } => Reply::Deleted { tag },
            Request::SetPath { tag, .. } => Reply::Error {
                message: format!("no context with tag {tag}"),
            },
            other => Reply::Error {
                message: format!("unexpected {other:?}"),
            },
        });
        let mut out = Vec::new();
        let text = run(
            &daemon_args(&path, DaemonCommand::Del { tag: 0x10 }),
            false,
            &mut out,
        )
        .unwrap();
        assert_eq!(text, "context 0x10 deleted\n");
        let json = run(
            &daemon_args(&path, DaemonCommand::Del { tag: 0x10 }),
            true,
            &mut out,
        )
        .unwrap();
        assert_eq!(json, "{\"reply\":\"deleted\",\"tag\":16}\n");
        let path_command = DaemonCommand::Path {
            tag: 5,
            local: "2001:db8:a1::1".parse().unwrap(),
            peer: "2001:db8:b1::1".parse().unwrap(),
        };
        match run(&daemon_args(&path, path_command), false, &mut out) {
            Err(failure) => {
                assert_eq!(failure.to_string(), "shim6d refused: no context with tag 5")
            }
            Ok(text) => panic!("a refusal printed {text:?}"),
        }
        server.join().unwrap();
    }

    #[test]
    fn monitor_prints_events_until_the_count() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ctl.sock");
        let server = fake_daemon(path.clone(), 1, |_| Reply::Monitoring);
        let monitor_args = MonitorArgs {
            count: Some(2),
            timeout: Some(std::time::Duration::from_secs(5)),
        };
        let mut out = Vec::new();
        run(
            &daemon_args(&path, DaemonCommand::Monitor(monitor_args)),
            false,
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "peer-error code=1 pointer=0\npeer-error code=1 pointer=1\n"
        );
        server.join().unwrap();
    }

    #[test]
    fn no_daemon_names_the_socket() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("absent.sock");
        match run(
            &daemon_args(&path, DaemonCommand::List),
            false,
            &mut Vec::new(),
        ) {
            Err(failure) => assert!(failure.to_string().contains("absent.sock"), "{failure}"),
            Ok(text) => panic!("no daemon, yet {text:?}"),
        }
    }

    #[test]
    fn every_command_maps_to_its_request() {
        let timers = DaemonCommand::Timers(crate::cli::DaemonTimersArgs {
            send_timeout: Some(3),
            keepalive_timeout: None,
            i1_retries: None,
            idle_gc: Some(60),
        });
        assert_eq!(
            request_of(&timers),
            Request::SetTimers(TimerChanges {
                send_timeout_secs: Some(3),
                idle_gc_secs: Some(60),
                ..TimerChanges::default()
            })
        );
        assert_eq!(
            request_of(&DaemonCommand::Del { tag: 7 }),
            Request::Delete { tag: 7 }
        );
    }
}
