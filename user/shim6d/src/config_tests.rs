use std::path::Path;

use super::*;

fn parse(text: &str) -> Result<Config, ConfigError> {
    Config::from_toml(Path::new("test.toml"), text)
}

fn error_of(text: &str) -> ConfigError {
    match parse(text) {
        Ok(config) => panic!("accepted: {config:?}"),
        Err(error) => error,
    }
}

#[test]
fn empty_file_gives_the_defaults() {
    let config = parse("").unwrap();
    assert_eq!(config, Config::default());
    assert_eq!(config.addresses.method, AddressMethod::Cga);
    assert_eq!(config.addresses.sec, 0);
    assert_eq!(config.addresses.rsa_bits, 2048);
    assert_eq!(config.addresses.locators, LocatorSource::Auto);
    assert!(config.addresses.install);
    assert_eq!(config.timers.send_timeout_secs, 15);
    assert_eq!(config.timers.keepalive_timeout_secs, 15);
    assert_eq!(config.timers.i1_retries, 4);
    assert_eq!(config.timers.idle_gc_secs, 600);
    assert_eq!(config.log_level, LogLevel::Info);
    assert_eq!(config.key_path(), Path::new("/var/lib/shim6d/key.pem"));
}

#[test]
fn the_example_file_documents_exactly_the_defaults() {
    let text = include_str!("../shim6d.example.toml");
    assert_eq!(parse(text).unwrap(), Config::default());
}

#[test]
fn the_example_file_mentions_every_key() {
    let text = include_str!("../shim6d.example.toml");
    for key in [
        "state_dir",
        "control_socket",
        "key_file",
        "log_level",
        "[addresses]",
        "method",
        "sec",
        "rsa_bits",
        "locators",
        "install",
        "[timers]",
        "send_timeout_secs",
        "keepalive_timeout_secs",
        "i1_retries",
        "idle_gc_secs",
        "[limits]",
        "max_contexts",
        "max_half_open_per_prefix",
        "negative_cache_size",
        "[rate_limits]",
        "r1 =",
        "r1bis =",
        "error =",
        "verification =",
    ] {
        assert!(text.contains(key), "example lacks {key}");
    }
}

#[test]
fn every_key_can_be_set() {
    let config = parse(
        r#"
        state_dir = "/tmp/s"
        control_socket = "/tmp/c.sock"
        key_file = "/etc/k.pem"
        log_level = "debug"
        [addresses]
        method = "hba"
        sec = 1
        rsa_bits = 1024
        locators = ["2001:db8:a1::/64", "2001:db8:a2::"]
        install = false
        [timers]
        send_timeout_secs = 10
        keepalive_timeout_secs = 20
        i1_retries = 2
        idle_gc_secs = 30
        [limits]
        max_contexts = 500
        max_half_open_per_prefix = 5
        negative_cache_size = 0
        [rate_limits]
        r1 = { per_second = 1, burst = 2 }
        r1bis = { per_second = 3, burst = 4 }
        error = { per_second = 5, burst = 6 }
        verification = { per_second = 7, burst = 8 }
        "#,
    )
    .unwrap();
    assert_eq!(
        config.key_path(),
        Path::new("/etc/k.pem"),
        "absolute key path wins over state_dir"
    );
    assert_eq!(config.addresses.method, AddressMethod::Hba);
    assert_eq!(config.addresses.sec, 1);
    let LocatorSource::Prefixes(prefixes) = &config.addresses.locators else {
        panic!("not a list")
    };
    assert_eq!(prefixes[1], [0x20, 0x01, 0x0d, 0xb8, 0, 0xa2, 0, 0]);
    assert!(!config.addresses.install);
    assert_eq!(config.timers.send_timeout(), Duration::from_secs(10));
    assert_eq!(config.timers.i1_retries, 2);
    assert_eq!(config.log_level, LogLevel::Debug);
    let limits = config.limits.host_limits();
    assert_eq!(limits.max_contexts, 500);
    assert_eq!(limits.max_half_open_per_prefix, 5);
    assert_eq!(limits.negative_cache_size, 0);
    let rates = config.rate_limits;
    assert_eq!((rates.r1.per_second, rates.r1.burst), (1, 2));
    assert_eq!((rates.r1bis.per_second, rates.r1bis.burst), (3, 4));
    assert_eq!((rates.error.per_second, rates.error.burst), (5, 6));
    assert_eq!(
        (rates.verification.per_second, rates.verification.burst),
        (7, 8)
    );
}

#[test]
fn limit_defaults_are_the_cores_and_the_documented_rates() {
    let config = Config::default();
    assert_eq!(
        config.limits.host_limits(),
        shim6_proto::context::HostLimits::default()
    );
    let rates = config.rate_limits;
    assert_eq!((rates.r1.per_second, rates.r1.burst), (100, 200));
    assert_eq!((rates.r1bis.per_second, rates.r1bis.burst), (100, 200));
    assert_eq!((rates.error.per_second, rates.error.burst), (100, 200));
    assert_eq!(
        (rates.verification.per_second, rates.verification.burst),
        (50, 100)
    );
}

#[test]
fn a_bucket_needs_both_values_and_no_others() {
    let error = error_of("[rate_limits]\nr1 = { per_second = 5 }");
    assert!(error.to_string().contains("burst"), "{error}");
    let error = error_of("[rate_limits]\nr1 = { per_second = 5, burst = 5, size = 1 }");
    assert!(error.to_string().contains("size"), "{error}");
    let error = error_of("[limits]\nmax_context = 5");
    assert!(error.to_string().contains("max_context"), "{error}");
}

#[test]
fn unknown_keys_are_errors_naming_the_key() {
    let error = error_of("stat_dir = \"/x\"");
    assert!(error.to_string().contains("stat_dir"), "{error}");
    assert!(error.to_string().starts_with("test.toml"), "{error}");
    let error = error_of("[timers]\nsend_timeout = 3");
    assert!(error.to_string().contains("send_timeout"), "{error}");
    let error = error_of("[bogus]\nx = 1");
    assert!(error.to_string().contains("bogus"), "{error}");
}

#[test]
fn wrong_types_and_values_are_errors() {
    let error = error_of("[addresses]\nmethod = \"rsa\"");
    assert!(error.to_string().contains("rsa"), "{error}");
    let error = error_of("[addresses]\nsec = \"high\"");
    assert!(error.to_string().contains("sec"), "{error}");
    let error = error_of("log_level = \"loud\"");
    assert!(error.to_string().contains("loud"), "{error}");
    let error = error_of("[timers]\nidle_gc_secs = -5");
    assert!(error.to_string().contains("idle_gc_secs"), "{error}");
}

#[test]
fn out_of_range_values_name_the_key_and_the_range() {
    let cases = [
        ("[addresses]\nsec = 3", "addresses.sec"),
        ("[addresses]\nrsa_bits = 512", "addresses.rsa_bits"),
        ("[addresses]\nrsa_bits = 16384", "addresses.rsa_bits"),
        (
            "[timers]\nsend_timeout_secs = 0",
            "timers.send_timeout_secs",
        ),
        (
            "[timers]\nkeepalive_timeout_secs = 70000",
            "timers.keepalive_timeout_secs",
        ),
        ("[timers]\ni1_retries = 5", "timers.i1_retries"),
        ("[timers]\nidle_gc_secs = 0", "timers.idle_gc_secs"),
        ("state_dir = \"\"", "state_dir"),
        ("control_socket = \"\"", "control_socket"),
        ("key_file = \"\"", "key_file"),
        ("[limits]\nmax_contexts = 0", "limits.max_contexts"),
        ("[limits]\nmax_contexts = 1000000000", "limits.max_contexts"),
        (
            "[limits]\nmax_half_open_per_prefix = 0",
            "limits.max_half_open_per_prefix",
        ),
        (
            "[limits]\nmax_contexts = 10\nmax_half_open_per_prefix = 11",
            "limits.max_half_open_per_prefix",
        ),
        (
            "[limits]\nnegative_cache_size = 100000001",
            "limits.negative_cache_size",
        ),
        (
            "[rate_limits]\nr1 = { per_second = 0, burst = 1 }",
            "rate_limits.r1.per_second",
        ),
        (
            "[rate_limits]\nr1bis = { per_second = 1, burst = 0 }",
            "rate_limits.r1bis.burst",
        ),
        (
            "[rate_limits]\nerror = { per_second = 1000000000, burst = 1 }",
            "rate_limits.error.per_second",
        ),
        (
            "[rate_limits]\nverification = { per_second = 1, burst = 0 }",
            "rate_limits.verification.burst",
        ),
    ];
    for (text, key) in cases {
        let error = error_of(text);
        assert_eq!(error.key.as_deref(), Some(key), "{text}: {error}");
        assert!(
            error
                .to_string()
                .starts_with(&format!("test.toml: {key}: ")),
            "{error}"
        );
    }
}

#[test]
fn bad_locators_are_explained() {
    let error = error_of("[addresses]\nlocators = \"all\"");
    assert!(error.to_string().contains("\"auto\""), "{error}");
    let error = error_of("[addresses]\nlocators = [\"2001:db8::/48\"]");
    assert!(error.to_string().contains("/64"), "{error}");
    let error = error_of("[addresses]\nlocators = [\"2001:db8::1/64\"]");
    assert!(error.to_string().contains("beyond the /64"), "{error}");
    let error = error_of("[addresses]\nlocators = []");
    assert_eq!(error.key.as_deref(), Some("addresses.locators"));
    let error = error_of("[addresses]\nlocators = [\"2001:db8:1::/64\", \"2001:db8:1::\"]");
    assert!(error.reason.contains("twice"), "{error}");
    let error = error_of("[addresses]\nlocators = 7");
    assert!(error.to_string().contains("locators"), "{error}");
}

#[test]
fn syntax_errors_carry_the_file_name_and_line() {
    let error = error_of("state_dir = \n");
    let text = error.to_string();
    assert!(text.starts_with("test.toml: "), "{text}");
    assert!(text.contains("line 1"), "{text}");
}

#[test]
fn a_missing_file_is_an_error_naming_it() {
    let error = Config::load(Path::new("/nonexistent/shim6d.toml")).unwrap_err();
    assert!(
        error.to_string().contains("/nonexistent/shim6d.toml"),
        "{error}"
    );
    assert!(error.reason.contains("cannot read"), "{error}");
}
