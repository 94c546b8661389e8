# SPDX-License-Identifier: GPL-2.0
# Helpers to measure application recovery time (ART) with shim6-art in the
# test topology; sourced by the failover scenarios, the demo and the ART
# benchmark (after lib.sh).
#
#   art_server NS [ADDR]:PORT NAME [ARGS...]
#                              start a receiver in NS; its JSON lines go to
#                              /tmp/art-NAME.out, requests to /tmp/art-NAME.ctl
#   art_client NS BIND_ADDR [ADDR]:PORT NAME [ARGS...]
#                              start the sender of stream NAME in NS
#   art_wait_flowing NAME [SECONDS]
#                              wait until the receiver has data
#   art_gap_count NAME         gaps of at least --min-gap-ms so far
#   art_wait_gap NAME SINCE [SECONDS]
#                              wait for the first gap that ends after SINCE
#                              (Unix seconds, e.g. $(now_unix) at a break);
#                              prints its ms
#   art_largest_gap NAME SINCE the largest gap so far that ended after SINCE
#   now_unix                   the wall clock in Unix seconds (the
#                              receiver's gap events carry the same clock)
#   art_report NAME            the receiver's report so far (one JSON line)
#   art_stop NAME              stop the sender and the receiver; prints the
#                              receiver's last report
#   ctx_pair NS TAG            "SRC DST" providers of the context's pair

ART=${ART:-$REPO/user/target/debug/shim6-art}

_art_file() { echo "/tmp/art-$1.$2"; }

art_server() {
	local ns=$1 listen=$2 name=$3 i; shift 3
	local out ctl
	out=$(_art_file "$name" out); ctl=$(_art_file "$name" ctl)
	rm -f "$out" "$ctl"; mkfifo "$ctl" || return 1
	# Opened read-write, the FIFO never reports end of input, and writers
	# never block waiting for a reader.
	ip netns exec "$ns" "$ART" server --listen "$listen" "$@" \
		<>"$ctl" >"$out" 2>"$(_art_file "$name" err)" &
	echo $! >"$(_art_file "$name" server-pid)"
	for i in $(seq 1 100); do
		grep -q '"event":"listening"' "$out" 2>/dev/null && return 0
		sleep 0.1
	done
	echo "shim6-art server $name did not start: $(cat "$(_art_file "$name" err)")" >&2
	return 1
}

art_client() {
	local ns=$1 bind=$2 connect=$3 name=$4; shift 4
	ip netns exec "$ns" "$ART" client --bind "$bind" --connect "$connect" "$@" \
		>"$(_art_file "$name" client)" 2>&1 &
	echo $! >"$(_art_file "$name" client-pid)"
}

art_wait_flowing() {
	local name=$1 seconds=${2:-10} i
	for i in $(seq 1 $((seconds * 2))); do
		[ "$(art_report "$name" | json_get bytes 2>/dev/null || echo 0)" -gt 0 ] && return 0
		sleep 0.5
	done
	return 1
}

art_gap_count() { grep -c '"event":"gap"' "$(_art_file "$1" out)" 2>/dev/null; }

now_unix() { date +%s.%N; }

# _art_gaps_since NAME SINCE first|largest: the first (or the largest) gap
# so far that ended after SINCE, in ms; nothing if none did.
_art_gaps_since() {
	# awk, not python: this runs as soon as a gap ends, and python takes
	# a second or more to start under TCG.
	grep '"event":"gap"' "$(_art_file "$1" out)" 2>/dev/null | awk -v since="$2" -v which="$3" '
	function num(name,   m) {
		if (!match($0, "\"" name "\":[ ]*[-0-9.eE+]+")) return ""
		m = substr($0, RSTART, RLENGTH); sub(/^[^:]*:[ ]*/, "", m); return m
	}
	{
		ms = num("ms"); start = num("start_unix")
		if (ms == "" || start == "" || start + ms / 1000 <= since + 0) next
		if (which == "first") { print ms; exit }
		if (best == "" || ms + 0 > best + 0) best = ms
	}
	END { if (which != "first" && best != "") print best }'
}

art_wait_gap() {
	local name=$1 since=$2 seconds=${3:-30} end ms seen=-1 count
	# A deadline, not a count of polls: under TCG each poll takes several
	# times its 0.1 s sleep.
	end=$((SECONDS + seconds))
	while [ "$SECONDS" -lt "$end" ]; do
		# Parse only when a gap event came (each run is slow under TCG).
		count=$(art_gap_count "$name")
		if [ "$count" != "$seen" ]; then
			seen=$count
			ms=$(_art_gaps_since "$name" "$since" first)
			[ -n "$ms" ] && { echo "$ms"; return 0; }
		fi
		sleep 0.1
	done
	return 1
}

art_largest_gap() { _art_gaps_since "$1" "$2" largest; }

# _art_request NAME WORD: one request to a running receiver.  A FIFO whose
# reader has gone blocks its writer, hence the time limit.
_art_request() {
	timeout 2 bash -c 'echo "$1" >"$2"' _ "$2" "$(_art_file "$1" ctl)" 2>/dev/null
}

# The newest report line after asking for one (the last one when the
# receiver has stopped).
art_report() {
	local out before i
	out=$(_art_file "$1" out)
	before=$(grep -c '"event":"report"' "$out")
	_art_request "$1" report || { grep '"event":"report"' "$out" | tail -1; return; }
	for i in $(seq 1 50); do
		[ "$(grep -c '"event":"report"' "$out")" -gt "$before" ] && break
		sleep 0.1
	done
	grep '"event":"report"' "$out" | tail -1
}

art_stop() {
	local name=$1 pid
	pid=$(cat "$(_art_file "$name" client-pid)" 2>/dev/null)
	[ -n "$pid" ] && kill "$pid" 2>/dev/null
	pid=$(cat "$(_art_file "$name" server-pid)" 2>/dev/null)
	if [ -n "$pid" ]; then
		_art_request "$name" stop
		timeout 10 tail --pid="$pid" -f /dev/null
		kill "$pid" 2>/dev/null
	fi
	grep '"event":"report"' "$(_art_file "$name" out)" | tail -1
}

ctx_pair() {
	# No python and no `ip netns exec` (its sysfs remount): both take a
	# second or more under TCG, and the ART benchmark calls this per failure.
	local json key addr g1 g2 g3 out=()
	json=$(nsenter --net="/run/netns/$1" "$SHIM6CTL" ctx show "$2" --json 2>/dev/null) || return 0
	for key in local_locator peer_locator; do
		addr=$(sed -n "s/.*\"$key\": *\"\([^\"]*\)\".*/\1/p" <<<"$json")
		[ -n "$addr" ] || return 0
		# The topology's prefixes are 2001:db8:<provider>::/64.
		IFS=: read -r g1 g2 g3 _ <<<"$addr"
		if [ "$g1:$g2" = 2001:db8 ]; then out+=("$g3"); else out+=("?"); fi
	done
	echo "${out[*]}"
}
