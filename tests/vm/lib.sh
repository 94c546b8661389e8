# SPDX-License-Identifier: GPL-2.0
# Helpers for the VM scenarios; sourced inside the guest by run.sh.

: "${REPO:?REPO must point at the repository}"
SHIM6_KO=${SHIM6_KO:-$REPO/rust/shim6.ko}
SHIM6CTL=${SHIM6CTL:-$REPO/user/target/debug/shim6ctl}
PATHSIM=$REPO/tests/pathsim
. "$REPO/tests/topology.sh"

# Every check prints exactly one line that starts with PASS: or FAIL:.
pass() { echo "PASS: ${SCENARIO:-?}${1:+ - $1}"; }
fail() { echo "FAIL: ${SCENARIO:-?} - $*"; }

# json_get PATH...: reads JSON on stdin, prints the value at the key path.
json_get() {
	python3 -c 'import json, sys
v = json.load(sys.stdin)
for k in sys.argv[1:]:
    v = v[k]
print(v)' "$@"
}

dmesg_mark() { dmesg | wc -l > /tmp/shim6-dmesg.mark; }
dmesg_since_mark() { tail -n +$(( $(cat /tmp/shim6-dmesg.mark 2>/dev/null || echo 0) + 1 )) < <(dmesg); }
# Lines a clean kernel never prints.
kernel_complaints() {
	dmesg_since_mark | grep -E 'WARNING:|BUG:|Oops|general protection|KASAN|UBSAN|unreferenced object|rust_panic|panicked at'
}

# Each line of reach_map whose state differs from the expectation:
# expect_map BROKEN_PAIRS... where a pair is "src dst".
unexpected_paths() {
	local map=$1; shift
	local src dst ok want p
	while read -r src dst ok; do
		want=1
		for p in "$@"; do [ "$p" = "$src $dst" ] && want=0; done
		[ "$ok" = "$want" ] || echo "$src->$dst is $([ "$ok" = 1 ] && echo up || echo down)"
	done <<<"$map"
}
