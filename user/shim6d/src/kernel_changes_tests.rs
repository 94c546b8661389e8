use super::*;

#[test]
fn marks_are_taken_once() {
    let mut changed = ChangedContexts::default();
    changed.mark(7);
    changed.mark(9);
    changed.mark(7);
    assert_eq!(changed.take(), Pending::Some([7, 9].into_iter().collect()));
    assert_eq!(changed.take(), Pending::Some(BTreeSet::new()));
}

#[test]
fn everything_absorbs_single_marks_until_taken() {
    let mut changed = ChangedContexts::default();
    changed.mark(7);
    changed.mark_everything();
    changed.mark(9);
    assert_eq!(changed.take(), Pending::Everything);
    changed.mark(9);
    assert_eq!(changed.take(), Pending::Some([9].into_iter().collect()));
}

#[test]
fn an_unknown_tag_is_gone_without_a_host() {
    let changes =
        changes_of::<shim6_proto::context::AcceptAllVerifier, shim6_proto::random::SeededRandom>(
            None,
            [5],
            &HashMap::new(),
            WantedDefaults {
                send_timeout_ms: 1000,
                keepalive_timeout: Duration::from_secs(1),
            },
        );
    assert_eq!(changes, vec![Change::Gone(5)]);
}
