# A Keepalive (RFC 5534 §5.1) stops REAP's Send timer only when it is
# whole, checksummed and sent from a peer locator to a local locator of its
# context.  Anyone who learnt a context tag could otherwise keep a broken
# pair in use with one spoofed packet per Send Timeout.  Each refusal has
# its counter; a stream of spoofed Keepalives must not stop the Send timer.
# Uses the static context of 50-* (added if missing, and then removed).
# timeout: 600 s

have_static=1
ip netns exec hA "$SHIM6CTL" ctx show $CTX_A >/dev/null 2>&1 || { have_static=""; ctx_add_static; }
set_path a1 b1
ip netns exec hA "$SHIM6CTL" ctx set-timers $CTX_A --send-timeout 1500 --keepalive-timeout 1500
# An address of hA's that is no locator, on lo (not on a1: 68 has seen
# hA's datagrams lost after an address on a1 came and went), routed by rt.
FOREIGN=2001:db8:a9::98
ip -n hA addr add $FOREIGN/128 dev lo nodad
ip -n rt route add $FOREIGN/128 via "$(loc a1)" dev ra1

# Python starts slowly under TCG: packets are sent with socat, counters
# read with awk, namespaces entered with nsenter.
in_ns() { local ns=$1; shift; nsenter --net="/run/netns/$ns" "$@"; }
# keepalive_bytes MODE: a Keepalive for hA's tag as printf escapes.  MODE:
# ok, bad-checksum (one bit of it flipped), ext-len-0 (no room for the
# tag) or ext-len-3 (32 octets claimed in 16); the checksum is right
# otherwise.
keepalive_bytes() {
	local -a m=(59 1 66 0 0 0 0 0 0 0 0 0 0 0 0 0)
	local i sum=0
	for i in 0 1 2 3 4 5; do m[6 + i]=$(( (CTX_A >> (8 * (5 - i))) & 0xff )); done
	case $1 in ext-len-0) m[1]=0 ;; ext-len-3) m[1]=3 ;; esac
	for ((i = 0; i < 16; i += 2)); do sum=$(( sum + (m[i] << 8 | m[i + 1]) )); done
	while (( sum > 0xffff )); do sum=$(( (sum & 0xffff) + (sum >> 16) )); done
	sum=$(( ~sum & 0xffff ))
	m[4]=$(( sum >> 8 )); m[5]=$(( sum & 0xff ))
	[ "$1" = bad-checksum ] && m[5]=$(( m[5] ^ 1 ))
	printf '\\x%02x' "${m[@]}"
}
# keepalive NS SRC DST [MODE]: one Keepalive from SRC to DST, raw IPv6.
keepalive() {
	printf "$(keepalive_bytes "${4:-ok}")" | in_ns "$1" socat -u - "IP6-SENDTO:[$3]:140,bind=[$2]"
}
# counts: hA's Keepalive counters, "taken length checksum unknown-tag locator".
counts() {
	in_ns hA "$SHIM6CTL" stats | awk '{ v[$1] = $2 }
		END { print v["Shim6InKeepalive"], v["Shim6InDropKeepaliveLength"], v["Shim6InDropKeepaliveChecksum"],
			v["Shim6InDropKeepaliveUnknownTag"], v["Shim6InDropKeepaliveLocator"] }'
}
# delta BEFORE AFTER: the element-wise difference of two counts lines.
delta() {
	local -a a=($1) b=($2)
	local i out=""
	for i in 0 1 2 3 4; do out="$out $(( b[i] - a[i] ))"; done
	echo "${out# }"
}
# check NAME WANT WHAT NS SRC DST [MODE]: sends one Keepalive, then wants
# the counters to have moved by WANT.
check() {
	SCENARIO="keepalive-$1"
	local want=$2 what=$3 before got
	shift 3
	before=$(counts)
	keepalive "$@" || { fail "could not send"; return; }
	sleep 0.5
	got=$(delta "$before" "$(counts)")
	if [ "$got" = "$want" ]; then pass "$what"
	else fail "$what: counters taken/length/checksum/unknown-tag/locator moved by '$got', want '$want'"
	fi
}

check valid "1 0 0 0 0" "a Keepalive from hB's b1 to hA's a1 is taken" hB "$(loc b1)" "$(loc a1)"
check foreign-source "0 0 0 0 1" "from the router's address, not a peer locator: dropped" rt 2001:db8:a1::1 "$(loc a1)"
check foreign-destination "0 0 0 0 1" "to hA's $FOREIGN, not a local locator: dropped" hB "$(loc b1)" $FOREIGN
check bad-checksum "0 0 1 0 0" "a wrong checksum from a peer locator: dropped" hB "$(loc b1)" "$(loc a1)" bad-checksum
check ext-len-0 "0 1 0 0 0" "Hdr Ext Len 0: dropped" hB "$(loc b1)" "$(loc a1)" ext-len-0
check ext-len-3 "0 1 0 0 0" "Hdr Ext Len 3 in a 16-octet packet: dropped" hB "$(loc b1)" "$(loc a1)" ext-len-3

SCENARIO=keepalive-spoof-send-timeout
# hB -> hA is broken: hA's one-way UDP starts its Send timer (1.5 s), and
# only spoofed Keepalives come back, from the router, 3 a second.
$PATHSIM break b1 a1
before=$(counts); timeouts0=$(stat hA Shim6SendTimeouts)
for _ in $(seq 15); do keepalive rt 2001:db8:a1::1 "$(loc a1)"; sleep 0.3; done &
spoofer=$!
ip netns exec hA python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
end = time.time() + 4
while time.time() < end:
    s.sendto(b"x" * 100, (sys.argv[2], 9999))
    time.sleep(0.1)' "$(loc a1)" "$(loc b1)"
wait $spoofer
timeouts=$(( $(stat hA Shim6SendTimeouts) - timeouts0 ))
got=$(delta "$before" "$(counts)")
state=$(ip netns exec hA "$SHIM6CTL" ctx show $CTX_A --json | json_get reap_state)
$PATHSIM restore b1 a1
set -- $got
if [ "$timeouts" -lt 1 ]; then fail "no Send timeout while only spoofed Keepalives came back (counters moved by '$got', state $state)"
elif [ "$1" != 0 ]; then fail "$1 spoofed Keepalives were taken"
elif [ "$5" -lt 10 ]; then fail "only $5 spoofed Keepalives counted in Shim6InDropKeepaliveLocator, want >= 10"
else pass "Send timer fired ($timeouts), state $state; $5 spoofed Keepalives dropped, none taken"
fi

set_path a1 b1
ip netns exec hA "$SHIM6CTL" ctx set-timers $CTX_A --send-timeout 15000 --keepalive-timeout 15000
ip -n rt route del $FOREIGN/128
ip -n hA addr del $FOREIGN/128 dev lo
[ -n "$have_static" ] || ctx_del_static
