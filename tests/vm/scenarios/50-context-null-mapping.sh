# A static context between hA and hB, locators = ULIDs: traffic goes
# through the context (counted) with no extension header.
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
		if [ "$plain" -lt 3 ]; then fail "OutPlain grew by $plain, want >= 3"
		elif [ "$rewritten" != 0 ]; then fail "OutRewritten is $rewritten for a null mapping"
		elif [ -z "$peer_tag" ]; then fail "ctx show --json gave no peer_tag: $shown"
		else pass "3 pings on the ULIDs, $plain packets counted plain, ctx show ok"
		fi
	fi
fi
