//! shim6d's command line (clap derive, as `shim6ctl`'s). In the library so
//! that a man page can be generated from the same definition
//! (`shim6d::cli::Cli::command()`).

use std::path::PathBuf;

use clap::Parser;

/// The Shim6 daemon (RFC 5533): makes CGA/HBA addresses, negotiates
/// contexts with peers, installs them in the shim6 kernel module and
/// repairs them with REAP (RFC 5534).
///
/// It runs in the foreground and logs to standard error (with syslog
/// priorities when that is the journal). SIGTERM or SIGINT stop it and
/// leave the module's contexts for the next start to recover; SIGHUP
/// reloads the configuration file. Under systemd (Type=notify) it reports
/// readiness and a status line over $NOTIFY_SOCKET.
///
/// Exit status: 0 after a stop by signal, --check-config, --help or
/// --version; 1 on a runtime failure; 2 on a usage or configuration error.
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(name = "shim6d", version)]
pub struct Cli {
    /// TOML configuration file [default: none, built-in defaults; every
    /// key is documented in shim6d.example.toml].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Validate the configuration, print it and exit.
    #[arg(long)]
    pub check_config: bool,

    /// Control socket, in place of `control_socket` of the configuration
    /// (the systemd unit puts it in its RuntimeDirectory, /run/shim6d/).
    #[arg(long, value_name = "PATH")]
    pub control_socket: Option<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::error::ErrorKind;
    use clap::CommandFactory;

    #[test]
    fn the_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_option_of_the_old_command_line_keeps_its_meaning() {
        let cli = Cli::try_parse_from(["shim6d"]).unwrap();
        assert_eq!(
            cli,
            Cli {
                config: None,
                check_config: false,
                control_socket: None
            }
        );
        let cli = Cli::try_parse_from(["shim6d", "--config", "/etc/shim6/shim6d.toml"]).unwrap();
        assert_eq!(cli.config, Some(PathBuf::from("/etc/shim6/shim6d.toml")));
        let cli = Cli::try_parse_from(["shim6d", "--check-config", "--config", "x.toml"]).unwrap();
        assert!(cli.check_config);
        assert_eq!(cli.config, Some(PathBuf::from("x.toml")));
        let cli = Cli::try_parse_from(["shim6d", "--config=y.toml"]).unwrap();
        assert_eq!(cli.config, Some(PathBuf::from("y.toml")));
        let cli =
            Cli::try_parse_from(["shim6d", "--control-socket", "/run/shim6d/shim6d.sock"]).unwrap();
        assert_eq!(
            cli.control_socket,
            Some(PathBuf::from("/run/shim6d/shim6d.sock"))
        );
    }

    #[test]
    fn help_and_version_are_not_errors() {
        for word in ["--help", "-h"] {
            let error = Cli::try_parse_from(["shim6d", word]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::DisplayHelp);
            assert_eq!(error.exit_code(), 0);
        }
        for word in ["--version", "-V"] {
            let error = Cli::try_parse_from(["shim6d", word]).unwrap_err();
            assert_eq!(error.kind(), ErrorKind::DisplayVersion);
            assert_eq!(error.exit_code(), 0);
        }
    }

    #[test]
    fn usage_errors_name_the_option_or_value_and_exit_2() {
        let cases: [(&[&str], &str); 5] = [
            (&["--frobnicate"], "--frobnicate"),
            (&["--config"], "--config"),
            (&["--config", ""], "--config"),
            (&["--control-socket="], "--control-socket"),
            (&["extra"], "extra"),
        ];
        for (words, named) in cases {
            let error = Cli::try_parse_from(std::iter::once(&"shim6d").chain(words)).unwrap_err();
            assert_eq!(error.exit_code(), 2, "{words:?}");
            let message = error.render().to_string();
            assert!(message.contains(named), "{words:?}: {message}");
        }
    }
}
