use shim6_proto::wire::{ContextTag, ErrorMessage, Keepalive, Options, R1bis};

use super::*;

fn bucket(per_second: u64, burst: u64) -> BucketConfig {
    BucketConfig { per_second, burst }
}

fn seconds(value: f64) -> Duration {
    Duration::from_secs_f64(value)
}

#[test]
fn a_full_bucket_gives_its_burst_then_refuses() {
    let mut limiter = TokenBucket::new(bucket(10, 3), seconds(5.0));
    let now = seconds(5.0);
    assert_eq!((0..5).filter(|_| limiter.take(now)).count(), 3);
}

#[test]
fn tokens_come_back_at_the_rate_and_no_more_than_the_burst() {
    let mut limiter = TokenBucket::new(bucket(10, 3), Duration::ZERO);
    while limiter.take(Duration::ZERO) {}
    // 0.25 s at 10/s: two tokens and a half; the half is kept.
    assert_eq!((0..5).filter(|_| limiter.take(seconds(0.25))).count(), 2);
    assert!(limiter.take(seconds(0.3)), "the kept half and 0.05 s more");
    // An hour idle refills to the burst, not to 36 000.
    let later = seconds(3600.0);
    assert_eq!((0..100).filter(|_| limiter.take(later)).count(), 3);
}

#[test]
fn a_clock_going_back_refills_nothing() {
    let mut limiter = TokenBucket::new(bucket(1000, 1), seconds(10.0));
    assert!(limiter.take(seconds(10.0)));
    assert!(!limiter.take(seconds(1.0)));
    assert!(
        !limiter.take(seconds(10.0)),
        "going back must not earn time"
    );
    assert!(limiter.take(seconds(10.001)));
}

#[test]
fn huge_values_do_not_overflow() {
    let max = crate::limits_config::MAX_LIMIT;
    let mut limiter = TokenBucket::new(bucket(max, max), Duration::ZERO);
    assert!(limiter.take(Duration::MAX));
    assert!(limiter.take(Duration::MAX));
}

#[test]
fn only_r1_r1bis_and_error_are_limited_each_by_its_own_bucket() {
    let config = RateLimitsConfig {
        r1: bucket(1, 1),
        r1bis: bucket(1, 2),
        error: bucket(1, 1),
        ..RateLimitsConfig::default()
    };
    let now = Duration::from_secs(1);
    let mut limits = OutgoingLimits::new(&config, now);
    let tag = ContextTag::new(7).unwrap();
    let r1bis = Message::R1bis(R1bis {
        packet_tag: tag,
        responder_nonce: 1,
        options: Options::default(),
    });
    let error = Message::Error(ErrorMessage::new(0, 0, &[]));
    let keepalive = Message::Keepalive(Keepalive {
        receiver_tag: tag,
        options: Options::default(),
    });
    assert_eq!(limits.refuse(&r1bis, now), None);
    assert_eq!(limits.refuse(&r1bis, now), None);
    assert_eq!(limits.refuse(&r1bis, now), Some(LimitedKind::R1bis));
    assert_eq!(limits.refuse(&error, now), None);
    assert_eq!(limits.refuse(&error, now), Some(LimitedKind::Error));
    for _ in 0..100 {
        assert_eq!(limits.refuse(&keepalive, now), None);
    }
    assert_eq!(
        limits.refuse(&r1bis, now + Duration::from_secs(1)),
        None,
        "a second later a token is back"
    );
}
