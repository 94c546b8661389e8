# SPDX-License-Identifier: GPL-2.0
# The failover scenarios' common steps: both daemons, a stream between the
# ULIDs, the context it creates, breaking the pair in use.  Sourced after
# lib.sh; sources shim6d.sh and art.sh.
#
#   failover_start [KEY=VALUE...]   shim6d in hA and hB (the overrides go
#                                   to both); sets UA and UB, the ULIDs
#                                   (hA's address on a1, hB's on b1)
#   failover_stream NAME PORT [ARGS...]
#                                   a shim6-art stream UA -> UB, flowing,
#                                   with a context in hA; sets TAG_A.
#                                   --udp/--mptcp go to both ends, the
#                                   other ARGS to the sender only
#   failover_cleanup                stop the streams and daemons, delete
#                                   every context, restore every path
#   art_bound_ms TSEND_S            the ART bound under TCG: Tsend + 3 s
#   failover_pair_stays WHAT NS TAG PAIR SECONDS
#                                   PASS if the context keeps PAIR that long
#   failover_daemon_events NS FILE [--text]
#                                   the events of NS's daemon into FILE, in
#                                   the background ($! is its pid)

. "$REPO/tests/vm/shim6d.sh"
. "$REPO/tests/vm/art.sh"

# Deletes every kernel context of NS.
_failover_del_contexts() {
	local tag
	for tag in $(nsenter --net="/run/netns/$1" "$SHIM6CTL" ctx show --json 2>/dev/null |
		grep -o '"local_tag":"[^"]*"' | cut -d'"' -f4); do
		nsenter --net="/run/netns/$1" "$SHIM6CTL" ctx del "$tag"
	done
}

failover_start() {
	_failover_del_contexts hA; _failover_del_contexts hB
	shim6d_start hA "$@" && shim6d_start hB "$@" || return 1
	UA=$(shim6d_ulid hA a1); UB=$(shim6d_ulid hB b1)
	[ -n "$UA" ] && [ -n "$UB" ] || { echo "no ULIDs: hA '$UA', hB '$UB'" >&2; return 1; }
}

failover_stream() {
	local name=$1 port=$2 arg; shift 2
	local -a both=()
	for arg in "$@"; do case $arg in --udp|--mptcp) both+=("$arg") ;; esac; done
	art_server hB "[$UB]:$port" "$name" --min-gap-ms 300 "${both[@]}" || return 1
	art_client hA "$UA" "[$UB]:$port" "$name" "$@"
	art_wait_flowing "$name" 15 || {
		echo "stream $name does not flow: $(cat "$(_art_file "$name" client)")" >&2
		return 1
	}
	TAG_A=$(shim6d_wait_context hA "$UB" 30) || {
		echo "no context in hA for $UB; hA log: $(tail -5 /tmp/shim6d-hA.log)" >&2
		return 1
	}
}

failover_cleanup() {
	local f
	for f in /tmp/art-*.server-pid; do
		[ -f "$f" ] && art_stop "$(basename "$f" .server-pid | sed 's/^art-//')" >/dev/null
	done
	rm -f /tmp/art-*.server-pid /tmp/art-*.client-pid
	shim6d_stop hA; shim6d_stop hB
	_failover_del_contexts hA; _failover_del_contexts hB
	"$PATHSIM" clear
}

art_bound_ms() { echo $(( $1 * 1000 + 3000 )); }

# A healthy context must not move, not even back to a pair that failed and
# works again: REAP explores only after a failure.
failover_pair_stays() {
	local what=$1 ns=$2 tag=$3 pair=$4 seconds=$5 end now
	end=$(( $(date +%s) + seconds ))
	while [ "$(date +%s)" -lt "$end" ]; do
		now=$(ctx_pair "$ns" "$tag")
		if [ "$now" != "$pair" ]; then
			fail "$what: $ns moved from $pair to ${now:-nothing} with every path working"
			return
		fi
		sleep 0.5
	done
	pass "$what: $ns stayed on $pair for $seconds s"
}

# failover_daemon_events NS FILE [--text]: the daemon's events (its control
# channel's "monitor" request) into FILE, by a reader left in the
# background: one JSON line an event, and the other replies by name
# ("monitoring" once subscribed); with --text, only the events, as
# "kind tag=0x... key=value...".
failover_daemon_events() {
	python3 -u -c 'import json, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b"{\"cmd\":\"monitor\"}\n")
text = sys.argv[2:] == ["--text"]
for line in s.makefile():
    reply = json.loads(line)
    if reply.get("reply") != "event":
        if not text:
            print(reply.get("reply"))
        continue
    event = reply["event"]
    if not text:
        print(json.dumps(event))
        continue
    kind = event.pop("kind")
    tag = event.pop("local_tag", None)
    print(kind, "" if tag is None else "tag=%#x" % tag,
          " ".join("%s=%s" % kv for kv in event.items()))' "/tmp/shim6d-$1.sock" "${@:3}" >"$2" 2>&1 &
}

# failover_verdict WHAT GAP_MS BOUND_MS BEFORE AFTER REPORT: one PASS or
# FAIL line for a failure of pair BEFORE: the stream came back (GAP_MS is
# its ART) within BOUND_MS, hA left the broken pair (now AFTER), and a TCP
# stream kept every record in order (REPORT: the receiver's last report).
failover_verdict() {
	local what=$1 gap=$2 bound=$3 before=$4 after=$5 report=$6 transport breaks lost
	transport=$(json_get transport <<<"$report" 2>/dev/null)
	breaks=$(json_get sequence_breaks <<<"$report" 2>/dev/null)
	lost=$(json_get lost <<<"$report" 2>/dev/null)
	if [ -z "$gap" ]; then
		fail "$what: no recovery after breaking $before (hA now on $after; hA log: $(tail -3 /tmp/shim6d-hA.log))"
	elif [ "$after" = "$before" ]; then
		fail "$what: the stream came back after $gap ms but hA still sends on $before"
	elif ! python3 -c "import sys; sys.exit(0 if $gap <= $bound else 1)"; then
		fail "$what: ART $gap ms above the bound $bound ms (pair $before -> $after)"
	elif [ "$transport" != udp ] && [ "$breaks" != 0 ]; then
		fail "$what: ART $gap ms, but the records arrived with $breaks sequence breaks"
	else
		pass "$what: ART $gap ms (bound $bound ms), pair $before -> $after$([ "$transport" = udp ] && echo ", $lost datagrams lost")"
	fi
}
