# A context's locator sets (kept out of line, sized to them): shown as
# installed, replaced one side at a time by ctx update, and acted on by
# set-path and by the input check of the locators.

# locators NS TAG SIDE: the SIDE (local or peer) locator set, comma-joined.
locators() {
	ip netns exec "$1" "$SHIM6CTL" ctx show "$2" --json |
		python3 -c 'import json, sys; print(",".join(json.load(sys.stdin)[sys.argv[1] + "_locators"]))' "$3" 2>/dev/null
}
update() { ip netns exec hA "$SHIM6CTL" ctx update $CTX_A "$@" >/dev/null 2>&1; }
all_a="$(loc a1),$(loc a2),$(loc a3)"
all_b="$(loc b1),$(loc b2),$(loc b3)"

ctx_add_static

SCENARIO=locator-sets-shown
got="local=$(locators hA $CTX_A local) peer=$(locators hA $CTX_A peer)"
if [ "$got" != "local=$all_a peer=$all_b" ]; then fail "ctx show after ctx add: $got"
else pass "three local and three peer locators shown as installed"
fi

SCENARIO=locator-sets-update
bad=""
update --peer-locators "$(loc b1),$(loc b2)" || bad="$bad; update of the peer set refused"
got="local=$(locators hA $CTX_A local) peer=$(locators hA $CTX_A peer)"
[ "$got" = "local=$all_a peer=$(loc b1),$(loc b2)" ] || bad="$bad; after updating the peer set: $got"
ip netns exec hA "$SHIM6CTL" ctx set-path $CTX_A "$(loc a2)" "$(loc b3)" >/dev/null 2>&1 &&
	bad="$bad; set-path to b3 accepted after b3 left the peer set"
update --local-locators "$(loc a2),$(loc a3)" && bad="$bad; update dropping the local locator in use (a1) accepted"
[ "$(locators hA $CTX_A local)" = "$all_a" ] || bad="$bad; local set after the refused update: $(locators hA $CTX_A local)"
if [ -n "$bad" ]; then fail "${bad#; }"
else pass "one side replaced, the other kept; a path or a set without the locator in use refused"
fi

SCENARIO=locator-sets-input
# hB sends from b3, which hA no longer accepts; then hA takes b3 back.
ip netns exec hB "$SHIM6CTL" ctx set-path $CTX_B "$(loc b3)" "$(loc a1)"
dropped0=$(stat hA Shim6InDropBadLocator)
ip netns exec hB ping -6 -n -q -c 3 -i 0.2 -W 1 -I "$(loc b1)" "$(loc a1)" >/dev/null 2>&1
dropped=$(( $(stat hA Shim6InDropBadLocator) - dropped0 ))
update --peer-locators "$all_b"
ip netns exec hB ping -6 -n -q -c 3 -i 0.2 -W 2 -I "$(loc b1)" "$(loc a1)" >/dev/null 2>&1; back=$?
if [ "$dropped" -lt 3 ]; then fail "$dropped packets from b3 dropped as a foreign locator, want >= 3"
elif [ "$back" != 0 ]; then fail "no ping from b3 after b3 was put back in hA's peer set"
else pass "$dropped packets from a removed peer locator dropped; accepted again once it is back"
fi

ctx_del_static
