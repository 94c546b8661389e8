# TCP failover: a shim6-art stream between the ULIDs of hA and hB, daemons
# on both (Send Timeout 2 s), nothing configured by hand; the router drops
# the context's pair in both directions.  The daemons explore and move the
# context; PATH_UPDATE makes TCP retransmit at once.  The ART (last record
# before the failure to first after, at the receiver) must stay within
# Tsend + 3 s, on another pair, with every record in order.  Then the
# broken pair is repaired, and the context must stay where it is.
. "$REPO/tests/vm/failover.sh"
TSEND=2
SCENARIO=tcp-failover
if failover_start "timers.send_timeout_secs = $TSEND" && failover_stream tcp 7001; then
	before=$(ctx_pair hA "$TAG_A")
	t_break=$(now_unix)
	"$PATHSIM" break $before --duplex
	gap=$(art_wait_gap tcp "$t_break" $((TSEND + 30)))
	after=$(ctx_pair hA "$TAG_A")
	sleep 1
	[ -n "$gap" ] && gap=$(art_largest_gap tcp "$t_break")
	settled=$(ctx_pair hA "$TAG_A")
	"$PATHSIM" clear
	failover_pair_stays "after the repair of $before" hA "$TAG_A" "$settled" $((4 * TSEND))
	failover_verdict "duplex break" "$gap" "$(art_bound_ms $TSEND)" "$before" "$after" "$(art_stop tcp)"
else
	fail "set-up failed"
fi
failover_cleanup
