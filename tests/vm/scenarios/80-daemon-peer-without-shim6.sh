# A peer without Shim6: hB keeps its addresses but runs no daemon. hA's
# kernel trigger fires, hA sends its I1s (one retransmission allowed),
# gives up, and holds the peer down: the kernel raises no more triggers
# for it, no more control messages go out, no kernel context exists, and
# traffic goes on as plain IPv6.
. "$REPO/tests/vm/shim6d.sh"

SCENARIO=daemon-peer-without-shim6
# hB's daemon makes and installs its addresses, then stops for good; hA
# gives up after one I1 retransmission (I1 timeout 4 s, then 8 s).
shim6d_reset hA; shim6d_reset hB
if ! shim6d_start hB 'addresses.method = "hba"'; then
	fail "shim6d did not start in hB: $(tail -3 /tmp/shim6d-hB.log)"
	return 0 2>/dev/null || exit 0
fi
UB=$(shim6d_ulid hB)
shim6d_reset hB
shim6d_start hA 'addresses.method = "hba"' 'timers.i1_retries = 1'
UA=$(shim6d_ulid hA)
shim6d_poke hA "$UA" "$UB"
deadline=$((SECONDS + 30))
while [ "$(shim6d_stat hA contexts_failed)" -lt 1 ] && [ "$SECONDS" -lt "$deadline" ]; do
	sleep 0.5
done
failed=$(shim6d_stat hA contexts_failed)
sent0=$(shim6d_stat hA tx_messages)
shim6d_poke hA "$UA" "$UB"; sleep 2; shim6d_poke hA "$UA" "$UB"
sent1=$(shim6d_stat hA tx_messages)
kernel=$(shim6d_kernel_context hA "$UB")
if [ "$failed" -lt 1 ]; then
	fail "hA did not give up on hB ($(shim6d_context_json hA))"
elif [ "$sent1" != "$sent0" ]; then
	fail "hA sent $((sent1 - sent0)) control messages during the hold-down"
elif [ -n "$kernel" ]; then
	fail "a kernel context exists for a peer without Shim6: $kernel"
elif ! ip netns exec hA ping -6 -n -q -c 3 -i 0.2 -W 2 -I "$UA" "$UB" >/dev/null 2>&1; then
	fail "plain traffic $UA -> $UB does not get through"
else
	pass "gave up after $sent0 control messages, silent during the hold-down, plain IPv6 works"
fi
shim6d_reset hA
ip netns exec hA "$SHIM6CTL" peer-policy "$UB" default
