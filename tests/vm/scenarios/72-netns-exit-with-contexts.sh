# A namespace deleted while it has contexts, timers and traffic: the
# module's per-namespace exit removes them with their xfrm objects.  Both
# ends of a rewriting context live in one namespace (ULIDs ::1 and ::2,
# locators ::11 and ::12 on lo), so a ping is rewritten, carries the
# payload header and is restored on the way in.  Nothing may warn; on the
# debug kernel kmemleak-check then finds nothing left behind.
NS=shim6-exit
P=2001:db8:f0
in_ns() { ip netns exec "$NS" "$@"; }

ip netns del "$NS" 2>/dev/null
ip netns add "$NS" && ip -n "$NS" link set lo up &&
	for a in 1 2 11 12; do ip -n "$NS" addr add "$P::$a/128" dev lo nodad || break; done
ctx_pair_add() {
	in_ns "$SHIM6CTL" ctx add --local-tag 0x71 --peer-tag 0x72 --local-ulid "$P::1" --peer-ulid "$P::2" \
		--local-locators "$P::1,$P::11" --peer-locators "$P::2,$P::12" &&
	in_ns "$SHIM6CTL" ctx add --local-tag 0x72 --peer-tag 0x71 --local-ulid "$P::2" --peer-ulid "$P::1" \
		--local-locators "$P::2,$P::12" --peer-locators "$P::1,$P::11" &&
	in_ns "$SHIM6CTL" ctx set-path 0x71 "$P::11" "$P::12" &&
	in_ns "$SHIM6CTL" ctx set-path 0x72 "$P::12" "$P::11"
}
rewritten() { stat "$NS" Shim6OutRewritten; }

if ! ip netns list | grep -q "^$NS"; then
	fail "cannot create namespace $NS"
elif ! ctx_pair_add; then
	fail "cannot add the two contexts in $NS"
elif ! in_ns ping -6 -n -q -c 3 -i 0.2 -W 2 -I "$P::1" "$P::2" >/dev/null; then
	fail "no ping between the ULIDs through the contexts (rewritten: $(rewritten))"
else
	sent=$(rewritten)
	# Keepalives and Send timers are armed: delete the namespace now.
	if [ "${sent:-0}" -lt 6 ]; then
		fail "$sent packets rewritten for 3 echo requests and replies"
	elif ! ip netns del "$NS"; then
		fail "ip netns del $NS failed"
	else
		# Namespaces are torn down by a worker: wait for it, then look.
		for _ in $(seq 1 50); do
			[ -e "/run/netns/$NS" ] || break
			sleep 0.2
		done
		sleep 2
		complaints=$(kernel_complaints)
		if [ -n "$complaints" ]; then
			fail "kernel complaints after deleting $NS: $(head -3 <<<"$complaints")"
		else
			pass "$sent packets rewritten between two contexts, namespace deleted with them alive, no warning"
		fi
	fi
fi
ip netns del "$NS" 2>/dev/null
true
