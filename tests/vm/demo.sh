#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`, inside the guest: two hosts with three providers each, the
# module and shim6d on both, nothing else configured.  A TCP stream between
# the hosts' ULIDs makes the daemons set up a Shim6 context; the router then
# drops the pair of locators the context uses; REAP notices, explores, and
# moves the context to a working pair; the stream recovers, and the
# application recovery time (ART) is measured at the receiver.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export REPO
. "$REPO/tests/vm/lib.sh"
. "$REPO/tests/vm/failover.sh"

TSEND=2 # REAP Send Timeout (seconds) of this demo
step() { echo; echo "== $*"; }
indent() { sed 's/^/   /'; }

# show_block MAP SOURCES DESTINATIONS: one row per source locator.
show_block() {
	local s d ok
	printf '%8s' ""; for d in $3; do printf '%6s' "$d"; done; echo
	for s in $2; do
		printf '%8s' "$s"
		for d in $3; do
			ok=$(awk -v s="$s" -v d="$d" '$1 == s && $2 == d { print $3 }' <<<"$1")
			printf '%6s' "$([ "$ok" = 1 ] && echo ok || echo --)"
		done; echo
	done
}

echo "guest: kernel $(uname -r), $(nproc) cpus"
topo_down; topo_up || { echo "topology setup failed"; exit 1; }
insmod "$SHIM6_KO" || { echo "insmod failed"; exit 1; }
step "shim6 module loaded; the topology: hA and hB, three providers each, router rt"
for ns in hA hB; do ip -n "$ns" -6 -br addr show scope global | sed "s/^/   $ns /"; done

step "the 18 one-way paths (a packet from the row's locator reaches the column's)"
map=$(reach_map)
show_block "$map" "a1 a2 a3" "b1 b2 b3" | indent
show_block "$map" "b1 b2 b3" "a1 a2 a3" | indent

step "shim6d on both hosts (CGA addresses from a key made at first start; REAP Send Timeout $TSEND s)"
failover_start "timers.send_timeout_secs = $TSEND" ||
	{ echo "shim6d did not start"; exit 1; }
echo "   hA's ULID (its CGA on a1): $UA"
echo "   hB's ULID (its CGA on b1): $UB"
# What happens from here on: the module's events (shim6ctl monitor) and
# the daemon's (its control channel's "monitor" request), in hA.
ip netns exec hA "$SHIM6CTL" monitor >/tmp/demo-events-hA &
monitor=$!
failover_daemon_events hA /tmp/demo-daemon-hA --text
daemon_monitor=$!

step "a TCP stream hA -> hB between the ULIDs (shim6-art: a numbered record every ms)"
failover_stream demo 7000 || { echo "the stream did not start"; failover_cleanup; exit 1; }
echo "   the kernel's trigger fired, the daemons ran I1/R1/I2/R2; hA's context:"
show_context() { ip netns exec hA "$SHIM6CTL" ctx show "$TAG_A" | grep -E 'tag|ulid|locator|reap-state|timeout' | indent; }
show_context
before=$(ctx_pair hA "$TAG_A")
sleep 2
echo "   received so far: $(art_report demo | json_get bytes) bytes"

step "tests/pathsim break $before --duplex: the router drops the pair in use, both directions"
t_break=$(now_unix)
"$PATHSIM" break $before --duplex
gap=$(art_wait_gap demo "$t_break" $((TSEND + 30)))
after=$(ctx_pair hA "$TAG_A")
sleep 1

step "what hA's module reported (shim6ctl monitor)"
indent </tmp/demo-events-hA
step "what hA's daemon reported (its control channel's monitor)"
indent </tmp/demo-daemon-hA
step "hA's context now"
show_context

report=$(art_stop demo)
step "result"
if [ -n "$gap" ]; then
	echo "   the stream moved from $before to $after and recovered"
	echo "   application recovery time (last byte before the failure -> first after): $gap ms"
	echo "   (REAP Send Timeout $TSEND s + exploration + TCP retransmission at the PATH_UPDATE)"
	echo "   $(json_get bytes <<<"$report") bytes received, $(json_get sequence_breaks <<<"$report") records out of order"
else
	echo "   the stream did not recover within $((TSEND + 30)) s (hA on $after)"
fi

kill "$monitor" "$daemon_monitor" 2>/dev/null
failover_cleanup
rmmod shim6
[ -n "$gap" ]
