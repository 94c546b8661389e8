//! Command line syntax.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use clap::{Args, Parser, Subcommand};

use crate::net::{parse_listen_address, Transport};

/// Application recovery time meter: `server` receives a steady stream of
/// numbered records and prints, as JSON lines, every silence of at least
/// --min-gap-ms as it ends and a report (the largest gap is the ART) on
/// request or at the end; `client` sends that stream.
#[derive(Debug, Parser)]
#[command(name = "shim6-art", version)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Receive one stream (or datagrams) and report the gaps.  Standard
    /// input takes requests, one a line: `report` prints the report so
    /// far, `stop` prints the last one and exits.  Also stops when the
    /// sender closes the stream or at --report-after.
    Server(ServerArgs),
    /// Send numbered, timestamped 16-octet records at a steady rate;
    /// prints a summary when done.
    Client(ClientArgs),
}

#[derive(Debug, Args)]
pub struct TransportArgs {
    /// Use MPTCP (IPPROTO_MPTCP) instead of TCP.
    #[arg(long, conflicts_with = "udp")]
    pub mptcp: bool,
    /// Use UDP instead of TCP: each record is one datagram.
    #[arg(long)]
    pub udp: bool,
}

impl TransportArgs {
    pub fn transport(&self) -> Transport {
        match (self.mptcp, self.udp) {
            (true, _) => Transport::Mptcp,
            (_, true) => Transport::Udp,
            _ => Transport::Tcp,
        }
    }
}

#[derive(Debug, Args)]
pub struct ServerArgs {
    /// Where to listen: [address]:port, or :port for every address.
    #[arg(long, value_parser = parse_listen_address, value_name = "[ADDR]:PORT")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub transport: TransportArgs,
    /// Print gaps at least this long as they end (milliseconds).
    #[arg(long, default_value_t = 100, value_name = "MS")]
    pub min_gap_ms: u64,
    /// Print the last report and exit this many seconds after starting.
    #[arg(long, value_parser = parse_seconds, value_name = "SECONDS")]
    pub report_after: Option<Duration>,
}

#[derive(Debug, Args)]
pub struct ClientArgs {
    /// The server: [address]:port.
    #[arg(long, value_name = "[ADDR]:PORT")]
    pub connect: SocketAddr,
    /// Send from this address.
    #[arg(long, value_name = "ADDR")]
    pub bind: Option<IpAddr>,
    #[command(flatten)]
    pub transport: TransportArgs,
    /// Records per second.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    pub rate: u32,
    /// Stop after this many seconds [default: until killed].
    #[arg(long, value_parser = parse_seconds, value_name = "SECONDS")]
    pub duration: Option<Duration>,
}

/// A non-negative number of seconds, fractions allowed.
pub fn parse_seconds(s: &str) -> Result<Duration, String> {
    let secs: f64 = s
        .parse()
        .map_err(|_| format!("'{s}' is not a number of seconds"))?;
    Duration::try_from_secs_f64(secs)
        .map_err(|_| format!("'{s}' is not a non-negative number of seconds"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds() {
        assert_eq!(parse_seconds("1.5"), Ok(Duration::from_millis(1500)));
        assert_eq!(
            parse_seconds("x"),
            Err("'x' is not a number of seconds".to_string())
        );
        assert!(parse_seconds("-1").is_err());
    }

    #[test]
    fn transport_flags() {
        let cli = Cli::try_parse_from(["shim6-art", "client", "--connect", "[::1]:5", "--udp"])
            .expect("valid");
        let Command::Client(c) = cli.command else {
            panic!("client expected")
        };
        assert_eq!(c.transport.transport(), Transport::Udp);
        assert!(
            Cli::try_parse_from(["shim6-art", "server", "--listen", ":5", "--udp", "--mptcp"])
                .is_err()
        );
        let err = Cli::try_parse_from(["shim6-art", "server", "--listen", "nowhere"])
            .expect_err("invalid");
        assert!(
            err.to_string().contains("'nowhere' is not [address]:port"),
            "{err}"
        );
    }
}
