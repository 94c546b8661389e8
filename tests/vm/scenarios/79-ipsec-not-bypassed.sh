# IPsec is never bypassed (RFC 5533 §16.1): while an ESP policy covers
# the ULID pair a1 <-> b1, a rewriting pair is refused (EPERM, an extack
# message, Shim6RewriteRefusedIpsec, the event ipsec-refused), and a TCP
# stream between the ULIDs leaves as ESP, never in cleartext.  An ESP
# policy added after the context rewrites wins over the context's own
# (lowest precedence): the stream is ESP again.
# Uses the static context of 50-* (added if missing, and then removed).
# timeout: 400 s
PORT=5279
A=$(loc a1) B=$(loc b1)
cap=/tmp/shim6-79.pcap
have_static=1
ip netns exec hA "$SHIM6CTL" ctx show $CTX_A >/dev/null 2>&1 || { have_static=""; ctx_add_static; }
set_path a1 b1

# esp_states NS: ESP transport states both ways between the ULIDs.
esp_states() {
	ip -n "$1" xfrm state add src "$A" dst "$B" proto esp spi 0x7901 reqid 79 mode transport \
		aead 'rfc4106(gcm(aes))' 0x0102030405060708090a0b0c0d0e0f1011121314 128 &&
	ip -n "$1" xfrm state add src "$B" dst "$A" proto esp spi 0x7902 reqid 79 mode transport \
		aead 'rfc4106(gcm(aes))' 0x1112131415161718191a1b1c1d1e1f2021222324 128
}
# esp_policies add|delete NS LOCAL PEER: ESP for the providers' /64s (a
# broader selector than the context's /128), as an IPsec setup would have.
esp_policies() {
	local op=$1 ns=$2 local=$3 peer=$4 tmpl=""
	[ "$op" = add ] && tmpl="priority 1000 tmpl proto esp reqid 79 mode transport"
	ip -n "$ns" xfrm policy "$op" src "$(pfx "$local")" dst "$(pfx "$peer")" dir out $tmpl &&
	ip -n "$ns" xfrm policy "$op" src "$(pfx "$peer")" dst "$(pfx "$local")" dir in $tmpl
}
# stream_leaks: a 3-second TCP stream hA a1 -> hB b1, captured at the
# router; prints "cleartext esp rc": packets of the stream or with a Shim6
# payload header (cleartext), ESP packets, and iperf3's exit status.
stream_leaks() {
	ip netns exec hB iperf3 -s -1 -D -B "$B" -p $PORT >/dev/null 2>&1
	ip netns exec rt timeout 60 tcpdump -i any -U -w "$cap" "ip6 and not icmp6" 2>/tmp/shim6-79.tcpdump &
	local capture=$! rc _
	for _ in $(seq 50); do grep -q listening /tmp/shim6-79.tcpdump && break; sleep 0.2; done
	sleep 0.5
	ip netns exec hA timeout 30 iperf3 -c "$B" -B "$A" -p $PORT -t 3 -b 2M >/tmp/shim6-79.iperf 2>&1; rc=$?
	sleep 0.5
	kill -INT $capture; wait $capture
	echo "$(tshark -r "$cap" -Y "tcp.port == $PORT || shim6.p == 1" 2>/dev/null | wc -l)" \
		"$(tshark -r "$cap" -Y esp 2>/dev/null | wc -l)" "$rc"
}
cleanup_ipsec() {
	for ns in hA hB; do ip -n $ns xfrm state deleteall proto esp 2>/dev/null; done
	esp_policies delete hA a1 b1 2>/dev/null
	esp_policies delete hB b1 a1 2>/dev/null
}

esp_states hA && esp_states hB && esp_policies add hA a1 b1 && esp_policies add hB b1 a1 ||
	fail "cannot install the ESP states and policies"

SCENARIO=ipsec-refuses-rewrite
events=/tmp/shim6-79.events
ip netns exec hA "$SHIM6CTL" monitor --json --count 1 --timeout 20 >"$events" 2>&1 &
monitor=$!
sleep 2
refused0=$(stat hA Shim6RewriteRefusedIpsec)
err_a=$(ip netns exec hA "$SHIM6CTL" ctx set-path $CTX_A "$(loc a2)" "$(loc b3)" 2>&1); rc_a=$?
err_b=$(ip netns exec hB "$SHIM6CTL" ctx set-path $CTX_B "$(loc b3)" "$(loc a2)" 2>&1); rc_b=$?
wait $monitor
refused=$(( $(stat hA Shim6RewriteRefusedIpsec) - refused0 ))
event=$(head -1 "$events")
kind="$(json_get event <<<"$event" 2>/dev/null) $(json_get tag <<<"$event" 2>/dev/null)"
pair=$(ip netns exec hA "$SHIM6CTL" ctx show $CTX_A --json | json_get local_locator)
if [ $rc_a = 0 ] || [ $rc_b = 0 ]; then fail "set-path to a rewriting pair accepted under an ESP policy (hA rc $rc_a, hB rc $rc_b)"
else
	case $err_a in
	*"Operation not permitted"*"an IPsec policy covers this ULID pair"*)
		if [ "$refused" != 1 ]; then fail "Shim6RewriteRefusedIpsec +$refused, want +1"
		elif [ "$kind" != "ipsec-refused $CTX_A" ]; then fail "event '$event', want ipsec-refused for $CTX_A"
		elif [ "$pair" != "$A" ]; then fail "hA's context moved to $pair"
		else pass "set-path a2->b3 refused: '${err_a#shim6ctl: }', counted, event ipsec-refused, pair kept"
		fi ;;
	*) fail "hA's refusal says '$err_a'" ;;
	esac
fi

SCENARIO=ipsec-no-cleartext
set -- $(stream_leaks)
# Cleartext first: hB's inbound ESP policy drops it, so a leak also breaks
# the stream.
if [ "$1" != 0 ]; then fail "$1 cleartext packets of the stream on the wire ($2 ESP)"
elif [ "$3" != 0 ]; then fail "the TCP stream failed (iperf3 $3): $(tail -3 /tmp/shim6-79.iperf)"
elif [ "$2" -lt 20 ]; then fail "only $2 ESP packets on the wire, want the stream's"
else pass "TCP stream a1->b1: $2 ESP packets on the wire, 0 in cleartext"
fi

SCENARIO=ipsec-added-later-wins
# Without IPsec the contexts rewrite; then the ESP policies come back.
esp_policies delete hA a1 b1; esp_policies delete hB b1 a1
if ! set_path a2 b3; then fail "set-path a2->b3 refused without any IPsec policy"
else
	lowest=$(ip -n hA xfrm policy list src "$A/128" dst "$B/128" dir out | grep -c 'priority 4294967295')
	esp_policies add hA a1 b1 && esp_policies add hB b1 a1
	set -- $(stream_leaks)
	if [ "$lowest" != 1 ]; then fail "the context's policy is not at priority 4294967295: $(ip -n hA xfrm policy list dir out)"
	elif [ "$1" != 0 ]; then fail "$1 cleartext packets of the stream on the wire ($2 ESP): the Shim6 policy won"
	elif [ "$3" != 0 ]; then fail "the TCP stream failed (iperf3 $3): $(tail -3 /tmp/shim6-79.iperf)"
	elif [ "$2" -lt 20 ]; then fail "only $2 ESP packets on the wire, want the stream's"
	else pass "context rewriting on a2->b3 (policy priority 4294967295), ESP added later: $2 ESP packets, 0 in cleartext"
	fi
fi

cleanup_ipsec
set_path a1 b1
[ -n "$have_static" ] || ctx_del_static
