# Switching the locator pair: the packets on the wire carry the locators
# and the payload extension header with the receiver's context tag; the
# ULID ping keeps working and both sides count it.  The first rewriting
# pair gives the context its xfrm state and outbound policy.
cap=/tmp/shim6-rewrite.pcap
if ! set_path a2 b3; then
	fail "ctx set-path failed"
else
	# tcpdump captures (it starts fast); tshark decodes afterwards.
	ip netns exec rt timeout 30 tcpdump -i rb3 -U -c 4 -w "$cap" "ip6 proto 140 and src host $(loc a2)" 2>/tmp/shim6-tcpdump.log &
	capture=$!
	for _ in $(seq 50); do grep -q listening /tmp/shim6-tcpdump.log && break; sleep 0.2; done
	in0=$(stat hB Shim6InPayload)
	ulid_ping 4; ping_rc=$?
	wait $capture
	fields=$(tshark -r "$cap" -T fields -e ipv6.src -e ipv6.dst -e ipv6.nxt -e shim6.p 2>/dev/null | sort -u)
	tags=$(tshark -r "$cap" -T pdml 2>/dev/null | grep -o 'Receiver Context Tag: [0-9a-f ]*' | sort -u)
	in_payload=$(( $(stat hB Shim6InPayload) - in0 ))
	xfrm="$(ip -n hA xfrm state list | grep -c '^src') states, $(ip -n hA xfrm policy list | grep -c '^src') policies"
	want_fields=$(printf '%s\t%s\t140\t1' "$(loc a2)" "$(loc b3)")
	if [ $ping_rc -ne 0 ]; then fail "ULID ping failed on locators a2->b3"
	elif [ "$fields" != "$want_fields" ]; then fail "capture fields '$fields', want '$want_fields'"
	elif [ "$tags" != "Receiver Context Tag: 00 00 00 00 00 2b" ]; then fail "context tag in capture: '$tags'"
	elif [ "$in_payload" -lt 4 ]; then fail "hB restored $in_payload payload packets, want >= 4"
	elif [ "$xfrm" != "1 states, 1 policies" ]; then fail "hA's xfrm objects after the first rewriting pair: $xfrm, want 1 and 1"
	else pass "wire a2->b3 with header (tag 0x2b), ULID ping ok, hB restored $in_payload"
	fi
fi
