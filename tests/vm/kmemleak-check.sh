# SPDX-License-Identifier: GPL-2.0
# Run last on the debug kernel (`make test-leak`): after everything before
# it loaded the module, made contexts, pushed traffic through them and
# unloaded it, kmemleak finds no object that nothing points to.  run.sh
# cleared the reports of the boot before the first scenario.
KMEMLEAK=/sys/kernel/debug/kmemleak

if [ ! -w "$KMEMLEAK" ]; then
	fail "no $KMEMLEAK: not the debug kernel, or kmemleak disabled"
else
	# An object is reported only once it is older than kmemleak's minimum
	# age (5 s), and after two scans that found no reference to it.
	sleep 6
	echo scan > "$KMEMLEAK"
	echo scan > "$KMEMLEAK"
	leaks=$(grep -c '^unreferenced object' "$KMEMLEAK")
	if [ "$leaks" != 0 ]; then
		fail "kmemleak: $leaks unreferenced objects: $(head -20 "$KMEMLEAK" | tr '\n' ' ')"
	else
		pass "kmemleak: no leak after load, contexts, traffic and unload"
	fi
fi
