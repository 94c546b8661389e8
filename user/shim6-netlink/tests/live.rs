//! Talks to the running kernel's generic netlink controller, which every
//! Linux kernel has: the socket, requests, acks, refusals with extended
//! acks, and multicast membership, without the shim6 module.

use std::path::Path;
use std::time::Duration;

use shim6_netlink::connection::Connection;
use shim6_netlink::ctrl::{
    resolve_family, CTRL_ATTR_FAMILY_NAME, CTRL_CMD_GETFAMILY, CTRL_VERSION, GENL_ID_CTRL,
};
use shim6_netlink::{Client, Error, EventSubscription, MessageBuilder};

#[test]
fn resolves_the_controller_itself() {
    let mut connection = Connection::open().expect("netlink socket");
    let family = resolve_family(&mut connection, "nlctrl").expect("nlctrl exists");
    assert_eq!(family.name, "nlctrl");
    assert_eq!(family.id, GENL_ID_CTRL);
    assert!(
        family.group_id("notify").is_some(),
        "groups: {:?}",
        family.multicast_groups
    );
}

#[test]
fn consecutive_requests_on_one_connection() {
    let mut connection = Connection::open().expect("netlink socket");
    for _ in 0..3 {
        assert_eq!(
            resolve_family(&mut connection, "nlctrl").unwrap().id,
            GENL_ID_CTRL
        );
    }
}

#[test]
fn unknown_family_is_not_found() {
    let mut connection = Connection::open().expect("netlink socket");
    let error = resolve_family(&mut connection, "no-such-family").unwrap_err();
    assert!(
        matches!(&error, Error::FamilyNotFound(name) if name == "no-such-family"),
        "{error:?}"
    );
    // The connection is still usable after a refusal.
    assert!(resolve_family(&mut connection, "nlctrl").is_ok());
}

#[test]
fn policy_violation_comes_back_with_errno_and_extended_ack() {
    let mut connection = Connection::open().expect("netlink socket");
    // A family name that is not NUL-terminated breaks nlctrl's policy.
    let mut request = MessageBuilder::new(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_VERSION);
    request.put_bytes(CTRL_ATTR_FAMILY_NAME, b"nlctrl!!");
    let error = connection.transact(request).unwrap_err();
    let Error::Kernel(refusal) = &error else {
        panic!("expected a refusal, got {error:?}")
    };
    assert_eq!(refusal.errno, libc::EINVAL);
    let message = refusal.message.as_deref().unwrap_or_default();
    assert!(!message.is_empty(), "no extended ack message: {refusal:?}");
    assert!(error.to_string().contains(message));
}

#[test]
fn joins_a_multicast_group_and_times_out_quietly() {
    let mut connection = Connection::open().expect("netlink socket");
    let nlctrl = resolve_family(&mut connection, "nlctrl").unwrap();
    let mut events =
        EventSubscription::join(nlctrl.id, nlctrl.group_id("notify").unwrap()).expect("join");
    events.set_timeout(Some(Duration::from_millis(50))).unwrap();
    assert!(matches!(events.receive(), Err(Error::Timeout)));
}

#[test]
fn client_without_the_module_says_so() {
    if Path::new("/sys/module/shim6").exists() {
        let mut client = Client::connect().expect("module loaded");
        let info = client.get_info().expect("get-info");
        assert!(!info.version.is_empty());
        assert!(info
            .stats
            .iter()
            .any(|(name, _)| name == "Shim6InfoRequests"));
    } else {
        let error = Client::connect().unwrap_err();
        assert!(matches!(error, Error::ModuleNotLoaded), "{error:?}");
        assert_eq!(
            error.to_string(),
            "shim6 kernel module not loaded (generic netlink family 'shim6' not found)"
        );
    }
}

#[test]
fn dump_collects_every_family_until_done() {
    let mut connection = Connection::open().expect("netlink socket");
    let mut request = MessageBuilder::new(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, CTRL_VERSION);
    request.dump();
    let replies = connection.transact(request).expect("dump");
    let families: Vec<_> = replies
        .iter()
        .map(|reply| shim6_netlink::FamilyInfo::parse(reply).expect("family"))
        .collect();
    assert!(
        families.iter().any(|family| family.name == "nlctrl"),
        "{families:?}"
    );
    // The connection is ready for the next request afterwards.
    assert_eq!(
        resolve_family(&mut connection, "nlctrl").unwrap().id,
        GENL_ID_CTRL
    );
}

#[test]
fn next_event_gives_up_at_its_timeout() {
    let mut connection = Connection::open().expect("netlink socket");
    let nlctrl = resolve_family(&mut connection, "nlctrl").expect("nlctrl exists");
    let group = nlctrl.group_id("notify").expect("nlctrl has 'notify'");
    let mut events = EventSubscription::join(GENL_ID_CTRL, group).expect("join");
    let started = std::time::Instant::now();
    let result = events.next_event(Some(Duration::from_millis(100)));
    // nlctrl's own notifications (a family registered meanwhile) are no
    // shim6 events: they come out unrecognized.
    assert!(
        matches!(
            result,
            Err(Error::Timeout) | Ok(shim6_netlink::Event::Unrecognized { .. })
        ),
        "{result:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "{:?}",
        started.elapsed()
    );
    // A zero timeout does not mean "forever" (as SO_RCVTIMEO 0 would).
    let started = std::time::Instant::now();
    let result = events.next_event(Some(Duration::ZERO));
    assert!(matches!(result, Err(Error::Timeout) | Ok(_)), "{result:?}");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
}
