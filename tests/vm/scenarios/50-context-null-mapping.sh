# A static context between hA and hB, locators = ULIDs: traffic goes
# through the context (counted, by the LOCAL_OUT hook) with no extension
# header, and without xfrm: the state and policy come with the first
# rewriting pair (55-*).
if ! ctx_add_static; then
	fail "ctx add failed"
else
	plain0=$(stat hA Shim6OutPlain)
	if ! ulid_ping 3; then fail "ULID ping through a null-mapped context failed"
	else
		plain=$(( $(stat hA Shim6OutPlain) - plain0 ))
		rewritten=$(stat hA Shim6OutRewritten)
		shown=$(ip netns exec hA "$SHIM6CTL" ctx show $CTX_A --json)
		peer_tag=$(json_get peer_tag <<<"$shown" 2>/dev/null)
		xfrm="$(ip -n hA xfrm state list | grep -c '^src') states, $(ip -n hA xfrm policy list | grep -c '^src') policies"
		if [ "$plain" -lt 3 ]; then fail "OutPlain grew by $plain, want >= 3"
		elif [ "$rewritten" != 0 ]; then fail "OutRewritten is $rewritten for a null mapping"
		elif [ -z "$peer_tag" ]; then fail "ctx show --json gave no peer_tag: $shown"
		elif [ "$xfrm" != "0 states, 0 policies" ]; then fail "a null-mapped context has xfrm objects in hA: $xfrm"
		else pass "3 pings on the ULIDs, $plain packets counted plain, no xfrm objects, ctx show ok"
		fi
	fi
fi
