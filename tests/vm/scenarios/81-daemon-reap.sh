# shim6d on both hosts, nothing configured by hand: a TCP stream between
# the daemons' ULIDs (their a1 and b1 CGAs) makes the kernel trigger fire,
# the daemons establish a context and install it; then the router drops
# a1 -> b1, the pair in use. hA's Send timer expires (2 s), its daemon
# explores with REAP probes, installs a working pair, and the stream goes
# on. The gap in the received bytes is the application recovery time.
# Then hA loses the address it now sends from: the daemons exchange an
# Update, REAP moves the stream to another pair, and when the address
# comes back hB's kernel learns it again.
. "$REPO/tests/vm/shim6d.sh"

SCENARIO=daemon-reap-setup
shim6d_reset hA; shim6d_reset hB
if ! shim6d_start hA || ! shim6d_start hB; then
	fail "shim6d did not start: $(tail -3 /tmp/shim6d-hA.log) / $(tail -3 /tmp/shim6d-hB.log)"
	return 0 2>/dev/null || exit 0
fi
UA=$(shim6d_ulid hA); UB=$(shim6d_ulid hB)

# The stream: 1 KiB every 20 ms from hA to hB; the receiver logs
# "<monotonic seconds> <total bytes>" at every arrival.  Both are killed at
# the end; their timeout only bounds a run that dies half-way, and must
# outlast every check (under TCG, set-up, failover and removal take over
# a minute).
arrivals=/tmp/shim6d-reap-arrivals
rm -f "$arrivals"
ip netns exec hB timeout 240 python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind((sys.argv[1], 5301)); s.listen(1)
c, _ = s.accept()
total = 0
with open(sys.argv[2], "w", buffering=1) as out:
    while True:
        data = c.recv(65536)
        if not data:
            break
        total += len(data)
        out.write("%.3f %d\n" % (time.monotonic(), total))' "$UB" "$arrivals" &
receiver=$!
sleep 1
ip netns exec hA timeout 240 python3 -c '
import socket, sys, time
s = socket.create_connection((sys.argv[2], 5301), source_address=(sys.argv[1], 0))
while True:
    s.sendall(b"x" * 1024)
    time.sleep(0.02)' "$UA" "$UB" 2>/dev/null &
sender=$!

tag_a=$(shim6d_wait_context hA "$UB" 30); tag_b=$(shim6d_wait_context hB "$UA" 10)
if [ -z "$tag_a" ] || [ -z "$tag_b" ]; then
	fail "no kernel context after the trigger (hA: '${tag_a}', hB: '${tag_b}'); hA daemon: $(shim6d_context_json hA)"
else
	pass "the trigger made a context, installed on both sides (hA $tag_a, hB $tag_b)"
fi

now() { python3 -c 'import time; print("%.3f" % time.monotonic())'; }
# longest_gap START END: the longest silence of the stream from just
# before START on, if the bytes came back (an arrival in the 2 s before
# END); "none" otherwise.
longest_gap() {
	python3 -c '
import sys
start, end = float(sys.argv[2]), float(sys.argv[3])
times = [float(line.split()[0]) for line in open(sys.argv[1])]
times = [t for t in times if t >= start - 1]
if not times or times[-1] < end - 2:
    print("none")
else:
    print("%.2f" % max(b - a for a, b in zip(times, times[1:])))' "$arrivals" "$1" "$2" 2>/dev/null
}
# kernel_pair NS PEER_ULID: "local_locator peer_locator reap_state"
kernel_pair() {
	shim6d_kernel_context "$1" "$2" | python3 -c 'import json, sys
c = json.load(sys.stdin); print(c["local_locator"], c["peer_locator"], c["reap_state"])' 2>/dev/null
}
# peer_locator_count NS PEER_ULID: how many locators of the peer NS's kernel has
peer_locator_count() {
	shim6d_kernel_context "$1" "$2" | python3 -c 'import json, sys
print(len(json.load(sys.stdin)["peer_locators"]))' 2>/dev/null
}

SCENARIO=daemon-reap-failover
sleep 1
break_at=$(now)
$PATHSIM break a1 b1
sleep 12
ctx=$(shim6d_kernel_context hA "$UB")
pair=$(kernel_pair hA "$UB")
gap=$(longest_gap "$break_at" "$(now)")
read -r local_locator peer_locator reap_state <<<"$pair"
if [ "$gap" = none ] || [ -z "$gap" ]; then
	fail "the stream did not recover after a1->b1 broke (hA kernel: $ctx; hA log: $(grep -iE 'probe|path|explor' /tmp/shim6d-hA.log | tail -5))"
elif [ "$local_locator" = "$UA" ] && [ "$peer_locator" = "$UB" ]; then
	fail "the stream moved but hA still sends on the broken pair ($pair)"
else
	pass "the stream recovered in $gap s on $local_locator -> $peer_locator ($reap_state)"
fi
$PATHSIM restore a1 b1

SCENARIO=daemon-locator-removed
# hA's address on the pair in use goes away (and then comes back); if
# that is the ULID, its a3 address goes instead (a ULID stays the
# transport's identifier when its locator goes; that is not tested here).
lost=$local_locator
[ "$lost" = "$UA" ] && lost=$(shim6d_ulid hA a3)
dev=$(ip -n hA -6 -o addr show to "$lost/128" | awk '{print $2}')
removed_at=$(now)
if [ -z "$dev" ] || ! ip -n hA addr del "$lost/64" dev "$dev"; then
	fail "cannot remove $lost from hA (device '$dev')"
else
	for _ in $(seq 1 50); do
		[ "$(peer_locator_count hB "$UA")" = 2 ] && break
		sleep 0.2
	done
	count_after_removal=$(peer_locator_count hB "$UA")
	sleep 10
	# TCP may be in retransmission back-off by the time both sides have
	# moved: the check is that the stream comes back (within 40 s more);
	# 86-locator-change bounds the gap of the same event.
	for _ in $(seq 1 15); do
		gap=$(longest_gap "$removed_at" "$(now)")
		[ -n "$gap" ] && [ "$gap" != none ] && break
		sleep 2
	done
	read -r local_now peer_now _ <<<"$(kernel_pair hA "$UB")"
	ip -n hA addr add "$lost/64" dev "$dev" nodad
	for _ in $(seq 1 50); do
		[ "$(peer_locator_count hB "$UA")" = 3 ] && break
		sleep 0.2
	done
	count_after_return=$(peer_locator_count hB "$UA")
	if [ "$count_after_removal" != 2 ]; then
		fail "hB's kernel has $count_after_removal locators of hA after $lost went, want 2 (hA log: $(grep -i locator /tmp/shim6d-hA.log | tail -2))"
	elif ! kill -0 "$sender" 2>/dev/null; then
		fail "the sender exited before the removal check"
	elif [ "$gap" = none ] || [ -z "$gap" ]; then
		fail "the stream stopped when $lost went (hA kernel: $(shim6d_kernel_context hA "$UB"))"
	elif [ "$local_now" = "$lost" ]; then
		fail "hA still sends from the removed $lost"
	elif [ "$count_after_return" != 3 ]; then
		fail "hB's kernel has $count_after_return locators of hA after $lost came back, want 3"
	else
		pass "Update on removal and on return (hB's kernel: 2 then 3 locators of hA); the stream moved to $local_now -> $peer_now, longest gap $gap s"
	fi
fi

kill "$sender" "$receiver" 2>/dev/null
wait "$sender" "$receiver" 2>/dev/null
shim6d_reset hA; shim6d_reset hB
