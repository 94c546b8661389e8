# A rewritten packet leaves through the link of the local locator it
# carries (the state routes from its care-of address, the locator):
# with everything hA sends on the ULID's own link a1 lost, the ULID pair
# keeps working on locators a2 -> b3, and fails on the null mapping.
link_dead() { ip netns exec hA tc qdisc replace dev a1 root netem loss 100%; }
link_alive() { ip netns exec hA tc qdisc del dev a1 root 2>/dev/null; }

SCENARIO=egress-follows-locator
if ! set_path a2 b3; then fail "ctx set-path a2 b3 failed"
elif ! link_dead; then fail "tc netem on hA's a1 failed"
else
	out0=$(ip netns exec hA cat /sys/class/net/a2/statistics/tx_packets)
	ulid_ping 3; ping_rc=$?
	sent=$(( $(ip netns exec hA cat /sys/class/net/a2/statistics/tx_packets) - out0 ))
	if [ $ping_rc -ne 0 ]; then fail "ULID ping a1 -> b1 failed on locators a2 -> b3 with a1's link dead"
	elif [ "$sent" -lt 3 ]; then fail "a2 sent $sent packets for 3 echo requests"
	else pass "ULID ping with a1's link dead, $sent packets out of a2"
	fi

	SCENARIO=egress-null-mapping-control
	if ! set_path a1 b1; then fail "ctx set-path a1 b1 failed"
	elif ulid_ping 2; then fail "ULID ping on a1 -> b1 worked with a1's link dead: the check above proves nothing"
	else pass "the same ping on the null mapping fails with a1's link dead"
	fi
fi
link_alive
set_path a2 b3 >/dev/null
for _ in $(seq 20); do ulid_ping 1 && break; sleep 0.3; done
