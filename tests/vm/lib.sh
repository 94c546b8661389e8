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

# stat NS NAME: a module counter in namespace NS.
stat() { ip netns exec "$1" "$SHIM6CTL" info --json | json_get stats "$2"; }

# The static context of the context scenarios: ULIDs a1 <-> b1, tags
# 0x1a (hA's) and 0x2b (hB's), all three locators of each side.
CTX_A=0x1a
CTX_B=0x2b
ctx_add_static() {
	ip netns exec hA "$SHIM6CTL" ctx add --local-tag $CTX_A --peer-tag $CTX_B \
		--local-ulid "$(loc a1)" --peer-ulid "$(loc b1)" \
		--local-locators "$(loc a1),$(loc a2),$(loc a3)" \
		--peer-locators "$(loc b1),$(loc b2),$(loc b3)" &&
	ip netns exec hB "$SHIM6CTL" ctx add --local-tag $CTX_B --peer-tag $CTX_A \
		--local-ulid "$(loc b1)" --peer-ulid "$(loc a1)" \
		--local-locators "$(loc b1),$(loc b2),$(loc b3)" \
		--peer-locators "$(loc a1),$(loc a2),$(loc a3)"
}
ctx_del_static() {
	ip netns exec hA "$SHIM6CTL" ctx del $CTX_A
	ip netns exec hB "$SHIM6CTL" ctx del $CTX_B
}
# set_path SRC_PROVIDER DST_PROVIDER: hA sends from SRC to DST, hB back.
set_path() {
	ip netns exec hA "$SHIM6CTL" ctx set-path $CTX_A "$(loc "$1")" "$(loc "$2")" &&
	ip netns exec hB "$SHIM6CTL" ctx set-path $CTX_B "$(loc "$2")" "$(loc "$1")"
}
# ulid_ping: hA's ULID pings hB's ULID.
ulid_ping() {
	ip netns exec hA ping -6 -n -q -c "${1:-3}" -i 0.2 -W 2 -I "$(loc a1)" "$(loc b1)" >/dev/null 2>&1
}
