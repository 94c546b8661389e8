# The generic netlink family answers in two namespaces, each with its own
# counters: two requests in hA, one in hB.
want_version=$(sed -n 's/.*VERSION: &CStr = c_str!("\(.*\)");/\1/p' "$REPO/rust/shim6.rs")
a1=$(ip netns exec hA "$SHIM6CTL" info --json) &&
a2=$(ip netns exec hA "$SHIM6CTL" info --json) &&
b1=$(ip netns exec hB "$SHIM6CTL" info --json)
if [ $? -ne 0 ]; then
	fail "shim6ctl info failed"
else
	got_a1=$(json_get stats Shim6InfoRequests <<<"$a1")
	got_a2=$(json_get stats Shim6InfoRequests <<<"$a2")
	got_b1=$(json_get stats Shim6InfoRequests <<<"$b1")
	version=$(json_get version <<<"$b1")
	if [ "$version" != "$want_version" ]; then
		fail "version '$version', module source says '$want_version'"
	elif [ "$got_a1 $got_a2 $got_b1" != "1 2 1" ]; then
		fail "InfoRequests hA=$got_a1,$got_a2 hB=$got_b1, want 1,2 and 1"
	else
		pass "version $version; hA counted 2 requests, hB 1"
	fi
fi
