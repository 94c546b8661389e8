use super::*;

fn request(line: &str) -> Result<Request, String> {
    decode_request(line.as_bytes())
}

#[test]
fn requests_have_the_documented_shapes() {
    assert_eq!(request(r#"{"cmd":"list"}"#).unwrap(), Request::List);
    assert_eq!(
        request(r#"{"cmd":"show","tag":5}"#).unwrap(),
        Request::Show { tag: 5 }
    );
    assert_eq!(
        request(r#"{"cmd":"delete","tag":7}"#).unwrap(),
        Request::Delete { tag: 7 }
    );
    let peer: Ipv6Addr = "2001:db8::1".parse().unwrap();
    assert_eq!(
        request(r#"{"cmd":"connect","peer":"2001:db8::1"}"#).unwrap(),
        Request::Connect { peer, local: None }
    );
    let local: Ipv6Addr = "2001:db8::2".parse().unwrap();
    assert_eq!(
        request(r#"{"cmd":"connect","peer":"2001:db8::1","local":"2001:db8::2"}"#).unwrap(),
        Request::Connect {
            peer,
            local: Some(local)
        }
    );
    assert_eq!(
        request(r#"{"cmd":"set-timers","idle_gc_secs":60}"#).unwrap(),
        Request::SetTimers(TimerChanges {
            idle_gc_secs: Some(60),
            ..TimerChanges::default()
        })
    );
    assert_eq!(
        request(r#"{"cmd":"set-timers"}"#).unwrap(),
        Request::SetTimers(TimerChanges::default())
    );
    assert_eq!(request(r#"{"cmd":"stats"}"#).unwrap(), Request::Stats);
    assert_eq!(request(r#"{"cmd":"identity"}"#).unwrap(), Request::Identity);
    assert_eq!(request(r#"{"cmd":"monitor"}"#).unwrap(), Request::Monitor);
}

#[test]
fn bad_requests_are_refused_with_a_reason() {
    for (line, hint) in [
        (r#"{"cmd":"reboot"}"#, "reboot"),
        (r#"{"cmd":"show"}"#, "tag"),
        (r#"{"cmd":"show","tag":"x"}"#, "invalid type"),
        (r#"{"cmd":"connect","peer":"not-an-address"}"#, "invalid"),
        (
            r#"{"cmd":"connect","peer":"2001:db8::1","lcoal":"::1"}"#,
            "lcoal",
        ),
        (r#"{"cmd":"set-timers","idle_gc":60}"#, "idle_gc"),
        (r#"{"tag":5}"#, "cmd"),
        ("not json", "bad request"),
        ("", "bad request"),
    ] {
        let error = request(line).unwrap_err();
        assert!(error.contains(hint), "{line}: {error}");
    }
}

#[test]
fn requests_and_replies_round_trip_as_single_lines() {
    let requests = [
        Request::List,
        Request::Connect {
            peer: "2001:db8::1".parse().unwrap(),
            local: None,
        },
        Request::SetTimers(TimerChanges {
            i1_retries: Some(2),
            ..TimerChanges::default()
        }),
    ];
    for original in requests {
        let line = encode_line(&original);
        assert_eq!(line.last(), Some(&b'\n'));
        assert_eq!(
            line.iter().filter(|&&b| b == b'\n').count(),
            1,
            "exactly one line"
        );
        assert_eq!(decode_request(&line[..line.len() - 1]).unwrap(), original);
    }
    let context = ContextInfo {
        local_tag: 1,
        peer_tag: Some(2),
        state: "ESTABLISHED".into(),
        local_ulid: "2001:db8::1".parse().unwrap(),
        peer_ulid: "2001:db8::2".parse().unwrap(),
        local_locator: "2001:db8::1".parse().unwrap(),
        peer_locator: "2001:db8::2".parse().unwrap(),
        peer_locators: vec!["2001:db8::2".parse().unwrap()],
        reap_state: Some("Operational".into()),
        update_pending: false,
        idle_secs: Some(3),
    };
    let replies = [
        Reply::Contexts {
            contexts: vec![context.clone()],
        },
        Reply::Context { context },
        Reply::Monitoring,
        Reply::Stats {
            stats: Stats::default(),
        },
        Reply::Event {
            event: Event::PeerTagChanged {
                local_tag: 1,
                peer_tag: 9,
            },
        },
        Reply::Error {
            message: "multi\nline".into(),
        },
    ];
    for original in replies {
        let line = encode_line(&original);
        assert_eq!(
            line.iter().filter(|&&b| b == b'\n').count(),
            1,
            "newlines are escaped"
        );
        assert_eq!(decode_reply(&line[..line.len() - 1]).unwrap(), original);
    }
}

#[test]
fn replies_and_events_are_tagged_as_documented() {
    let line = encode_line(&Reply::Connecting { tag: 42 });
    assert_eq!(
        std::str::from_utf8(&line).unwrap(),
        "{\"reply\":\"connecting\",\"tag\":42}\n"
    );
    let event = Reply::Event {
        event: Event::Failed {
            local_tag: 3,
            state: "E-FAILED".into(),
        },
    };
    let value: serde_json::Value = serde_json::from_slice(&encode_line(&event)).unwrap();
    assert_eq!(value["reply"], "event");
    assert_eq!(value["event"]["kind"], "failed");
    assert_eq!(value["event"]["state"], "E-FAILED");
}
