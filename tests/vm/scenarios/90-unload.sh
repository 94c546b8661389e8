# Unloading is clean: the family is gone and the kernel complained of
# nothing during the whole run.
if ! rmmod shim6; then
	fail "rmmod failed"
elif grep -q '^shim6 ' /proc/modules; then
	fail "still loaded after rmmod"
elif ip netns exec hA "$SHIM6CTL" info >/dev/null 2>&1; then
	fail "shim6ctl info still answers after unload"
else
	if [ -w /sys/kernel/debug/kmemleak ]; then
		echo scan > /sys/kernel/debug/kmemleak; sleep 1; echo scan > /sys/kernel/debug/kmemleak
	fi
	complaints=$(kernel_complaints)
	if [ -n "$complaints" ]; then fail "kernel log: $(head -3 <<<"$complaints" | tr '\n' ' ')"
	else pass "unloaded, no warnings in dmesg"
	fi
fi
