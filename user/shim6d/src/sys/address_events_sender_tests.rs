//! M5: nobody but the kernel can feed us address events. A forger is a
//! second rtnetlink socket of this process (any local user can open one
//! and read our port id from /proc/net/netlink). Each test runs in a
//! network namespace of its own when it may make one (as root), where no
//! real address changes come between.

use std::net::Ipv6Addr;

use super::*;

fn forged() -> Ipv6Addr {
    Ipv6Addr::new(0x2001, 0xdb8, 0x66, 0, 0, 0, 0, 1)
}

/// An RTM_NEWADDR for `address`, as a forger would build it.
fn forged_new_address(address: Ipv6Addr) -> Vec<u8> {
    let mut body = vec![libc::AF_INET6 as u8, 64, 0, 0];
    body.extend_from_slice(&7u32.to_ne_bytes());
    body.extend_from_slice(&20u16.to_ne_bytes());
    body.extend_from_slice(&libc::IFA_ADDRESS.to_ne_bytes());
    body.extend_from_slice(&address.octets());
    let mut message = Vec::new();
    message.extend_from_slice(&((NLMSG_HEADER_LEN + body.len()) as u32).to_ne_bytes());
    message.extend_from_slice(&libc::RTM_NEWADDR.to_ne_bytes());
    message.extend_from_slice(&[0; 10]);
    message.extend(body);
    message
}

/// Sends `datagram` to port `port` from a fresh rtnetlink socket.
fn send_from_another_socket(port: u32, datagram: &[u8]) -> io::Result<()> {
    let forger = AddressEvents::open_unconnected()?;
    let mut target = netlink_address(0);
    target.nl_pid = port;
    // SAFETY: `datagram` and `target` are live for the call, with their sizes.
    check_size(unsafe {
        libc::sendto(
            forger.fd.as_raw_fd(),
            datagram.as_ptr().cast(),
            datagram.len(),
            0,
            (&target as *const libc::sockaddr_nl).cast(),
            NETLINK_ADDRESS_LEN,
        )
    })
    .map(drop)
}

/// Sends the forged RTM_NEWADDR of `forged()` to `events` from a fresh
/// rtnetlink socket.
fn send_forgery_to(events: &AddressEvents) -> io::Result<()> {
    send_from_another_socket(events.port().unwrap(), &forged_new_address(forged()))
}

/// Whether `batch` reports the forged address.
fn reports_forgery(batch: &AddressBatch) -> bool {
    batch
        .changes
        .iter()
        .any(|change| change.address == forged())
}

#[test]
fn parse_messages_reads_the_forgery_so_only_the_sender_check_stops_it() {
    let address: Ipv6Addr = "2001:db8:66::1".parse().unwrap();
    let changes = parse_messages(&forged_new_address(address));
    assert_eq!(changes.len(), 1, "a well-formed forgery");
    assert_eq!(changes[0].address, address);
}

/// Runs `test` on a thread that first moves to a new network namespace
/// (unshare(2) moves the calling thread only); without the privilege, in
/// the current one.
fn in_fresh_netns(test: impl FnOnce() + Send) {
    std::thread::scope(|scope| {
        scope
            .spawn(|| {
                // SAFETY: unshare(2) with a constant flag; it only changes
                // this thread's namespace, and the thread ends after `test`.
                let _ = unsafe { libc::unshare(libc::CLONE_NEWNET) };
                test();
            })
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    });
}

#[test]
fn the_kernel_refuses_unicast_from_another_socket() {
    in_fresh_netns(refused_from_another_socket);
}

fn refused_from_another_socket() {
    let events = AddressEvents::open().expect("rtnetlink socket");
    assert_eq!(
        send_forgery_to(&events).map_err(|error| error.raw_os_error()),
        Err(Some(libc::ECONNREFUSED)),
        "a connected netlink socket takes unicast from the kernel only"
    );
    let batch = events.drain().unwrap();
    assert!(!reports_forgery(&batch), "{batch:?}");
    // The kernel's own events still come: an address added to lo (as
    // root, in the fresh namespace; elsewhere the addition is refused).
    let real = Ipv6Addr::new(0x2001, 0xdb8, 0x77, 0, 0, 0, 0, 1);
    let added = crate::sys::route_netlink::add_address(1, real, 64);
    if crate::sys::credentials::effective_uid() == 0 {
        added
            .as_ref()
            .expect("root adds an address in its own namespace");
    }
    if added.is_ok() {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        let heard = loop {
            let batch = events.drain().unwrap();
            if batch.changes.iter().any(|change| change.address == real) {
                break true;
            }
            if std::time::Instant::now() > deadline {
                break false;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        };
        assert!(
            heard,
            "the connected socket missed the kernel's RTM_NEWADDR"
        );
    }
}

#[test]
fn drain_drops_and_counts_what_the_kernel_did_not_send() {
    in_fresh_netns(dropped_and_counted);
}

fn dropped_and_counted() {
    // Without connect() the kernel delivers the forgery: drain's own
    // check must drop it.
    let events = AddressEvents::open_unconnected().expect("rtnetlink socket");
    send_forgery_to(&events).unwrap();
    send_forgery_to(&events).unwrap();
    let batch = events.drain().unwrap();
    assert_eq!(batch.foreign_datagrams, 2, "{batch:?}");
    // Real changes of this namespace may come meanwhile; the forged one not.
    assert!(!reports_forgery(&batch), "{batch:?}");
}

#[test]
fn only_port_zero_of_netlink_is_the_kernel() {
    assert!(from_kernel(&netlink_address(0)));
    let mut process = netlink_address(0);
    process.nl_pid = 4242;
    assert!(!from_kernel(&process));
    let mut other_family = netlink_address(0);
    other_family.nl_family = libc::AF_INET6 as libc::sa_family_t;
    assert!(!from_kernel(&other_family));
}
