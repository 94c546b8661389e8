# shim6d on both hosts establishes contexts by itself: UDP traffic between
# the daemons' a1 and b1 addresses makes hA's kernel trigger fire, the
# daemons run I1/R1/I2/R2 and install the context in both kernels, with
# CGA and then with HBA addresses. Forged Update Requests (a bad CGA
# signature; a locator outside the HBA set) are refused and counted. An
# idle context is collected by both daemons and leaves both kernels.
# (Waits are bounded by the clock: under TCG one probe of the state takes
# most of a second.)
. "$REPO/tests/vm/shim6d.sh"
FORGE=$REPO/user/target/debug/shim6d-forge
# kernel_field NS PEER_ULID FIELD
kernel_field() { shim6d_kernel_context "$1" "$2" | json_get "$3" 2>/dev/null; }
daemon_state() { # NS PEER_ULID: the daemon's RFC state of its context to PEER_ULID
	shim6d_context_json "$1" | python3 -c 'import json, sys
for c in json.load(sys.stdin)["contexts"]:
    if c["peer_ulid"] == sys.argv[1]:
        print(c["state"])' "$2"
}
params_of() { # NS ADDRESS: the CGA Parameters of one of the daemon's addresses
	shim6d_request "$1" '{"cmd":"identity"}' | python3 -c 'import json, sys
for a in json.load(sys.stdin)["identity"]["addresses"]:
    if a["address"] == sys.argv[1]:
        print(a["params"])' "$2"
}

# handshake METHOD: start both daemons with METHOD, fire the trigger, check.
handshake() {
	local method=$1 verified
	SCENARIO="daemon-handshake $method"
	shim6d_reset hA; shim6d_reset hB
	if ! shim6d_start hA "addresses.method = \"$method\"" || ! shim6d_start hB "addresses.method = \"$method\""; then
		fail "shim6d did not start: $(tail -3 /tmp/shim6d-hA.log) / $(tail -3 /tmp/shim6d-hB.log)"
		return 1
	fi
	UA=$(shim6d_ulid hA); UB=$(shim6d_ulid hB)
	shim6d_poke hA "$UA" "$UB"
	TAG_A=$(shim6d_wait_context hA "$UB" 30); TAG_B=$(shim6d_wait_context hB "$UA" 10)
	verified=$(( $(shim6d_stat hA "verification.${method}_verified") + $(shim6d_stat hB "verification.${method}_verified") ))
	local peers_a state_a state_b
	peers_a=$(shim6d_kernel_context hA "$UB" | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["peer_locators"]))' 2>/dev/null)
	state_a=$(daemon_state hA "$UB"); state_b=$(daemon_state hB "$UA")
	if [ -z "$TAG_A" ] || [ -z "$TAG_B" ]; then
		fail "no kernel context (hA '$TAG_A', hB '$TAG_B'); hA: $(shim6d_context_json hA); log: $(tail -3 /tmp/shim6d-hA.log)"
	elif [ "$state_a" != ESTABLISHED ] || [ "$state_b" != ESTABLISHED ]; then
		fail "daemon states hA '$state_a', hB '$state_b', want ESTABLISHED"
	elif [ "$(kernel_field hA "$UB" peer_tag)" != "$TAG_B" ] || [ "$(kernel_field hB "$UA" peer_tag)" != "$TAG_A" ]; then
		fail "tags do not cross: hA $TAG_A -> peer $(kernel_field hA "$UB" peer_tag), hB $TAG_B -> peer $(kernel_field hB "$UA" peer_tag)"
	elif [ "$peers_a" != 3 ]; then
		fail "hA's kernel knows $peers_a locators of hB, want 3"
	elif [ "$verified" -lt 2 ]; then
		fail "$verified Locator Lists verified by $method, want one each way"
	else
		pass "ESTABLISHED on both sides, kernel tags $TAG_A/$TAG_B, 3 peer locators, $verified Locator Lists verified by $method"
	fi
}

# forged KIND REASON: a forged Update Request from hA's ULID to hB.
forged() {
	local kind=$1 reason=$2 before after peers
	SCENARIO="daemon-forged-update $kind"
	before=$(shim6d_stat hB "verification.rejected.$reason")
	ip netns exec hA "$FORGE" --from "$UA" --to "$UB" --tag "$TAG_B" \
		--params "$(params_of hA "$UA")" --kind "$kind" || { fail "shim6d-forge failed"; return; }
	local deadline=$((SECONDS + 10))
	while :; do
		after=$(shim6d_stat hB "verification.rejected.$reason")
		[ "$after" -gt "$before" ] || [ "$SECONDS" -ge "$deadline" ] && break
		sleep 0.2
	done
	peers=$(kernel_field hB "$UA" peer_locators)
	if [ "$after" -le "$before" ]; then
		fail "hB did not count a $reason rejection ($before -> $after); hB stats: $(shim6d_request hB '{"cmd":"stats"}')"
	elif grep -q dead <<<"$peers"; then
		fail "the forged locator reached hB's kernel: $peers"
	else
		pass "refused and counted ($reason $before -> $after), hB's kernel locators unchanged"
	fi
}

handshake cga && forged bad-signature bad_signature
handshake hba && forged outside-hba not_in_hba_set

# No traffic on the HBA context any more: with idle GC lowered to 3 s
# through shim6ctl, both daemons drop it and their kernels with it
# (housekeeping runs every 5 s).
SCENARIO=daemon-idle-gc
daemon_ctl() { local ns=$1; shift; ip netns exec "$ns" "$SHIM6CTL" daemon --socket "/tmp/shim6d-$ns.sock" "$@"; }
if [ -z "$TAG_A" ] || [ -z "$TAG_B" ]; then
	fail "no context to collect (the HBA handshake failed)"
elif ! daemon_ctl hA timers --idle-gc 3 >/dev/null || ! daemon_ctl hB timers --idle-gc 3 >/dev/null; then
	fail "shim6ctl daemon timers --idle-gc 3 refused: $(daemon_ctl hA timers --idle-gc 3 2>&1)"
else
	deadline=$((SECONDS + 25))
	while [ -n "$(shim6d_kernel_context hA "$UB")$(shim6d_kernel_context hB "$UA")" ] &&
		[ "$SECONDS" -lt "$deadline" ]; do
		sleep 0.5
	done
	gc_a=$(shim6d_stat hA contexts_garbage_collected); gc_b=$(shim6d_stat hB contexts_garbage_collected)
	left=$(daemon_ctl hA --json list | python3 -c 'import json, sys; print(len(json.load(sys.stdin)["contexts"]))')
	if [ -n "$(shim6d_kernel_context hA "$UB")$(shim6d_kernel_context hB "$UA")" ]; then
		fail "kernel contexts left after 25 s idle: hA $(shim6d_kernel_context hA "$UB") hB $(shim6d_kernel_context hB "$UA")"
	elif [ "$gc_a" -lt 1 ] || [ "$gc_b" -lt 1 ] || [ "$left" != 0 ]; then
		fail "collected hA $gc_a, hB $gc_b, hA still lists $left"
	else
		pass "idle context collected by both daemons and deleted from both kernels"
	fi
fi
shim6d_reset hA; shim6d_reset hB
