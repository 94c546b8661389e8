# The failure of one direction of the pair in use only, with a TCP stream
# from hA to hB: first hA -> hB (the data direction; hB's keepalives keep
# reaching hA until its Keepalive Timeout), then, on the pair the context
# moved to, hB -> hA only (the data arrives, the acknowledgements do not).
# Each time the stream must come back within Tsend + Keepalive Timeout +
# 3 s, with hA sending on a pair other than the broken one.
. "$REPO/tests/vm/failover.sh"
TSEND=2
TKA=1
SCENARIO=one-direction
if failover_start "timers.send_timeout_secs = $TSEND" "timers.keepalive_timeout_secs = $TKA" &&
	failover_stream oneway 7003; then
	bound=$(( $(art_bound_ms $TSEND) + TKA * 1000 ))
	before=$(ctx_pair hA "$TAG_A")
	t_break=$(now_unix)
	"$PATHSIM" break $before
	gap=$(art_wait_gap oneway "$t_break" $((TSEND + 30)))
	after=$(ctx_pair hA "$TAG_A")
	sleep 1
	[ -n "$gap" ] && gap=$(art_largest_gap oneway "$t_break")
	SCENARIO="one-direction hA->hB"
	failover_verdict "$before broken one way" "$gap" "$bound" "$before" "$after" "$(art_report oneway)"
	"$PATHSIM" clear
	sleep 1

	# The reverse direction of the pair hA now uses: the data arrives, the
	# acknowledgements do not.  hB has to move; hA's own pair may stay.
	SCENARIO="one-direction hB->hA"
	read -r src dst <<<"$after"
	tag_b=$(shim6d_wait_context hB "$UA" 1)
	t_break=$(now_unix)
	"$PATHSIM" break "$dst" "$src"
	for i in $(seq 1 $(( (TSEND + 30) * 5 ))); do
		back=$(ctx_pair hB "$tag_b")
		[ "$back" != "$dst $src" ] && break
		sleep 0.2
	done
	sleep 2
	gap=$(art_largest_gap oneway "$t_break")
	report=$(art_stop oneway)
	silence=$(json_get silence_ms <<<"$report" 2>/dev/null)
	if [ "$back" = "$dst $src" ]; then
		fail "hB still sends on the broken $dst -> $src after $((TSEND + 30)) s"
	elif ! python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) < 1000 else 1)" "${silence:-1e9}"; then
		fail "hB moved to $back, but the stream has been silent for ${silence:-?} ms"
	elif [ -z "$gap" ]; then
		pass "$dst->$src broken: no gap of 300 ms or more, hB moved $dst $src -> $back"
	else
		failover_verdict "$dst->$src broken" "$gap" "$bound" "$dst $src" "$back" "$report"
	fi
else
	fail "set-up failed"
fi
failover_cleanup
