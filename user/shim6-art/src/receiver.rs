//! The receiving side: accepts one stream (or reads datagrams), times
//! every arrival on the monotonic clock and prints JSON lines.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::{Duration, Instant};

use serde::Serialize;
use socket2::Socket;

use crate::net::{self, Error, Transport};
use crate::record::{Record, StreamFramer};
use crate::report::{ClockAnchor, GapEvent, Measurement, Report};

/// How often the receiver looks at its control requests and deadline
/// while no data arrives; arrival times do not depend on it.
const POLL: Duration = Duration::from_millis(20);

pub struct ReceiverOptions {
    pub listen: SocketAddr,
    pub transport: Transport,
    /// Gaps at least this long are printed as they end.
    pub notable_gap: Duration,
    /// Print the last report and stop this long after starting.
    pub report_after: Option<Duration>,
}

/// A request from the control channel (standard input).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    Report,
    Stop,
}

impl Control {
    pub fn parse(line: &str) -> Result<Control, String> {
        match line.trim() {
            "report" => Ok(Control::Report),
            "stop" | "quit" => Ok(Control::Stop),
            other => Err(format!(
                "unknown request '{other}' (want 'report' or 'stop')"
            )),
        }
    }
}

/// What `run` prints to: JSON lines, flushed one by one so that a script
/// sees each as it happens.
struct Output<W: Write> {
    out: W,
}

impl<W: Write> Output<W> {
    fn line<T: Serialize>(&mut self, value: &T) -> Result<(), Error> {
        let text = serde_json::to_string(value).map_err(|e| Error(format!("JSON: {e}")))?;
        writeln!(self.out, "{text}")
            .and_then(|_| self.out.flush())
            .map_err(|e| Error(format!("standard output: {e}")))
    }
}

#[derive(Serialize)]
struct Listening {
    event: &'static str,
    address: String,
    transport: &'static str,
}

#[derive(Serialize)]
struct Connected {
    event: &'static str,
    peer: String,
}

enum Step {
    Continue,
    Stop,
}

struct Session<W: Write> {
    started: Instant,
    options_deadline: Option<Duration>,
    measurement: Measurement,
    output: Output<W>,
    control: Receiver<Control>,
}

impl<W: Write> Session<W> {
    fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }

    fn arrival(&mut self, at: Duration, octets: usize) -> Result<(), Error> {
        if let Some(gap) = self.measurement.data(at, octets) {
            let gap = self.measurement.gap_json(gap);
            self.output.line(&GapEvent {
                event: "gap",
                gap: &gap,
            })?;
        }
        Ok(())
    }

    /// Answers control requests and checks the deadline.
    fn housekeeping(&mut self) -> Result<Step, Error> {
        loop {
            match self.control.try_recv() {
                Ok(Control::Report) => {
                    let r = self.measurement.report(self.elapsed(), false);
                    self.output.line(&r)?;
                }
                Ok(Control::Stop) => return Ok(Step::Stop),
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => break,
            }
        }
        match self.options_deadline {
            Some(d) if self.elapsed() >= d => Ok(Step::Stop),
            _ => Ok(Step::Continue),
        }
    }

    fn finish(mut self) -> Result<Report, Error> {
        let r = self.measurement.report(self.elapsed(), true);
        self.output.line(&r)?;
        Ok(r)
    }
}

fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// Receives until the sender closes the stream, a `stop` request, or the
/// `report_after` deadline; prints the last report and returns it.
pub fn run<W: Write>(
    options: &ReceiverOptions,
    control: Receiver<Control>,
    out: W,
) -> Result<Report, Error> {
    let socket = net::listen(options.listen, options.transport)?;
    socket
        .set_read_timeout(Some(POLL))
        .map_err(|e| Error(format!("SO_RCVTIMEO: {e}")))?;
    let local = socket
        .local_addr()
        .ok()
        .and_then(|a| a.as_socket())
        .map_or_else(|| options.listen.to_string(), |a| a.to_string());
    let mut session = Session {
        started: Instant::now(),
        options_deadline: options.report_after,
        measurement: Measurement::new(
            options.transport.name(),
            ClockAnchor::now(),
            options.notable_gap,
        ),
        output: Output { out },
        control,
    };
    session.output.line(&Listening {
        event: "listening",
        address: local,
        transport: options.transport.name(),
    })?;
    match options.transport {
        Transport::Udp => receive_datagrams(&socket.into(), &mut session)?,
        Transport::Tcp | Transport::Mptcp => {
            if let Some(stream) = accept(&socket, &mut session)? {
                receive_stream(stream, &mut session)?;
            }
        }
    }
    session.finish()
}

fn accept<W: Write>(listener: &Socket, session: &mut Session<W>) -> Result<Option<Socket>, Error> {
    loop {
        match listener.accept() {
            Ok((stream, peer)) => {
                let peer = peer
                    .as_socket()
                    .map_or_else(|| "?".to_string(), |a| a.to_string());
                session.output.line(&Connected {
                    event: "connected",
                    peer,
                })?;
                stream
                    .set_read_timeout(Some(POLL))
                    .map_err(|e| Error(format!("SO_RCVTIMEO: {e}")))?;
                return Ok(Some(stream));
            }
            Err(e) if is_timeout(&e) => {
                if let Step::Stop = session.housekeeping()? {
                    return Ok(None);
                }
            }
            Err(e) => return Err(Error(format!("accept: {e}"))),
        }
    }
}

fn receive_stream<W: Write>(mut stream: Socket, session: &mut Session<W>) -> Result<(), Error> {
    let mut framer = StreamFramer::default();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => {
                let at = session.elapsed();
                session.arrival(at, n)?;
                let measurement = &mut session.measurement;
                framer.push(&buf[..n], |r| measurement.record(at, r));
            }
            Err(e) if is_timeout(&e) => {}
            Err(e) => return Err(Error(format!("receive: {e}"))),
        }
        if let Step::Stop = session.housekeeping()? {
            return Ok(());
        }
    }
}

fn receive_datagrams<W: Write>(socket: &UdpSocket, session: &mut Session<W>) -> Result<(), Error> {
    let mut buf = [0u8; 2048];
    let mut malformed_reported = false;
    loop {
        match socket.recv(&mut buf) {
            Ok(n) => {
                let at = session.elapsed();
                session.arrival(at, n)?;
                match Record::decode(&buf[..n]) {
                    Ok(r) => session.measurement.record(at, r),
                    Err(e) if !malformed_reported => {
                        eprintln!("shim6-art: ignoring a datagram: {e}");
                        malformed_reported = true;
                    }
                    Err(_) => {}
                }
            }
            Err(e) if is_timeout(&e) => {}
            Err(e) => return Err(Error(format!("receive: {e}"))),
        }
        if let Step::Stop = session.housekeeping()? {
            return Ok(());
        }
    }
}
