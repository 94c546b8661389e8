# timeout: 420 s
# Off-path redirection (finding C1 of the security review): hA and hB run
# shim6d and carry a TCP stream on their context.  An attacker behind the
# router, with its own prefix and no ingress filtering, tries to take
# hA's ULID pair at hB: an I1 whose ULID Pair option names hA's ULID as
# sender, then an I2 echoing the R1's validator with no Locator List; the
# same I2 replayed from a spoofed bystander address; a receiver ULID that
# is not hB's; ::1 as both ULIDs; and the same through R1bis -> I2bis.
# hB must keep the context's peer locators, tag and pair, send nothing of
# the stream to the attacker or the bystander, keep no context for the
# made-up ULIDs, count what it refused, and the stream must keep moving.
. "$REPO/tests/vm/attack.sh"
TSEND=2
SPOOFED_SOURCE=2001:db8:777::77
# Not hB's: hA's address on a2.
FOREIGN_RECEIVER_ULID=$(loc a2)
# Each attack message hB must refuse: the I2 and its replay, the I1 naming
# a foreign receiver, the I1 naming ::1, the I2bis and its replay.
REFUSALS_AT_LEAST=6

# The redirection may last only until hA's REAP repairs it (a few
# seconds), so hB's context is looked at right after each attack, and the
# daemon's events are watched all along.
SNAPSHOTS=/tmp/attack-redirect-kernel
EVENTS=/tmp/attack-redirect-events
# snapshot NAME: hB's kernel contexts now (shim6ctl is quick; python later).
snapshot() { nsenter --net=/run/netns/hB "$SHIM6CTL" ctx show --json >"$SNAPSHOTS.$1"; }
# watch_daemon_events NS: the daemon's events as JSON lines into EVENTS,
# in the background (EVENTS_PID); returns once it is subscribed.
watch_daemon_events() {
	failover_daemon_events "$1" "$EVENTS"
	EVENTS_PID=$!
	local deadline=$((SECONDS + 20))
	until grep -q '^monitoring$' "$EVENTS" 2>/dev/null; do
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}
# context_changes LOCAL_ULID PEER_ULID LOCAL_TAG DAEMON_BEFORE DAEMON_AFTER
# EVENTS_FILE SNAPSHOT...: every way the context for the ULID pair
# (CT(local) LOCAL_TAG) differs from the snapshot named "before" (kernel)
# or from DAEMON_BEFORE (the daemon's "list"), and every daemon event that
# moved it or made a context; nothing if it stayed as it was.  The view
# before goes to standard error.
context_changes() {
	python3 - "$@" <<-'PY'
	import ipaddress, json, sys
	local, peer = ipaddress.ip_address(sys.argv[1]), ipaddress.ip_address(sys.argv[2])
	tag = int(sys.argv[3], 0)
	daemon_before, daemon_after = json.loads(sys.argv[4]), json.loads(sys.argv[5])
	def view(contexts):
	    for c in contexts:
	        if (ipaddress.ip_address(c["local_ulid"]), ipaddress.ip_address(c["peer_ulid"])) == (local, peer):
	            locators = ",".join(sorted(str(ipaddress.ip_address(a)) for a in c["peer_locators"]))
	            return "peer tag %s, peer locators %s, pair %s -> %s" % (
	                c["peer_tag"], locators, c["local_locator"], c["peer_locator"])
	    return "no context"
	snapshots = {}
	for path in sys.argv[7:]:
	    with open(path) as f:
	        snapshots[path.rsplit(".", 1)[1]] = view(json.load(f))
	before = snapshots.pop("before")
	print("kernel: %s" % before, file=sys.stderr)
	for name, now in snapshots.items():
	    if now != before:
	        print("kernel after %s: %s" % (name, now))
	daemon = view(daemon_before["contexts"]), view(daemon_after["contexts"])
	if daemon[1] != daemon[0]:
	    print("daemon: %s, was %s" % (daemon[1], daemon[0]))
	with open(sys.argv[6]) as f:
	    for line in f:
	        if not line.startswith("{"):
	            continue
	        event = json.loads(line)
	        moved = event.get("local_tag") == tag and event["kind"] in ("pair-changed", "peer-tag-changed")
	        if moved or event["kind"] == "established":
	            print("event %s" % line.strip())
	PY
}

# made_up_contexts NS: every context (kernel or daemon) whose local ULID is
# not in NS's prefixes or whose peer ULID is not a unicast address.
made_up_contexts() {
	local kernel daemon p prefixes=""
	for p in $(_shim6d_providers "$1"); do prefixes+="$(pfx "$p") "; done
	kernel=$(nsenter --net="/run/netns/$1" "$SHIM6CTL" ctx show --json)
	daemon=$(shim6d_context_json "$1")
	python3 -c 'import ipaddress, json, sys
ours = [ipaddress.ip_network(p) for p in sys.argv[3].split()]
def unicast(a):
    return not (a.is_loopback or a.is_unspecified or a.is_multicast or a.is_link_local)
def made_up(c):
    local, peer = ipaddress.ip_address(c["local_ulid"]), ipaddress.ip_address(c["peer_ulid"])
    return not any(local in net for net in ours) or not unicast(peer)
for where, contexts in (("kernel", json.loads(sys.argv[1])), ("daemon", json.loads(sys.argv[2])["contexts"])):
    for c in contexts:
        if made_up(c):
            print("%s: %s -> %s" % (where, c["local_ulid"], c["peer_ulid"]))' "$kernel" "$daemon" "$prefixes"
}

# attacks_delivered JSON_LINES: why the attacker's runs prove nothing, if
# they do not: a run that failed, or no R1 for the first I1 or no R1bis
# for the unknown tag (then hB never saw the attack).
attacks_delivered() {
	python3 -c 'import json, sys
lines = [line for line in sys.argv[1].splitlines() if line.strip()]
if len(lines) != 4:
    sys.exit("%d of 4 attacker runs printed a result" % len(lines))
runs = [json.loads(line) for line in lines]
for run in runs:
    if run["send_errors"] or not run["sent"]:
        sys.exit("a run could not send: %s" % run)
if runs[0]["received"].get("r1", 0) < 1:
    sys.exit("no R1 came back for the C1 I1: %s" % runs[0])
if runs[3]["received"].get("r1bis", 0) < 1:
    sys.exit("no R1bis came back for the unknown tag: %s" % runs[3])' "$1"
}

# refusal_growth BEFORE AFTER: "total reason:+n ..." from two core_refused outputs.
refusal_growth() {
	awk 'NR == FNR { before[$1] = $2; next }
	     { d = $2 - before[$1]; total += d; if (d > 0) grew = grew " " $1 ":+" d }
	     END { print total + 0 grew }' <(echo "$1") <(echo "$2")
}

stream_bytes() { art_report redirect | json_get bytes 2>/dev/null || echo 0; }

if ! attack_setup; then
	fail "set-up: no attacker namespace"
elif ! failover_start "timers.send_timeout_secs = $TSEND" || ! failover_stream redirect 7201; then
	fail "set-up: no stream with a context between hA and hB"
elif ! TAG_B=$(shim6d_wait_context hB "$UA" 20); then
	fail "set-up: no context in hB for $UA"
elif ! watch_daemon_events hB; then
	fail "set-up: hB's daemon does not report its events: $(cat "$EVENTS")"
else
	snapshot before
	daemon_before=$(shim6d_context_json hB)
	refused_before=$(core_refused hB)
	watch_reset
	results=()
	# C1 itself, then the I2 replayed from a spoofed source (variant a).
	results+=("$(attack redirect --responder "$UB" --from "$ATTACKER_ADDRESS" --victim-ulid "$UA" \
		--spoofed-replay "$SPOOFED_SOURCE")")
	snapshot c1
	# A receiver ULID that is not hB's (variant b).
	results+=("$(attack redirect --responder "$UB" --from "$ATTACKER_ADDRESS" --victim-ulid "$UA" \
		--receiver-ulid "$FOREIGN_RECEIVER_ULID")")
	snapshot foreign-receiver
	# Loopback ULIDs (variant b).
	results+=("$(attack redirect --responder "$UB" --from "$ATTACKER_ADDRESS" --victim-ulid ::1 \
		--receiver-ulid ::1)")
	snapshot loopback
	# Through R1bis -> I2bis, and its replay (variant c).
	results+=("$(attack redirect --via i2bis --responder "$UB" --from "$ATTACKER_ADDRESS" --victim-ulid "$UA" \
		--spoofed-replay "$SPOOFED_SOURCE")")
	snapshot i2bis
	printf 'attacker: %s\n' "${results[@]}"
	# Time for redirected traffic, if any, to cross the router.
	sleep 3
	snapshot end
	daemon_after=$(shim6d_context_json hB)
	refused_after=$(core_refused hB)
	kill "$EVENTS_PID" 2>/dev/null

	SCENARIO=attack-redirect-delivered
	if why=$(attacks_delivered "$(printf '%s\n' "${results[@]}")" 2>&1); then
		pass "the attacker's messages reached hB (R1 and R1bis came back from it)"
	else
		fail "the attack did not happen as planned: $why"
	fi

	SCENARIO=attack-redirect-context
	changes=$(context_changes "$UB" "$UA" "$TAG_B" "$daemon_before" "$daemon_after" "$EVENTS" \
		"$SNAPSHOTS".{before,c1,foreign-receiver,loopback,i2bis,end} 2>/tmp/attack-redirect-view)
	view=$(cat /tmp/attack-redirect-view)
	if [ -z "$changes" ] && [ "$view" != "kernel: no context" ]; then
		pass "hB's context for hA kept its tag, locators and pair after every attack, no event moved it ($view)"
	else
		fail "hB's context for hA moved ($view before): $(tr '\n' ';' <<<"$changes")"
	fi

	SCENARIO=attack-redirect-traffic
	payload=$(watched payload_to_attacker); transport=$(watched transport_to_attacker)
	r2=$(watched r2_to_attacker); bystander=$(watched anything_to_bystander)
	if [ "$payload" = 0 ] && [ "$transport" = 0 ] && [ "$bystander" = 0 ] && [ "$r2" = 0 ]; then
		pass "no payload, TCP/UDP or R2 reached the attacker, nothing reached the spoofed bystander"
	else
		fail "to the attacker: $payload Shim6 payload, $transport TCP/UDP, $r2 R2; to the bystander: $bystander packets"
	fi

	SCENARIO=attack-redirect-made-up-ulids
	made_up=$(made_up_contexts hB)
	if [ -z "$made_up" ]; then
		pass "no context in hB for ::1 or for a receiver ULID not hB's ($FOREIGN_RECEIVER_ULID)"
	else
		fail "contexts for made-up ULIDs in hB: $(tr '\n' ';' <<<"$made_up")"
	fi

	SCENARIO=attack-redirect-refusals
	growth=$(refusal_growth "$refused_before" "$refused_after")
	if [ -z "$refused_after" ]; then
		fail "hB's stats have no core_refused counters: $(daemon_stats hB | head -c 300)"
	elif [ "${growth%% *}" -ge "$REFUSALS_AT_LEAST" ]; then
		pass "hB's core refused $growth (at least $REFUSALS_AT_LEAST wanted)"
	else
		fail "hB's core refusals grew by $growth, want at least $REFUSALS_AT_LEAST"
	fi

	SCENARIO=attack-redirect-stream
	first=$(stream_bytes); sleep 3; second=$(stream_bytes)
	if [ "$second" -gt "$first" ]; then
		pass "the TCP stream still moves ($first -> $second bytes in 3 s)"
	else
		fail "the TCP stream stopped at $first bytes (hB log: $(tail -3 /tmp/shim6d-hB.log))"
	fi
fi
attack_teardown
