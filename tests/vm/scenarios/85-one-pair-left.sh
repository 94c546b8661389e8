# Only one working pair of nine in each direction: with a TCP stream on
# the context, the router drops every pair but a3 -> b3 and b3 -> a3 (16
# one-way paths, the pair in use among them).  The daemons' exploration
# has to find the one left; the stream comes back on it.  The bound is
# Tsend plus REAP's probe schedule up to the ninth pair (RFC 5534: four
# probes 0.5 s apart, then doubling: the ninth goes at 32.5 s, +20 %
# jitter) and 2 s for TCG: the working pair may be the last one probed.
. "$REPO/tests/vm/failover.sh"
TSEND=2
SCENARIO=one-pair-left
if failover_start "timers.send_timeout_secs = $TSEND" && failover_stream lastpair 7005; then
	before=$(ctx_pair hA "$TAG_A")
	t_break=$(now_unix)
	# The pair in use first (pathsim makes the router's drop set), then the
	# other 15 one-way paths in one nft transaction, so that no exploration
	# finds a pair that is about to break.
	"$PATHSIM" break $before --duplex
	others=""
	for s in a1 a2 a3; do
		for d in b1 b2 b3; do
			case "$s $d" in "$before"|"a3 b3") continue ;; esac
			others+="${others:+, }$(pfx "$s") . $(pfx "$d"), $(pfx "$d") . $(pfx "$s")"
		done
	done
	ip netns exec rt nft add element inet pathsim broken "{ $others }"
	broken=$(ip netns exec rt nft list set inet pathsim broken | grep -oE '2001:db8:[ab][123]::/64 \. 2001:db8:[ab][123]::/64' | wc -l)
	gap=$(art_wait_gap lastpair "$t_break" $((TSEND + 50)))
	tag_b=$(shim6d_wait_context hB "$UA" 1)
	for i in $(seq 1 25); do
		after=$(ctx_pair hA "$TAG_A"); back=$(ctx_pair hB "$tag_b")
		[ "$after $back" = "a3 b3 b3 a3" ] && break
		sleep 0.2
	done
	sleep 1
	[ -n "$gap" ] && gap=$(art_largest_gap lastpair "$t_break")
	report=$(art_stop lastpair)
	if [ "$broken" != 16 ]; then
		fail "pathsim shows $broken broken one-way pairs, want 16"
	elif [ -n "$gap" ] && { [ "$after" != "a3 b3" ] || [ "$back" != "b3 a3" ]; }; then
		# What the daemons did, for the log (not a check).
		grep -E 'pair|[Pp]robe|explor|SendTimeout|RxExploring' /tmp/shim6d-hA.log | tail -12 | sed 's/^/  hA: /' | cut -c1-200
		fail "the stream came back after $gap ms, but on hA $after and hB $back, not the only working pair"
	else
		failover_verdict "16 of 18 paths down" "$gap" $(( TSEND * 1000 + 41000 )) "$before" "$after" "$report"
	fi
else
	fail "set-up failed"
fi
failover_cleanup
