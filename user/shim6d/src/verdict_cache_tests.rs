use shim6_proto::wire::{Locator, VerificationMethod};

use super::*;

fn key(n: u32) -> VerdictKey {
    let list = LocatorList {
        generation: n,
        locators: vec![Locator {
            addr: Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1),
            method: VerificationMethod::Hba,
        }],
    };
    VerdictKey::new(Ipv6Addr::LOCALHOST, &list, &Options::default())
}

#[test]
fn the_least_recently_used_entry_goes_first() {
    let mut cache = VerdictCache::new(3);
    for n in 0..3 {
        cache.insert(key(n));
    }
    assert!(cache.hit(&key(0)), "0 is now the most recent");
    cache.insert(key(3));
    assert_eq!(cache.len(), 3);
    assert!(!cache.hit(&key(1)), "1 was the least recently used");
    assert!(cache.hit(&key(0)));
    assert!(cache.hit(&key(2)));
    assert!(cache.hit(&key(3)));
}

#[test]
fn the_cache_never_grows_past_its_capacity() {
    let mut cache = VerdictCache::new(16);
    for n in 0..1000 {
        cache.insert(key(n));
        cache.insert(key(n));
    }
    assert_eq!(cache.len(), 16);
    assert!(cache.hit(&key(999)));
    assert!(!cache.hit(&key(983)));
}

#[test]
fn fields_cannot_slide_into_each_other() {
    let list = LocatorList::default();
    let split = |params: &[u8], signature: &[u8]| Options {
        cga_parameters: Some(params.to_vec()),
        cga_signature: Some(signature.to_vec()),
        ..Options::default()
    };
    let a = VerdictKey::new(Ipv6Addr::LOCALHOST, &list, &split(b"ab", b"c"));
    let b = VerdictKey::new(Ipv6Addr::LOCALHOST, &list, &split(b"a", b"bc"));
    assert_ne!(a, b);
    let absent = VerdictKey::new(Ipv6Addr::LOCALHOST, &list, &Options::default());
    let empty = VerdictKey::new(Ipv6Addr::LOCALHOST, &list, &split(b"", b""));
    assert_ne!(absent, empty);
}
