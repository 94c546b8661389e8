#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make run`, inside the guest: the topology, the module, and which of the
# 18 one-way paths and 81 round-trip combinations work.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export REPO
. "$REPO/tests/vm/lib.sh"

echo "guest: kernel $(uname -r), $(nproc) cpus"
topo_down; topo_up || { echo "topology setup failed"; exit 1; }
insmod "$SHIM6_KO" || { echo "insmod failed"; exit 1; }
echo "== shim6 module loaded"
for ns in hA hB; do
	echo "-- $ns: shim6ctl info"
	ip netns exec "$ns" "$SHIM6CTL" info | sed 's/^/   /'
	echo "-- $ns: locators"
	ip -n "$ns" -6 -br addr show scope global | sed 's/^/   /'
done

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

# Prints the 18 one-way paths and the 81 round-trip combinations.
show_paths() {
	echo "== one-way paths (a packet from the row's locator reaches the column's)$1"
	map=$(reach_map)
	show_block "$map" "a1 a2 a3" "b1 b2 b3"
	show_block "$map" "b1 b2 b3" "a1 a2 a3"
	echo "== 9x9 round trips: request on the row's pair (hA->hB), answer on the column's (hB->hA)"
	fwd=(); rev=()
	for s in a1 a2 a3; do for d in b1 b2 b3; do fwd+=("$s $d"); done; done
	for s in b1 b2 b3; do for d in a1 a2 a3; do rev+=("$s $d"); done; done
	printf '%8s' ""; for r in "${rev[@]}"; do printf '%6s' "${r/ />}"; done; echo
	up=0
	for f in "${fwd[@]}"; do
		printf '%8s' "${f/ />}"
		fo=$(awk -v p="$f" '$1" "$2 == p { print $3 }' <<<"$map")
		for r in "${rev[@]}"; do
			ro=$(awk -v p="$r" '$1" "$2 == p { print $3 }' <<<"$map")
			if [ "$fo$ro" = 11 ]; then printf '%6s' ok; up=$((up + 1)); else printf '%6s' --; fi
		done; echo
	done
	echo "== $up of 81 round-trip combinations work"
}

show_paths ""
echo
echo "== tests/pathsim break a2 b3: the router drops a2 -> b3 only"
"$PATHSIM" break a2 b3
show_paths " -- a2 -> b3 broken"
"$PATHSIM" restore a2 b3
rmmod shim6
