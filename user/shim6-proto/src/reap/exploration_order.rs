//! Order in which candidate address pairs are probed (RFC 5534 §4.3).

use core::net::Ipv6Addr;

use super::LocatorPair;

/// All pairs of `local × peer`, ordered so that exploration first tries the
/// pairs that share nothing with the failed pair (both locators differ),
/// then those that share one locator, and the failed pair itself last.
/// Within a group the caller's list order (its preference order) is kept.
///
/// Sharing nothing first is the quickest way around a failure whose cause
/// is one interface or one provider on either side.
pub fn exploration_order(
    local: &[Ipv6Addr],
    peer: &[Ipv6Addr],
    failed: LocatorPair,
) -> Vec<LocatorPair> {
    let mut pairs: Vec<LocatorPair> = Vec::with_capacity(local.len() * peer.len() + 1);
    for &l in local {
        for &p in peer {
            let pair = LocatorPair::new(l, p);
            if !pairs.contains(&pair) {
                pairs.push(pair);
            }
        }
    }
    // Stable sort keeps preference order inside each group.
    pairs.sort_by_key(|pair| core::cmp::Reverse(pair.differences_from(&failed)));
    // The failed pair always gets a last chance, even if it has left a list
    // (e.g. a peer locator we no longer know is still worth one probe).
    if !pairs.contains(&failed) {
        pairs.push(failed);
    }
    pairs
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(host: u16) -> Ipv6Addr {
        Ipv6Addr::new(0x2001, 0xdb8, host, 0, 0, 0, 0, 1)
    }

    #[test]
    fn completely_different_pairs_come_first_and_failed_pair_last() {
        let local = [addr(1), addr(2), addr(3)];
        let peer = [addr(11), addr(12), addr(13)];
        let failed = LocatorPair::new(addr(1), addr(11));
        let order = exploration_order(&local, &peer, failed);
        assert_eq!(order.len(), 9);
        for pair in &order[..4] {
            assert_eq!(pair.differences_from(&failed), 2, "{pair:?}");
        }
        for pair in &order[4..8] {
            assert_eq!(pair.differences_from(&failed), 1, "{pair:?}");
        }
        assert_eq!(order[8], failed);
        assert_eq!(order[0], LocatorPair::new(addr(2), addr(12)));
    }

    #[test]
    fn failed_pair_outside_the_lists_is_still_tried_last() {
        let failed = LocatorPair::new(addr(9), addr(19));
        let order = exploration_order(&[addr(1)], &[addr(11)], failed);
        assert_eq!(order, vec![LocatorPair::new(addr(1), addr(11)), failed]);
    }

    #[test]
    fn empty_lists_leave_only_the_failed_pair() {
        let failed = LocatorPair::new(addr(1), addr(11));
        assert_eq!(exploration_order(&[], &[], failed), vec![failed]);
    }
}
