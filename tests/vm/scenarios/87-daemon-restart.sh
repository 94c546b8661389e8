# shim6d restarted on one side during a stream: the kernel keeps the
# context and the stream while hA's daemon is away; the restarted daemon
# recovers the context from the kernel (R1bis on its pair), and that
# context still fails over: the pair in use then breaks and the stream
# comes back within Tsend + 3 s.  The stream may stall briefly during the
# restart (the guest is busy), never for longer than that bound.
# timeout: 420 s
. "$REPO/tests/vm/failover.sh"
TSEND=2
SCENARIO=daemon-restart
if failover_start "timers.send_timeout_secs = $TSEND" && failover_stream restart 7007; then
	t_stop=$(now_unix)
	shim6d_stop hA
	sleep 2
	alive=$(shim6d_kernel_context hA "$UB" | json_get local_tag 2>/dev/null)
	shim6d_start hA "timers.send_timeout_secs = $TSEND"
	recovered=""
	for i in $(seq 1 50); do
		recovered=$(shim6d_context_json hA | python3 -c 'import json, sys
for c in json.load(sys.stdin)["contexts"]:
    if c["peer_ulid"] == sys.argv[1]:
        print(c["state"])' "$UB" 2>/dev/null)
		[ "$recovered" = ESTABLISHED ] && break
		sleep 0.2
	done
	sleep 1
	# Under TCG the daemon's start can starve the guest for a few hundred
	# ms, so short stalls are allowed; an outage of failover size is not.
	stall=$(art_largest_gap restart "$t_stop")
	stall_bound=$(art_bound_ms $TSEND)
	SCENARIO="daemon-restart recovery"
	if [ -z "$alive" ]; then fail "the kernel context went away with the daemon"
	elif [ "$recovered" != ESTABLISHED ]; then fail "the restarted daemon has the context as '${recovered:-nothing}'; hA log: $(tail -3 /tmp/shim6d-hA.log)"
	elif [ -n "$stall" ] && ! python3 -c "import sys; sys.exit(0 if $stall <= $stall_bound else 1)"; then
		fail "the stream stalled $stall ms during the restart (bound $stall_bound ms)"
	else pass "kernel context $alive kept, longest stall ${stall:-0} ms (bound $stall_bound ms), daemon context recovered ($recovered)"
	fi

	SCENARIO="daemon-restart failover"
	tag=$(shim6d_wait_context hA "$UB" 5)
	before=$(ctx_pair hA "$tag")
	t_break=$(now_unix)
	"$PATHSIM" break $before --duplex
	gap=$(art_wait_gap restart "$t_break" $((TSEND + 30)))
	after=$(ctx_pair hA "$tag")
	sleep 1
	[ -n "$gap" ] && gap=$(art_largest_gap restart "$t_break")
	failover_verdict "after the restart" "$gap" "$(art_bound_ms $TSEND)" "$before" "$after" "$(art_stop restart)"
else
	fail "set-up failed"
fi
failover_cleanup
