# A duplex break takes both directions of a pair; a delay slows exactly one
# direction of one pair.
SCENARIO=duplex-break
$PATHSIM break a3 b2 --duplex
bad=$(unexpected_paths "$(reach_map)" "a3 b2" "b2 a3")
$PATHSIM restore a3 b2 --duplex
if [ -n "$bad" ]; then fail "$(echo $bad)"; else pass "a3<->b2 down, 16 others up"; fi

SCENARIO=one-way-delay
rtt() { # src dst -> average RTT in ms (integer)
	ip netns exec "$(host_of "$1")" ping -6 -n -q -c 3 -i 0.2 -I "$(loc "$1")" "$(loc "$2")" |
		awk -F/ '/^rtt/ { printf "%d\n", $5 }'
}
if ! $PATHSIM delay a1 b2 300; then
	fail "pathsim delay failed"
else
	slow=$(rtt a1 b2); other=$(rtt a1 b1); reverse_src=$(rtt b1 a2)
	$PATHSIM delay a1 b2 0
	after=$(rtt a1 b2)
	if [ "${slow:-0}" -lt 300 ]; then fail "a1->b2 RTT ${slow}ms with 300ms delay"
	elif [ "${other:-999}" -ge 300 ] || [ "${reverse_src:-999}" -ge 300 ]; then
		fail "other pairs slowed: a1->b1 ${other}ms, b1->a2 ${reverse_src}ms"
	elif [ "${after:-999}" -ge 300 ]; then fail "delay not removed: ${after}ms"
	else pass "a1->b2 ${slow}ms, a1->b1 ${other}ms, after removal ${after}ms"
	fi
fi
$PATHSIM clear
