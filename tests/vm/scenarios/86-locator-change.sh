# A locator removed and added during a context's life, with a TCP stream on
# it.  hA's daemon sees its address on a3 go away (ip addr del) and sends
# an Update Request: hB's kernel context must drop that locator from its
# peer locators; when the address comes back, the next Update adds it
# again.  Then the locator in use: after a failover has moved hA off a1
# (its ULID's prefix) onto a2 or a3, that address is deleted; the daemon
# must move the context to a locator it still has, and the stream go on.
# timeout: 480 s
. "$REPO/tests/vm/failover.sh"
TSEND=2
SCENARIO=locator-change

# _peer_has NS TAG ADDR: whether the context TAG of NS lists ADDR among its
# peer locators (0) or not (1).
_peer_has() {
	ip netns exec "$1" "$SHIM6CTL" ctx show "$2" --json | python3 -c 'import ipaddress, json, sys
want = ipaddress.ip_address(sys.argv[1])
sys.exit(0 if any(ipaddress.ip_address(a) == want for a in json.load(sys.stdin)["peer_locators"]) else 1)' "$3"
}

# _wait_peer NS TAG ADDR yes|no SECONDS: until ADDR is (or is not) listed.
_wait_peer() {
	local i
	for i in $(seq 1 $(($5 * 5))); do
		if _peer_has "$1" "$2" "$3"; then [ "$4" = yes ] && return 0
		else [ "$4" = no ] && return 0
		fi
		sleep 0.2
	done
	return 1
}

# _addr_dev NS ADDR: the interface of NS that holds ADDR.
_addr_dev() { ip -n "$1" -6 -o addr show | awk -v a="$2" '{ split($4, p, "/") } p[1] == a { print $2; exit }'; }

if failover_start "timers.send_timeout_secs = $TSEND" && failover_stream locators 7006; then
	TAG_B=$(shim6d_wait_context hB "$UA" 10)
	A3=$(shim6d_ulid hA a3)
	dev=$(_addr_dev hA "$A3")

	SCENARIO="locator-change removed"
	if [ -z "$TAG_B" ] || [ -z "$dev" ] || ! _peer_has hB "$TAG_B" "$A3"; then
		fail "set-up: hB context '$TAG_B', hA's a3 address '$A3' on '$dev', not among hB's peer locators"
	else
		ip -n hA addr del "$A3/64" dev "$dev"
		if _wait_peer hB "$TAG_B" "$A3" no 15; then
			pass "hB dropped $A3 from the context's peer locators after hA removed it"
		else
			fail "hB still lists $A3 15 s after hA removed it; hA log: $(tail -3 /tmp/shim6d-hA.log)"
		fi

		SCENARIO="locator-change added"
		ip -n hA addr add "$A3/64" dev "$dev" nodad
		if _wait_peer hB "$TAG_B" "$A3" yes 15; then
			pass "hB lists $A3 again after hA added it back"
		else
			fail "hB does not list $A3 15 s after hA added it back; hA log: $(tail -3 /tmp/shim6d-hA.log)"
		fi
	fi

	# Off the ULID's prefix first: the ULID itself stays on the host.
	SCENARIO="locator-change in use"
	before=$(ctx_pair hA "$TAG_A")
	"$PATHSIM" break a1 b1 --duplex; "$PATHSIM" break a1 b2 --duplex; "$PATHSIM" break a1 b3 --duplex
	for i in $(seq 1 $(( (TSEND + 30) * 5 ))); do
		read -r src dst <<<"$(ctx_pair hA "$TAG_A")"
		[ "$src" != a1 ] && break
		sleep 0.2
	done
	"$PATHSIM" clear
	if [ "$src" != a2 ] && [ "$src" != a3 ]; then
		grep -E 'pair|[Pp]robe|explor|SendTimeout|RxExploring' /tmp/shim6d-hA.log | tail -8 | sed 's/^/  hA: /' | cut -c1-200
		fail "with every path from a1 down, hA stayed on '$src $dst' (was on $before) for $((TSEND + 30)) s"
	else
		in_use=$(shim6d_ulid hA "$src")
		dev=$(_addr_dev hA "$in_use")
		sleep 1
		t_break=$(now_unix)
		ip -n hA addr del "$in_use/64" dev "$dev"
		gap=$(art_wait_gap locators "$t_break" $((TSEND + 30)))
		after=$(ctx_pair hA "$TAG_A")
		sleep 1
		[ -n "$gap" ] && gap=$(art_largest_gap locators "$t_break")
		report=$(art_stop locators)
		ip -n hA addr add "$in_use/64" dev "$dev" nodad
		# No gap of 300 ms or more is a recovery too, if the stream is
		# still flowing and hA left the removed address.
		if [ -z "$gap" ] && [ "$after" != "$src $dst" ] &&
			python3 -c "import json, sys; sys.exit(0 if json.loads(sys.argv[1])['silence_ms'] < 300 else 1)" "$report" 2>/dev/null; then
			pass "$src's address removed: no gap of 300 ms or more, pair $src $dst -> $after"
		else
			failover_verdict "$src's address removed" "$gap" "$(art_bound_ms $TSEND)" "$src $dst" "$after" "$report"
		fi
	fi
else
	fail "set-up failed"
fi
failover_cleanup
