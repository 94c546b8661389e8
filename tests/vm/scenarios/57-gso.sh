# TCP through a rewriting context keeps GSO (patches 0006, 0007): the
# router forwards super-packets larger than the MTU that carry the Shim6
# header, and when the sender's device cannot do TSO, software GSO walks
# over the header and gives every segment its own copy.
cap=/tmp/shim6-gso.pcap
port=5203

# capture_iperf IFACE [IPERF_ARGS...]: 3 s of iperf3 TCP a1 -> b1 while rt
# captures the headers on IFACE; prints "frames over-mtu with-header
# bytes-received".
capture_iperf() {
	local iface=$1; shift
	rm -f "$cap"
	ip netns exec rt timeout 20 tcpdump -i "$iface" -U -s 128 -w "$cap" "ip6 and src host $(loc a2)" 2>/tmp/shim6-tcpdump.log &
	local capture=$!
	for _ in $(seq 50); do grep -q listening /tmp/shim6-tcpdump.log && break; sleep 0.2; done
	local out
	out=$(ip netns exec hA timeout 20 iperf3 -c "$(loc b1)" -B "$(loc a1)" -p $port -t 3 "$@" --json 2>/dev/null)
	sleep 0.5
	kill $capture 2>/dev/null; wait $capture 2>/dev/null
	local received
	received=$(python3 -c 'import json,sys; print(int(json.load(sys.stdin)["end"]["sum_received"]["bytes"]))' <<<"$out" 2>/dev/null)
	# frame.len is the length on the wire (or of the super-packet), not
	# the 128 captured octets.
	tshark -r "$cap" -T fields -e frame.len -e ipv6.nxt 2>/dev/null | awk -v rx="${received:-0}" '
		{ n++; if ($1 > 1514) big++; if ($2 == 140) shim++ }
		END { printf "%d %d %d %d\n", n, big, shim, rx }'
}

ip netns exec hB iperf3 -s -D -B "$(loc b1)" -p $port >/dev/null 2>&1
sleep 1
if ! set_path a2 b3; then
	fail "ctx set-path a2 b3 failed"
else
	SCENARIO="gso tso-kept"
	read -r frames big shim rx < <(capture_iperf rb3)
	if [ "${rx:-0}" -le 0 ]; then fail "iperf3 moved no data through the context"
	elif [ "$shim" -ne "$frames" ] || [ "$frames" -eq 0 ]; then fail "$shim of $frames frames a2->b3 carry the Shim6 header"
	elif [ "$big" -eq 0 ]; then fail "no frame above the MTU: GSO packets were segmented before the router ($frames frames)"
	else pass "$big of $frames frames a2->b3 are GSO super-packets with the header, $rx bytes received"
	fi

	SCENARIO="gso software-segmentation"
	# The bundle's route is looked up from the local locator, so the
	# segments leave on a2 (a1 is the ULID's link): rt sees them on ra2.
	if ! ip netns exec hA ethtool -K a2 tso off >/dev/null 2>&1; then
		fail "ethtool -K a2 tso off failed"
	else
		# Paced: unpaced, 3 s are some 50 000 segments, and tshark under
		# TCG took three minutes to read them.
		in0=$(stat hB Shim6InPayload)
		read -r frames big shim rx < <(capture_iperf ra2 -b 30M)
		restored=$(( $(stat hB Shim6InPayload) - in0 ))
		ip netns exec hA ethtool -K a2 tso on >/dev/null 2>&1
		if [ "${rx:-0}" -le 0 ]; then fail "iperf3 moved no data with TSO off"
		elif [ "$frames" -eq 0 ]; then fail "no segment on ra2: the packets did not leave through the local locator's link"
		elif [ "$shim" -ne "$frames" ]; then fail "$shim of $frames segments carry the Shim6 header"
		elif [ "$big" -ne 0 ]; then fail "$big frames above the MTU left a device without TSO"
		elif [ "$restored" -lt "$frames" ]; then fail "hB restored $restored payload packets for $frames segments"
		else pass "$frames segments of at most 1514 octets on a2's link, each with the header; hB restored $restored; $rx bytes received"
		fi
	fi
fi
pkill -f "iperf3 -s -D -B $(loc b1) -p $port" 2>/dev/null
