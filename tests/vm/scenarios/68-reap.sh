# REAP in the kernel (RFC 5534 §6): when only hA sends, hB's module
# keepalives back on the current pair, and they stop once the Keepalive
# Timeout passes without payload; when the router drops the pair in use,
# hA's Send timer expires and the daemon gets a send-timeout event.
# Uses the static context of 50-*, on the pair a1 -> b1.
set_path a1 b1
for ns_tag in "hA $CTX_A" "hB $CTX_B"; do
	set -- $ns_tag
	ip netns exec "$1" "$SHIM6CTL" ctx set-timers "$2" --send-timeout 1500 --keepalive-timeout 1500
done
udp_listen() { # ns addr seconds
	ip netns exec "$1" timeout "$3" python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 9999))
while True:
    s.recv(2048)' "$2" >/dev/null 2>&1 &
	# Until it is bound, hB answers with Port Unreachable, which is
	# outbound traffic and suppresses keepalives: python starts slowly
	# under TCG, slower still on the KASAN kernel.
	local _
	for _ in $(seq 50); do
		[ -n "$(ip netns exec "$1" ss -Hlun "sport = :9999")" ] && return 0
		sleep 0.2
	done
	echo "udp_listen: nothing bound to port 9999 in $1 after 10 s" >&2
}
udp_send() { # seconds: hA ULID -> hB ULID, 10 datagrams a second
	ip netns exec hA python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
end = time.time() + float(sys.argv[3])
while time.time() < end:
    s.sendto(b"x" * 100, (sys.argv[2], 9999))
    time.sleep(0.1)' "$(loc a1)" "$(loc b1)" "$1"
}

SCENARIO=reap-keepalives
udp_listen hB "$(loc b1)" 30
ka_out0=$(stat hB Shim6OutKeepalive); ka_in0=$(stat hA Shim6InKeepalive); to0=$(stat hA Shim6SendTimeouts)
udp_send 3
ka_out=$(( $(stat hB Shim6OutKeepalive) - ka_out0 )); ka_in=$(( $(stat hA Shim6InKeepalive) - ka_in0 ))
timeouts=$(( $(stat hA Shim6SendTimeouts) - to0 ))
sleep 2.5
quiet0=$(stat hB Shim6OutKeepalive); sleep 2; quiet=$(( $(stat hB Shim6OutKeepalive) - quiet0 ))
if [ "$ka_out" -lt 3 ]; then
	fail "hB sent $ka_out keepalives during 3 s of one-way traffic, want >= 3 (failed sends $(stat hB Shim6OutKeepaliveFailed); hB context: $(ip netns exec hB "$SHIM6CTL" ctx show $CTX_B --json))"
elif [ "$ka_in" -lt 3 ]; then fail "hA received $ka_in keepalives, want >= 3"
elif [ "$timeouts" != 0 ]; then fail "$timeouts send timeouts although keepalives arrived"
elif [ "$quiet" != 0 ]; then fail "$quiet keepalives after the Keepalive Timeout"
else pass "hB sent $ka_out keepalives, hA got $ka_in, none after the timeout, no send timeout"
fi

SCENARIO=reap-send-timeout
events=/tmp/shim6-events.json
ip netns exec hA "$SHIM6CTL" monitor --json --count 1 --timeout 15 > "$events" 2>/dev/null &
monitor=$!
sleep 1
$PATHSIM break a1 b1
udp_send 3
wait $monitor; monitor_rc=$?
state=$(ip netns exec hA "$SHIM6CTL" ctx show $CTX_A --json | json_get reap_state)
$PATHSIM restore a1 b1
event=$(head -1 "$events")
kind=$(json_get event <<<"$event" 2>/dev/null); tag=$(json_get tag <<<"$event" 2>/dev/null)
set_path a1 b1
after=$(ip netns exec hA "$SHIM6CTL" ctx show $CTX_A --json | json_get reap_state)
if [ $monitor_rc -ne 0 ]; then fail "no event within 15 s"
elif [ "$kind $tag" != "send-timeout $CTX_A" ]; then fail "event '$event'"
elif [ "$state" != exploring ]; then fail "reap state '$state' after the timeout"
elif [ "$after" != operational ]; then fail "reap state '$after' after set-path"
else pass "send-timeout event for $CTX_A, Exploring, Operational again after set-path"
fi

# The Send timer expires on time, not when the timer wheel's coarse level
# gets to it: for a 40 s timeout that level's granularity is 4096 ms at
# HZ=1000, so an expiry rounded up shows for seconds.  One echo request on
# a broken pair starts the timer; then snapshots of the context, each with
# the age of its last packet as the kernel sees it (so process start-up
# under TCG does not matter): Operational at 40 150 ms or more is late,
# Exploring before 39 850 ms is early.
SCENARIO=reap-timer-on-time
ctx_snapshot() { # prints "AGE_MS STATE"
	nsenter --net=/run/netns/hA "$SHIM6CTL" ctx show $CTX_A --json 2>/dev/null |
		sed -n 's/.*"reap_state":"\([a-z_]*\)".*"last_tx_ms":\([0-9]*\).*/\2 \1/p'
}
ip netns exec hA "$SHIM6CTL" ctx set-timers $CTX_A --send-timeout 40000 --keepalive-timeout 1500
$PATHSIM break a1 b1
set_path a1 b1
sleep 0.5
ip netns exec hA ping -6 -n -q -c 1 -W 1 -I "$(loc a1)" "$(loc b1)" >/dev/null 2>&1
# A snapshot takes a second or more under TCG: start early enough that
# several land before the expiry.
sleep 33
verdict= snapshots=0 late=0 operational=0 seen=
for _ in $(seq 1 100); do
	read -r age state <<<"$(ctx_snapshot)"
	if [ -z "$age" ]; then verdict="no state and last_tx_ms in ctx show"; break; fi
	snapshots=$((snapshots + 1)) seen="$seen $age:$state"
	if [ "$state" = operational ] && [ "$age" -ge 40150 ]; then
		verdict="still operational $age ms after the last packet (Send timeout 40 000 ms)"; break
	elif [ "$state" = exploring ] && [ "$age" -lt 39850 ]; then
		verdict="exploring $age ms after the last packet (Send timeout 40 000 ms)"; break
	elif [ "$state" = exploring ]; then
		late=$age; break
	elif [ "$age" -gt 46000 ]; then
		verdict="'$state' $age ms after the last packet"; break
	fi
	[ "$state" = operational ] && [ "$age" -ge 36000 ] && operational=$age
done
$PATHSIM restore a1 b1
set_path a1 b1
ip netns exec hA "$SHIM6CTL" ctx set-timers $CTX_A --send-timeout 1500 --keepalive-timeout 1500
if [ -n "$verdict" ]; then fail "$verdict"
elif [ "$late" = 0 ]; then fail "never Exploring in $snapshots snapshots"
elif [ "$operational" = 0 ]; then fail "no Operational snapshot from 36 s on, too few to show the expiry (ms:state$seen)"
else pass "a 40 s Send timeout: $snapshots snapshots, Operational at $operational ms, Exploring at $late ms"
fi
