//! Our locators follow the interfaces. The identity fixes which addresses
//! can ever be locators (one CGA or HBA address per prefix); of those,
//! the ones configured and usable right now form Ls(local). rtnetlink
//! tells us when an address appears, becomes usable (DAD over) or goes;
//! when Ls(local) changes, the protocol core sends every peer an Update
//! Request (RFC 5533 §10.2) and the kernel contexts get the new set at
//! the end of the turn (`KernelSync`).
//!
//! An address outside the identity (a new prefix) is not a locator until
//! the daemon restarts and generates an address for it: the peers could
//! not verify it (not in the HBA set; for CGA, no address of our key).

use std::collections::BTreeSet;
use std::net::Ipv6Addr;

use crate::control::protocol::Event;
use crate::daemon::Daemon;
use crate::sys::interfaces;

/// The identity's addresses that are usable now, in the identity's
/// (preference) order; `None` when none is, since a context cannot have
/// an empty locator set: the last set stays until an address comes back.
pub fn usable_locators(
    identity: &[Ipv6Addr],
    usable: &BTreeSet<Ipv6Addr>,
) -> Option<Vec<Ipv6Addr>> {
    let locators: Vec<Ipv6Addr> = identity
        .iter()
        .copied()
        .filter(|a| usable.contains(a))
        .collect();
    (!locators.is_empty()).then_some(locators)
}

impl Daemon {
    /// Applies the queued address changes, then re-derives Ls(local).
    pub(crate) fn receive_address_events(&mut self) {
        let Some(events) = self.address_events.as_ref() else {
            return;
        };
        match events.drain() {
            Ok(batch) => {
                if batch.foreign_datagrams > 0 {
                    self.stats.address_events_forged += batch.foreign_datagrams;
                    log::warn!(
                        "{} address event datagrams not from the kernel dropped",
                        batch.foreign_datagrams
                    );
                }
                for change in batch.changes {
                    log::debug!("address {change:?}");
                    if change.usable {
                        self.usable_addresses.insert(change.address);
                    } else {
                        self.usable_addresses.remove(&change.address);
                    }
                }
            }
            Err(error) => {
                // Changes were lost (socket overrun): read the whole list.
                log::warn!("address events: {error}; rescanning the interfaces");
                self.rescan_addresses();
            }
        }
        self.refresh_local_locators();
    }

    /// Reads every address of the interfaces (start-up, lost events).
    pub(crate) fn rescan_addresses(&mut self) {
        match interfaces::ipv6_addresses() {
            Ok(addresses) => {
                self.usable_addresses = addresses.into_iter().map(|a| a.address).collect();
            }
            Err(error) => log::warn!("cannot list the interfaces' addresses: {error}"),
        }
    }

    /// Gives the core the current Ls(local) if it changed.
    pub(crate) fn refresh_local_locators(&mut self) {
        let Some(identity) = self.identity.as_ref() else {
            return;
        };
        let all = identity.locator_addresses();
        let Some(host) = self.host.as_mut() else {
            return;
        };
        let Some(locators) = usable_locators(&all, &self.usable_addresses) else {
            if !self.warned_no_locators {
                log::warn!("none of our addresses {all:?} is usable; keeping the last locator set");
                self.warned_no_locators = true;
            }
            return;
        };
        self.warned_no_locators = false;
        if host.config().local_locators == locators {
            return;
        }
        log::info!(
            "our locators change from {:?} to {locators:?}: Update Request to every peer",
            host.config().local_locators
        );
        host.set_local_locators(self.clock.now(), locators.clone());
        // A new set needs a new signature: make it now, before a handshake waits for it.
        host.prepare_locator_proof();
        self.stats.local_locator_changes += 1;
        // Every kernel context holds Ls(local).
        self.kernel_changes.mark_everything();
        self.control.broadcast(&Event::LocatorsChanged { locators });
        self.flush_host();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn address(text: &str) -> Ipv6Addr {
        text.parse().unwrap()
    }

    #[test]
    fn the_identity_order_is_kept_and_foreign_addresses_ignored() {
        let identity = [
            address("2001:db8:a1::1"),
            address("2001:db8:a2::1"),
            address("2001:db8:a3::1"),
        ];
        let usable: BTreeSet<_> = [
            address("2001:db8:a3::1"),
            address("2001:db8:ff::1"),
            address("2001:db8:a1::1"),
        ]
        .into_iter()
        .collect();
        assert_eq!(
            usable_locators(&identity, &usable),
            Some(vec![address("2001:db8:a1::1"), address("2001:db8:a3::1")])
        );
    }

    #[test]
    fn no_usable_address_keeps_the_last_set() {
        let identity = [address("2001:db8:a1::1")];
        let usable: BTreeSet<_> = [address("2001:db8:a2::1")].into_iter().collect();
        assert_eq!(usable_locators(&identity, &usable), None);
    }
}
