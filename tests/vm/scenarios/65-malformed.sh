# Malformed or foreign payload headers are dropped and counted, never
# crash: truncated, bad length, unknown context tag, locator outside the
# context.  The kernel log stays clean (checked by 90-unload).
ip -n hA addr add 2001:db8:a1::99/64 dev a1 nodad
send() { # src payload-hex: one raw protocol-140 packet from hA to hB's b1
	ip netns exec hA python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET6, socket.SOCK_RAW, 140)
s.bind((sys.argv[1], 0))
s.sendto(bytes.fromhex(sys.argv[2]), (sys.argv[3], 0))' "$1" "$2" "$(loc b1)"
}
check_drop() { # name counter src hex
	SCENARIO="malformed $1"
	local before after
	before=$(stat hB "$2")
	send "$3" "$4" || { fail "could not send"; return; }
	sleep 0.5
	after=$(stat hB "$2")
	if [ "$after" -gt "$before" ]; then pass "dropped and counted in $2"
	else fail "$2 did not grow ($before -> $after)"
	fi
}
check_drop truncated Shim6InDropTruncated "$(loc a1)" "06008000"
check_drop bad-length Shim6InDropBadLength "$(loc a1)" "0601800000000000"
check_drop unknown-tag Shim6InDropUnknownTag "$(loc a1)" "3b0080000000dead"
check_drop foreign-locator Shim6InDropBadLocator 2001:db8:a1::99 "3b0080000000002b"
ip -n hA addr del 2001:db8:a1::99/64 dev a1
