# With contexts installed the module is in use (their xfrm states hold it,
# as SAs hold esp6): rmmod is refused cleanly and everything keeps
# working; once the contexts are deleted it can go (90-unload).
if rmmod shim6 2>/dev/null; then
	fail "rmmod succeeded with live contexts"
elif ! grep -q '^shim6 ' /proc/modules; then
	fail "module gone after a refused rmmod"
elif ! ulid_ping 2; then
	fail "traffic broken after the refused rmmod"
else
	ctx_del_static
	left=$(ip netns exec hA "$SHIM6CTL" ctx show --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
	if [ "$left" != 0 ]; then fail "$left contexts left after ctx del"
	else pass "rmmod refused while in use; contexts deleted"
	fi
fi
