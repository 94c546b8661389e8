# The context trigger: outbound payload past the threshold reports the
# flow on the sender; the side that only receives reports nothing; a
# per-peer policy can say never or at once.
for ns in hA hB; do ip netns exec "$ns" "$SHIM6CTL" params --trigger-bytes 3000 >/dev/null; done
udp_flow() { # src dst seconds: 200-octet datagrams, 10 a second
	ip netns exec "$(host_of "$1")" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
end = time.time() + float(sys.argv[3])
while time.time() < end:
    s.sendto(b"x" * 200, (sys.argv[2], 9))
    time.sleep(0.1)' "$(loc "$1")" "$(loc "$2")" "$3"
}
# monitor NS OUT: events to OUT until stop_monitors (a fixed timeout
# would race python's slow start under TCG).
monitors=()
monitor() {
	ip netns exec "$1" "$SHIM6CTL" monitor --json --timeout 600 > "$2" 2>/dev/null &
	monitors+=($!)
}
stop_monitors() { sleep 1; kill "${monitors[@]}" 2>/dev/null; wait "${monitors[@]}" 2>/dev/null; monitors=(); }
triggers() { grep -c '"event":"trigger"' "$1"; }

SCENARIO=trigger-outbound-only
monitor hA /tmp/trig-a.json
monitor hB /tmp/trig-b.json
sleep 1
udp_flow a2 b2 3
stop_monitors
event=$(grep '"event":"trigger"' /tmp/trig-a.json | head -1)
local=$(json_get local_address <<<"$event" 2>/dev/null); peer=$(json_get peer_address <<<"$event" 2>/dev/null)
if [ "$(triggers /tmp/trig-a.json)" != 1 ]; then fail "sender reported $(triggers /tmp/trig-a.json) triggers, want 1: $(cat /tmp/trig-a.json)"
elif [ "$local $peer" != "$(loc a2) $(loc b2)" ]; then fail "trigger for $local -> $peer"
elif [ "$(triggers /tmp/trig-b.json)" != 0 ]; then fail "the receiver reported a trigger"
else pass "one trigger on hA for a2->b2 after 3000 octets, none on hB"
fi

SCENARIO=trigger-peer-policy
ip netns exec hA "$SHIM6CTL" peer-policy "$(loc b3)" never
ip netns exec hA "$SHIM6CTL" peer-policy "$(loc b1)" immediate
monitor hA /tmp/trig-p.json
sleep 1
udp_flow a3 b3 3
udp_flow a3 b1 0.15
stop_monitors
fired=$(grep '"event":"trigger"' /tmp/trig-p.json | python3 -c '
import json, sys
print(" ".join(sorted(json.loads(l)["peer_address"] for l in sys.stdin)))')
if [ "$fired" != "$(loc b1)" ]; then fail "triggers for '$fired', want only $(loc b1) (b3 is never, b1 immediate)"
else pass "never for b3 (600+ octets, none), immediate for b1 (first datagram)"
fi
ip netns exec hA "$SHIM6CTL" peer-policy "$(loc b3)" default
ip netns exec hA "$SHIM6CTL" peer-policy "$(loc b1)" default
# Back to the defaults for the scenarios after this one.
for ns in hA hB; do ip netns exec "$ns" "$SHIM6CTL" params --trigger-bytes 2048 >/dev/null; done
