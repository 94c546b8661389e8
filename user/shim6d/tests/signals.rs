//! The self-pipe of SIGTERM, SIGINT and SIGHUP (`sys::signals`), in a test
//! process of its own: the handlers are process-wide, and without them
//! SIGTERM would end this process.

use std::process::Command;
use std::time::Duration;

use shim6d::sys::poll::{poll, PollEntry, POLLIN};
use shim6d::sys::signals::{Pending, SignalPipe};

fn send(signal: &str) {
    let status = Command::new("kill")
        .args([signal, &std::process::id().to_string()])
        .status()
        .expect("run kill");
    assert!(status.success());
}

/// Waits for the pipe to become readable, then reads what came.
fn wait(pipe: &SignalPipe) -> Pending {
    let mut entries = [PollEntry::new(std::os::fd::AsFd::as_fd(pipe), POLLIN)];
    for _ in 0..50 {
        poll(&mut entries, Some(Duration::from_millis(100))).unwrap();
        if entries[0].readable() {
            return pipe.take();
        }
    }
    panic!("no signal arrived in 5 s");
}

#[test]
fn signals_become_readable_events_and_nothing_else() {
    let pipe = SignalPipe::install().expect("install the handlers");
    assert_eq!(pipe.take(), Pending::default(), "nothing before any signal");

    send("-HUP");
    assert_eq!(
        wait(&pipe),
        Pending {
            stop: None,
            reload: true
        }
    );
    send("-TERM");
    assert_eq!(
        wait(&pipe).stop,
        Some("SIGTERM"),
        "SIGTERM is a stop, not death"
    );
    send("-INT");
    assert_eq!(wait(&pipe).stop, Some("SIGINT"));

    // Several signals before the loop looks: all are seen, at once.
    send("-HUP");
    send("-TERM");
    std::thread::sleep(Duration::from_millis(200));
    let pending = wait(&pipe);
    assert_eq!(pending.stop, Some("SIGTERM"));
    assert!(pending.reload);
    assert_eq!(pipe.take(), Pending::default(), "taken once");

    // The handlers belong to the process: a second pipe is refused.
    let error = SignalPipe::install().unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::AlreadyExists);
}
