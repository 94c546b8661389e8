# The net.shim6.* sysctls: per namespace, bounded, the same values as the
# set-params/get-params commands, and acted on (trigger thresholds,
# NETEVENT_PATH_UPDATE on or off).

# sys NS NAME: the value of net.shim6.NAME in NS.
sys() { ip netns exec "$1" cat "/proc/sys/net/shim6/$2" 2>/dev/null; }
# sys_write NS NAME VALUE: writes like sysctl -w; prints the error, if any.
sys_write() {
	ip netns exec "$1" python3 -c '
import os, sys
try:
    with open(sys.argv[1], "w") as f:
        f.write(sys.argv[2] + "\n")
except OSError as e:
    print(os.strerror(e.errno))' "/proc/sys/net/shim6/$2" "$3"
}
params_json() { ip netns exec "$1" "$SHIM6CTL" params --json; }
defaults() { echo "$(sys "$1" trigger_bytes) $(sys "$1" trigger_seconds) $(sys "$1" path_update) $(sys "$1" max_contexts)"; }

SCENARIO=sysctl-defaults
ip netns add s6-fresh
bad=""
for ns in hA hB s6-fresh; do
	[ "$(defaults $ns)" = "2048 60 1 65536" ] || bad="$bad $ns:'$(defaults $ns)'"
done
if [ -n "$bad" ]; then fail "want trigger_bytes trigger_seconds path_update max_contexts = 2048 60 1 65536, got$bad"
else pass "trigger_bytes 2048, trigger_seconds 60, path_update 1, max_contexts 65536 in hA, hB and a new namespace"
fi

SCENARIO=sysctl-per-namespace
sys_write hA trigger_bytes 5000 >/dev/null
ip netns exec hB "$SHIM6CTL" params --trigger-seconds 30 >/dev/null
got="hA=$(defaults hA) hB=$(defaults hB) fresh=$(defaults s6-fresh)"
via_genl=$(params_json hA | json_get trigger_bytes 2>/dev/null)
if [ "$got" != "hA=5000 60 1 65536 hB=2048 30 1 65536 fresh=2048 60 1 65536" ]; then
	fail "a write in one namespace leaked or was lost: $got"
elif [ "$via_genl" != 5000 ]; then
	fail "get-params in hA says trigger-bytes $via_genl after the sysctl write of 5000"
else
	pass "sysctl write in hA, set-params in hB: each seen only there, by both interfaces"
fi
sys_write hA trigger_bytes 2048 >/dev/null
sys_write hB trigger_seconds 60 >/dev/null

SCENARIO=sysctl-range
bad=""
for w in "trigger_bytes 0" "trigger_bytes 1073741825" "trigger_seconds 0" "trigger_seconds 86401" \
	"path_update 2" "trigger_bytes -1" "max_contexts 16777217" "max_contexts -1"; do
	set -- $w
	err=$(sys_write hA "$1" "$2")
	[ "$err" = "Invalid argument" ] || bad="$bad; $1=$2 gave '${err:-success}'"
done
ip netns exec hA "$SHIM6CTL" params --trigger-bytes 0 >/dev/null 2>&1 && bad="$bad; set-params trigger-bytes 0 accepted"
ip netns exec hA "$SHIM6CTL" params --trigger-seconds 86401 >/dev/null 2>&1 && bad="$bad; set-params trigger-seconds 86401 accepted"
sys_write hA trigger_bytes 1073741824 | grep -q . && bad="$bad; the maximum trigger_bytes was refused"
[ "$(sys hA trigger_bytes)" = 1073741824 ] || bad="$bad; trigger_bytes is $(sys hA trigger_bytes) after writing the maximum"
sys_write hA trigger_bytes 2048 >/dev/null
sys_write hA max_contexts 16777216 | grep -q . && bad="$bad; the maximum max_contexts was refused"
sys_write hA max_contexts 0 | grep -q . && bad="$bad; max_contexts 0 was refused"
sys_write hA max_contexts 65536 >/dev/null
[ "$(defaults hA)" = "2048 60 1 65536" ] || bad="$bad; values after the refused writes: $(defaults hA)"
if [ -n "$bad" ]; then fail "${bad#; }"
else pass "out-of-range writes refused with EINVAL (sysctl and set-params), values unchanged"
fi

# The trigger with other thresholds.  Each check sends from an address of
# its own, so no flow an earlier scenario left in the table counts.
# flow NS SRC DST COUNT GAP: COUNT 200-octet datagrams, GAP seconds apart.
flow() {
	ip netns exec "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
for _ in range(int(sys.argv[3])):
    s.sendto(b"x" * 200, (sys.argv[2], 9))
    time.sleep(float(sys.argv[4]))' "$2" "$3" "$4" "$5"
}
# triggers_for SRC COUNT GAP: how many flows hA's trigger fires for while
# it sends COUNT datagrams from SRC (a new address on its a1 link) to b2.
# Counted by the module: nothing else in hA sends meanwhile, and python
# under TCG starts too slowly for a monitor with a fixed timeout.
triggers_for() {
	ip -n hA addr add "$1/64" dev a1 nodad
	local before=$(stat hA Shim6TriggerFired)
	flow hA "$1" "$(loc b2)" "$2" "$3"
	echo $(( $(stat hA Shim6TriggerFired) - before ))
}

SCENARIO=sysctl-trigger-bytes
# 10 x 200 octets = 2000: under the default 2048.
sys_write hA trigger_bytes 1000 >/dev/null
low=$(triggers_for 2001:db8:a1::71 10 0.1)
sys_write hA trigger_bytes 100000 >/dev/null
high=$(triggers_for 2001:db8:a1::72 10 0.1)
sys_write hA trigger_bytes 2048 >/dev/null
if [ "$low" != 1 ]; then fail "trigger_bytes=1000: $low triggers for 2000 octets, want 1"
elif [ "$high" != 0 ]; then fail "trigger_bytes=100000: $high triggers for 2000 octets, want 0"
else pass "2000 octets fire at trigger_bytes=1000, not at trigger_bytes=100000"
fi

SCENARIO=sysctl-trigger-seconds
# 3 datagrams over 2 s: 600 octets, far under the bytes threshold.
sys_write hA trigger_seconds 1 >/dev/null
fired=$(triggers_for 2001:db8:a1::73 3 1)
sys_write hA trigger_seconds 60 >/dev/null
if [ "$fired" != 1 ]; then fail "trigger_seconds=1: $fired triggers for a 2-second flow of 600 octets, want 1"
else pass "a 2-second flow of 600 octets fires at trigger_seconds=1"
fi

SCENARIO=sysctl-path-update
# Each set_path changes the path once in each namespace.
ctx_add_static
changes0=$(stat hA Shim6PathChanges); updates0=$(stat hA Shim6PathUpdates)
set_path a2 b2
changes1=$(stat hA Shim6PathChanges); updates1=$(stat hA Shim6PathUpdates)
sys_write hA path_update 0 >/dev/null
set_path a3 b3
changes2=$(stat hA Shim6PathChanges); updates2=$(stat hA Shim6PathUpdates); updates_b=$(stat hB Shim6PathUpdates)
sys_write hA path_update 1 >/dev/null
ctx_del_static
on="changes +$((changes1 - changes0)) updates +$((updates1 - updates0))"
off="changes +$((changes2 - changes1)) updates +$((updates2 - updates1))"
if [ "$on" != "changes +1 updates +1" ]; then fail "with path_update=1: $on, want +1 each"
elif [ "$off" != "changes +1 updates +0" ]; then fail "with path_update=0: $off, want changes +1 updates +0"
elif [ "$updates_b" -lt 2 ]; then fail "hB (path_update=1) counted $updates_b path updates, want 2 or more"
else pass "path_update=1: one PATH_UPDATE per path change; path_update=0: none (hB unaffected)"
fi

SCENARIO=sysctl-namespace-exit
dmesg_mark
ip netns del s6-fresh
sleep 1
complaints=$(kernel_complaints)
if [ -n "$complaints" ]; then fail "kernel log after deleting a namespace: $complaints"
else pass "a namespace with the sysctls deleted cleanly"
fi
