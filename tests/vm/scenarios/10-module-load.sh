# The module loads and announces itself.
if ! insmod "$SHIM6_KO"; then
	fail "insmod $SHIM6_KO failed"
elif ! grep -q '^shim6 ' /proc/modules; then
	fail "shim6 not in /proc/modules after insmod"
elif ! dmesg_since_mark | grep -q 'shim6: version .* loaded'; then
	fail "no load message in dmesg"
else
	pass "loaded"
fi
