# rmmod while contexts are live and rewriting a TCP stream and a ping:
# the module deletes the contexts with their xfrm states and policies, and
# goes.  The stream's socket still holds its bundle, so its state outlives
# the module; its type is built into the kernel (patch 0009) and drops what
# is sent before TCP rechecks the route.  The stream then goes on, plain,
# on the ULIDs.  Loaded again, the module rewrites as before.
# Uses the static context of 50-*; leaves the module loaded, no context.
PORT=5209
count_xfrm() { ip -n "$1" xfrm "$2" list | grep -c '^src'; }
ctx_count() { ip netns exec hA "$SHIM6CTL" ctx show --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }

if [ "$(ctx_count)" = 0 ]; then ctx_add_static; fi
set_path a2 b2
ip netns exec hB iperf3 -s -1 -D -B "$(loc b1)" -p $PORT >/dev/null 2>&1
sleep 1
# A slow stream: the debug kernel runs this scenario too.
ip netns exec hA timeout 60 iperf3 -c "$(loc b1)" -B "$(loc a1)" -p $PORT -t 12 -b 4M -i 1 --json >/tmp/shim6-70.json 2>&1 &
stream=$!
ip netns exec hA ping -6 -n -q -i 0.1 -w 14 -I "$(loc a1)" "$(loc b1)" >/tmp/shim6-70.ping 2>&1 &
pinger=$!
sleep 3
rewritten=$(stat hA Shim6OutRewritten)
states_before="$(count_xfrm hA state)/$(count_xfrm hB state)"
sleep 1
if [ "$(stat hA Shim6OutRewritten)" -le "${rewritten:-0}" ]; then
	fail "the stream is not being rewritten before the unload (Shim6OutRewritten $rewritten)"
elif ! rmmod shim6; then
	fail "rmmod refused with live contexts: $(grep '^shim6 ' /proc/modules)"
elif grep -q '^shim6 ' /proc/modules; then
	fail "shim6 still in /proc/modules after rmmod"
else
	left="$(count_xfrm hA state)/$(count_xfrm hB state) states, $(count_xfrm hA policy)/$(count_xfrm hB policy) policies"
	wait $stream; stream_rc=$?
	wait $pinger
	moved=$(python3 -c '
import json, sys
r = json.load(open(sys.argv[1]))
iv = [i["sum"]["bytes"] for i in r["intervals"]]
print(sum(1 for b in iv[-4:] if b > 0), len(iv))' /tmp/shim6-70.json 2>/dev/null)
	read -r late_moving intervals <<<"$moved"
	received=$(grep -o '[0-9]* received' /tmp/shim6-70.ping | cut -d' ' -f1)
	if [ "$left" != "0/0 states, 0/0 policies" ]; then
		fail "xfrm objects left in hA/hB after the unload (before: $states_before states): $left"
	elif [ $stream_rc -ne 0 ] || [ -z "$moved" ]; then
		fail "the TCP stream across the unload failed (rc $stream_rc): $(tail -c 300 /tmp/shim6-70.json)"
	elif [ "$late_moving" != 4 ]; then
		fail "the stream stalled after the unload: $late_moving of its last 4 intervals moved data"
	elif ! ulid_ping 2; then
		fail "no ping between the ULIDs after the unload"
	else
		complaints=$(kernel_complaints)
		if [ -n "$complaints" ]; then
			fail "kernel log after rmmod: $(head -3 <<<"$complaints" | tr '\n' ' ')"
		else
			pass "rmmod with contexts and a stream live ($states_before states): $left left, the stream went on plain ($intervals intervals), ${received:-0} pings answered"
		fi
	fi
fi
kill $stream $pinger 2>/dev/null
pkill -f "iperf3 -s -1 -D -B $(loc b1) -p $PORT" 2>/dev/null

# Loaded again: a new context rewrites from the first packet.
SCENARIO="70-unload-with-contexts reload"
if ! grep -q '^shim6 ' /proc/modules && ! insmod "$SHIM6_KO"; then
	fail "insmod after the unload failed"
elif ! ctx_add_static || ! set_path a3 b3; then
	fail "cannot add the static context after reloading"
elif ! ulid_ping 3; then
	fail "no ping through the new context (rewritten: $(stat hA Shim6OutRewritten))"
elif [ "$(stat hA Shim6OutRewritten)" -lt 3 ]; then
	fail "only $(stat hA Shim6OutRewritten) packets rewritten for 3 pings after reloading"
else
	ctx_del_static
	if [ "$(ctx_count)" != 0 ]; then fail "$(ctx_count) contexts left after ctx del"
	else pass "reloaded, $(stat hA Shim6OutRewritten) packets rewritten by a new context, deleted"
	fi
fi
true
