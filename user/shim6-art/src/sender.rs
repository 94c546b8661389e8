//! The sending side: one record every 1/rate seconds until the duration
//! ends (or the process is stopped).

use std::io::{self, Write};
use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use socket2::Socket;

use crate::net::{self, Error, Transport};
use crate::record::Record;

/// How long a TCP or MPTCP connection attempt may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

pub struct SenderOptions {
    pub connect: SocketAddr,
    pub bind: Option<IpAddr>,
    pub transport: Transport,
    /// Records per second.
    pub rate: u32,
    /// Stop after this long; `None` sends until stopped.
    pub duration: Option<Duration>,
}

#[derive(Debug, Serialize)]
pub struct SendSummary {
    pub event: &'static str,
    pub transport: &'static str,
    pub records: u64,
    pub bytes: u64,
    /// Datagrams the kernel refused (UDP only; a TCP error ends the run).
    pub send_errors: u64,
    pub elapsed_s: f64,
}

enum Link {
    Stream(Socket),
    Datagram(UdpSocket),
}

impl Link {
    fn send(&mut self, record: &[u8]) -> io::Result<()> {
        match self {
            Link::Stream(s) => s.write_all(record),
            Link::Datagram(s) => s.send(record).map(|_| ()),
        }
    }
}

fn unix_now_ns() -> u64 {
    let since = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap_or_default();
    u64::try_from(since.as_nanos()).unwrap_or(u64::MAX)
}

/// The time between two records for `rate` records a second.
pub fn interval(rate: u32) -> Result<Duration, Error> {
    if rate == 0 {
        return Err(Error("the rate must be at least 1 record a second".into()));
    }
    Ok(Duration::from_secs(1) / rate)
}

pub fn run(options: &SenderOptions) -> Result<SendSummary, Error> {
    let interval = interval(options.rate)?;
    let socket = net::connect(
        options.connect,
        options.bind,
        options.transport,
        CONNECT_TIMEOUT,
    )?;
    let mut link = match options.transport {
        Transport::Udp => Link::Datagram(socket.into()),
        Transport::Tcp | Transport::Mptcp => Link::Stream(socket),
    };
    let started = Instant::now();
    let mut summary = SendSummary {
        event: "sent",
        transport: options.transport.name(),
        records: 0,
        bytes: 0,
        send_errors: 0,
        elapsed_s: 0.0,
    };
    let mut next = started;
    loop {
        let now = Instant::now();
        if options
            .duration
            .is_some_and(|d| now.duration_since(started) >= d)
        {
            break;
        }
        if next > now {
            thread::sleep(next - now);
        }
        let record = Record {
            seq: summary.records,
            sent_unix_ns: unix_now_ns(),
        }
        .encode();
        match link.send(&record) {
            Ok(()) => {
                summary.records += 1;
                summary.bytes += record.len() as u64;
            }
            Err(e) if options.transport == Transport::Udp => {
                // A failed path may refuse datagrams for a while; the
                // receiver counts what is missing.
                summary.send_errors += 1;
                if summary.send_errors == 1 {
                    eprintln!("shim6-art: send: {e} (counting further errors)");
                }
            }
            Err(e) => return Err(Error(format!("send record {}: {e}", summary.records))),
        }
        // A late start (a blocked write, a slow scheduler) moves the
        // schedule rather than sending a burst to catch up.
        next = (next + interval).max(Instant::now());
    }
    if let Link::Stream(s) = &link {
        let _ = s.shutdown(std::net::Shutdown::Write);
    }
    summary.elapsed_s = started.elapsed().as_secs_f64();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_from_rate() {
        assert_eq!(interval(1000).ok(), Some(Duration::from_millis(1)));
        assert_eq!(interval(3).ok(), Some(Duration::from_nanos(333_333_333)));
        assert_eq!(
            interval(0).map_err(|e| e.to_string()).err().as_deref(),
            Some("the rate must be at least 1 record a second")
        );
    }
}
