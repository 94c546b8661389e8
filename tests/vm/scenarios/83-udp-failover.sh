# UDP failover: a one-way shim6-art UDP stream (500 datagrams/s) from hA's
# ULID to hB's.  hB's keepalives are all hA hears; when the router drops
# the pair in use in both directions they stop, hA's Send timer expires,
# the daemons move the context, and the datagrams arrive again on another
# pair within Tsend + 3 s.
. "$REPO/tests/vm/failover.sh"
TSEND=2
SCENARIO=udp-failover
if failover_start "timers.send_timeout_secs = $TSEND" "timers.keepalive_timeout_secs = 1" &&
	failover_stream udp 7002 --udp --rate 500; then
	before=$(ctx_pair hA "$TAG_A")
	t_break=$(now_unix)
	"$PATHSIM" break $before --duplex
	gap=$(art_wait_gap udp "$t_break" $((TSEND + 30)))
	after=$(ctx_pair hA "$TAG_A")
	sleep 1
	[ -n "$gap" ] && gap=$(art_largest_gap udp "$t_break")
	failover_verdict "duplex break" "$gap" "$(art_bound_ms $TSEND)" "$before" "$after" "$(art_stop udp)"
else
	fail "set-up failed"
fi
failover_cleanup
