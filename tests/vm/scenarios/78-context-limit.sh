# Who may do what with contexts, and how many there may be: a namespace
# holds at most net.shim6.max_contexts (65536, or 64 in a namespace an
# unprivileged user owns); reading contexts, parameters and events needs
# CAP_NET_ADMIN as changing them does; ULIDs and locators must be global
# unicast.  Each refusal is counted and explained (extack).
NS=s6-limit
in_ns() { ip netns exec "$NS" "$@"; }
# as_nobody NS CMD...: CMD in NS as user nobody, without capabilities.
as_nobody() { local ns=$1; shift; ip netns exec "$ns" setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
# add NS TAG PEER_ULID: a context with ULIDs 2001:db8:f1::1 -> PEER_ULID;
# prints the error, if any.
add() {
	ip netns exec "$1" "$SHIM6CTL" ctx add --local-tag "$2" --peer-tag "$2" \
		--local-ulid 2001:db8:f1::1 --peer-ulid "$3" 2>&1 >/dev/null
}
ctx_count() { ip netns exec "$1" "$SHIM6CTL" ctx show --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
ip netns del "$NS" 2>/dev/null
ip netns add "$NS"

SCENARIO=context-limit-default
got="hA=$(ip netns exec hA cat /proc/sys/net/shim6/max_contexts) $NS=$(in_ns cat /proc/sys/net/shim6/max_contexts)"
if [ "$got" != "hA=65536 $NS=65536" ]; then fail "max_contexts in namespaces the initial user namespace owns: $got, want 65536"
else pass "max_contexts is 65536 in hA and in a new namespace"
fi

SCENARIO=context-limit
in_ns sysctl -qw net.shim6.max_contexts=5
limit0=$(stat "$NS" Shim6CtxLimit)
bad=""
for i in 1 2 3 4 5; do
	err=$(add "$NS" $i 2001:db8:f2::$i) || bad="$bad; context $i refused: $err"
done
err=$(add "$NS" 6 2001:db8:f2::6) && bad="$bad; a sixth context was accepted"
case $err in *"net.shim6.max_contexts reached"*) ;; *) bad="$bad; the refusal says '$err'" ;; esac
count=$(ctx_count "$NS"); limit=$(( $(stat "$NS" Shim6CtxLimit) - limit0 ))
[ "$count $limit" = "5 1" ] || bad="$bad; $count contexts and Shim6CtxLimit +$limit, want 5 and +1"
in_ns sysctl -qw net.shim6.max_contexts=6
err=$(add "$NS" 6 2001:db8:f2::6) || bad="$bad; the sixth context refused after raising the cap: $err"
in_ns sysctl -qw net.shim6.max_contexts=2
[ "$(ctx_count "$NS")" = 6 ] || bad="$bad; lowering the cap removed contexts"
err=$(add "$NS" 7 2001:db8:f2::7) && bad="$bad; a context was accepted above the lowered cap"
if [ -n "$bad" ]; then fail "${bad#; }"
else pass "cap 5: five added, the sixth refused ('${err#shim6ctl: }'), counted; raised, it fits; lowered, the six stay"
fi
ip netns del "$NS"; ip netns add "$NS"

SCENARIO=context-limit-userns
# A namespace of an unprivileged user's own: 64 by default, and its root
# may not lift it.  Needs user namespaces (CONFIG_USER_NS).
userns_check() {
	setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn sh -c '
		f=/proc/sys/net/shim6/max_contexts
		echo "default $(cat $f)"
		echo 65 > $f 2>/dev/null && echo "raised to $(cat $f)"
		i=1
		while [ $i -le 65 ]; do
			"$1" ctx add --local-tag $i --peer-tag $i --local-ulid 2001:db8:f1::1 \
				--peer-ulid 2001:db8:f2::$i >/dev/null 2>/tmp/shim6-78.err || break
			i=$((i + 1))
		done
		echo "added $((i - 1)) then: $(cat /tmp/shim6-78.err)"' _ "$SHIM6CTL" 2>&1
}
if ! setpriv --reuid=65534 --regid=65534 --clear-groups unshare -Urn true 2>/dev/null; then
	fail "nobody cannot create a user namespace: the test kernel lacks CONFIG_USER_NS (virtme/base.config)"
else
	got=$(userns_check)
	case $got in
	"default 64"$'\n'"added 64 then: "*"net.shim6.max_contexts reached"*) pass "as nobody in unshare -Urn: default 64, not raised, 64 contexts then refused" ;;
	*) fail "as nobody in unshare -Urn: $got" ;;
	esac
fi

SCENARIO=context-memory-charged
# Contexts are allocated with GFP_KERNEL_ACCOUNT: what a process adds is
# charged to its memory cgroup, so memory.max bounds it as it bounds the
# process's own memory.  COUNT contexts added from a fresh cgroup leave at
# least their 256-octet tag-tree entries charged to it once the process
# has exited (its own pages are uncharged then); without the flag only the
# per-CPU charge batches would remain, at most 64 pages a CPU.
COUNT=3000
CG=$(mktemp -d /tmp/s6-cgroup.XXXXXX)
if ! mount -t cgroup2 none "$CG" 2>/dev/null || ! echo +memory >"$CG/cgroup.subtree_control" 2>/dev/null; then
	fail "no cgroup2 memory controller in the guest (CONFIG_MEMCG, virtme/base.config)"
else
	mkdir "$CG/s6-memcg"
	batch=$(mktemp /tmp/s6-batch.XXXXXX)
	for i in $(seq 1 $COUNT); do
		printf 'ctx add --local-tag %d --peer-tag %d --local-ulid 2001:db8:f1::1 --peer-ulid 2001:db8:f3::%x\n' $i $i $i
	done >"$batch"
	in_ns sysctl -qw net.shim6.max_contexts=$((COUNT + 1))
	before=$(cat "$CG/s6-memcg/memory.current")
	err=$(in_ns sh -c 'echo $$ >"$1/cgroup.procs" && exec "$2" --batch "$3"' _ "$CG/s6-memcg" "$SHIM6CTL" "$batch" 2>&1 >/dev/null)
	after=$(cat "$CG/s6-memcg/memory.current")
	count=$(ctx_count "$NS")
	charged=$((after - before)); least=$((COUNT * 256)); noise=$((64 * 4096 * $(nproc)))
	kernel=$(awk '$1 == "kernel" { print $2 }' "$CG/s6-memcg/memory.stat")
	if [ "$count" != $COUNT ]; then fail "$count of $COUNT contexts added from the cgroup: $err"
	elif [ "$charged" -lt "$least" ] || [ "$charged" -le "$noise" ]; then
		fail "$COUNT contexts left $charged octets charged to their cgroup (kernel $kernel), want at least $least and above the $noise of charge batches"
	else pass "$COUNT contexts added from a memory cgroup left $charged octets charged to it (kernel $kernel; at least $least expected)"
	fi
	rm -f "$batch"
fi
ip netns del "$NS"; ip netns add "$NS"
rmdir "$CG/s6-memcg" 2>/dev/null; umount "$CG" 2>/dev/null; rmdir "$CG"

SCENARIO=context-read-needs-admin
bad=""
for cmd in "ctx show" "ctx show $CTX_A" "params" "monitor --count 1 --timeout 2" \
	"ctx add --local-tag 9 --peer-tag 9 --local-ulid 2001:db8:f1::1 --peer-ulid 2001:db8:f2::9"; do
	err=$(as_nobody hA "$SHIM6CTL" $cmd 2>&1 >/dev/null) && bad="$bad; '$cmd' allowed"
	case $err in *"Operation not permitted"*CAP_NET_ADMIN*) ;; *) bad="$bad; '$cmd' said '$err'" ;; esac
done
as_nobody hA "$SHIM6CTL" info >/dev/null 2>&1 || bad="$bad; info refused to nobody"
if [ -n "$bad" ]; then fail "${bad#; }"
else pass "as nobody in hA: ctx show (one and all), params, monitor and ctx add refused with EPERM; info allowed"
fi

SCENARIO=context-bad-addresses
bad=""; n=0
bad0=$(stat "$NS" Shim6CtxBadAddress)
for ulid in :: ::1 ::ffff:192.0.2.1 ::192.0.2.1 ff02::1 ff0e::1 fe80::1 fec0::1; do
	err=$(add "$NS" 1 "$ulid") && bad="$bad; peer-ulid $ulid accepted"
	case $err in *"peer-ulid must be global unicast"*) ;; *) bad="$bad; peer-ulid $ulid: '$err'" ;; esac
	err=$(in_ns "$SHIM6CTL" ctx add --local-tag 1 --peer-tag 1 --local-ulid "$ulid" --peer-ulid 2001:db8:f2::1 2>&1) &&
		bad="$bad; local-ulid $ulid accepted"
	case $err in *"local-ulid must be global unicast"*) ;; *) bad="$bad; local-ulid $ulid: '$err'" ;; esac
	n=$((n + 2))
done
err=$(in_ns "$SHIM6CTL" ctx add --local-tag 1 --peer-tag 1 --local-ulid 2001:db8:f1::1 --peer-ulid 2001:db8:f2::1 \
	--peer-locators 2001:db8:f2::1,fe80::1 2>&1) && bad="$bad; a link-local peer locator accepted"
case $err in *"peer locators must be global unicast"*) ;; *) bad="$bad; link-local peer locator: '$err'" ;; esac
n=$((n + 1))
err=$(add "$NS" 1 2001:db8:f2::1) || bad="$bad; a global ULID pair refused: $err"
err=$(in_ns "$SHIM6CTL" ctx update 1 --local-locators 2001:db8:f1::1,ff02::1 2>&1) && bad="$bad; ctx update with a multicast locator accepted"
case $err in *"local locators must be global unicast"*) ;; *) bad="$bad; ctx update with ff02::1: '$err'" ;; esac
n=$((n + 1))
counted=$(( $(stat "$NS" Shim6CtxBadAddress) - bad0 ))
[ "$counted" = "$n" ] || bad="$bad; Shim6CtxBadAddress +$counted, want +$n"
[ "$(ctx_count "$NS")" = 1 ] || bad="$bad; $(ctx_count "$NS") contexts, want the one good one"
if [ -n "$bad" ]; then fail "${bad#; }"
else pass "$n non-global ULIDs and locators refused by ctx add and ctx update, each counted; a global pair accepted"
fi

ip netns del "$NS"
