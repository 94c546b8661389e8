#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs inside the guest: builds the topology once, then runs the scenarios
# (all of tests/vm/scenarios/*.sh by default, or the ones named) in order.
# Scenarios share the VM: 10-* loads the module, 90-* unloads it.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export REPO
. "$REPO/tests/vm/lib.sh"

echo "guest: $(uname -r), $(nproc) cpus"
dmesg_mark
# On the debug kernel, forget what kmemleak suspects from the boot: the
# leak check (kmemleak-check.sh) reports only what the scenarios left.
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug 2>/dev/null
[ -w /sys/kernel/debug/kmemleak ] && echo clear > /sys/kernel/debug/kmemleak
topo_down
if ! topo_up; then
	echo "FAIL: topology - could not build hA/rt/hB"
	exit 1
fi

scenarios=("$@")
[ ${#scenarios[@]} -gt 0 ] || scenarios=("$REPO"/tests/vm/scenarios/*.sh)
for f in "${scenarios[@]}"; do
	[ -f "$f" ] || f=$REPO/tests/vm/scenarios/$f.sh
	name=$(basename "$f" .sh)
	echo "--- $name"
	# 300 s, or what the scenario's "# timeout: N s" line says; times
	# SCENARIO_TIMEOUT_SCALE on slower kernels.
	limit=$(sed -n 's/^# timeout: \([0-9][0-9]*\) s$/\1/p' "$f" | head -1)
	limit=$(( ${limit:-300} * ${SCENARIO_TIMEOUT_SCALE:-1} ))
	timeout "$limit" bash -c '. "$REPO/tests/vm/lib.sh"; SCENARIO=$1; . "$2"' \
		_ "$name" "$f" 2>&1 | tee /tmp/shim6-scenario.out
	rc=${PIPESTATUS[0]}
	# A scenario cut short may have printed some results, never all.
	if [ "$rc" = 124 ]; then
		echo "FAIL: $name - timed out after $limit s"
	elif ! grep -qE '^(PASS|FAIL):' /tmp/shim6-scenario.out; then
		echo "FAIL: $name - no result (exit $rc)"
	fi
done
