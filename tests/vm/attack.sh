# SPDX-License-Identifier: GPL-2.0
# The attack scenarios' common steps: the attacker and bystander
# namespaces (topology.sh: attacker_up), the router's counters of what
# reaches them, the attacker's tool, and the victim daemon's counters.
# Sourced after lib.sh; sources failover.sh (shim6d.sh, art.sh).
#
#   attack_setup               attacker_up, and the router's table
#                              inet attack_watch with the counters below
#   attack_teardown            failover_cleanup, the table, attacker_down
#   attack ARGS...             shim6-attack ARGS in the attacker namespace;
#                              prints its JSON line
#   watch_reset                zero every counter of attack_watch
#   watched NAME               packets counted by counter NAME so far:
#     payload_to_attacker      Shim6 payload (P = 1) to ATTACK_PREFIX
#     transport_to_attacker    TCP or UDP without Shim6 to ATTACK_PREFIX
#     r2_to_attacker           R2 messages to ATTACK_PREFIX
#     anything_to_bystander    any packet to SPOOFED_PREFIX
#     r1_to_bystander          R1 messages to SPOOFED_PREFIX
#     r1bis_to_bystander       R1bis messages to SPOOFED_PREFIX
#   daemon_stats NS            the daemon's "stats" reply (one JSON line, the
#                              counters under "stats")
#   core_refused NS            its core's refusals, "reason count" lines
#   rss_kib PID                VmRSS of PID in KiB
#
# Shim6 messages are told apart by the octet after Hdr Ext Len: its top
# bit is P, the other seven the message type.  The counters read the IPv6
# header's own Next Header (`ip6 nexthdr`), not nft's l4proto, which skips
# the Shim6 header with patch 0001.

. "$REPO/tests/vm/failover.sh"

ATTACK=${ATTACK:-$REPO/user/target/debug/shim6-attack}
_RT="nsenter --net=/run/netns/rt"
# Bit offset, from the IPv6 header, of the octet holding P and the type.
_SHIM6_TYPE_BITS=$(( (40 + 2) * 8 ))

attack_setup() {
	attacker_up || return 1
	local type="@nh,$_SHIM6_TYPE_BITS,8" shim6="ip6 nexthdr 140"
	# Left over by a scenario cut short: its rules would count twice.
	$_RT nft delete table inet attack_watch 2>/dev/null
	$_RT nft -f - <<-NFT
	table inet attack_watch {
		counter payload_to_attacker {}
		counter transport_to_attacker {}
		counter r2_to_attacker {}
		counter anything_to_bystander {}
		counter r1_to_bystander {}
		counter r1bis_to_bystander {}
		chain forward {
			type filter hook forward priority -10; policy accept;
			ip6 daddr $ATTACK_PREFIX $shim6 @nh,$_SHIM6_TYPE_BITS,1 1 counter name payload_to_attacker
			ip6 daddr $ATTACK_PREFIX ip6 nexthdr { tcp, udp } counter name transport_to_attacker
			ip6 daddr $ATTACK_PREFIX $shim6 $type 4 counter name r2_to_attacker
			ip6 daddr $SPOOFED_PREFIX counter name anything_to_bystander
			ip6 daddr $SPOOFED_PREFIX $shim6 $type 2 counter name r1_to_bystander
			ip6 daddr $SPOOFED_PREFIX $shim6 $type 5 counter name r1bis_to_bystander
		}
	}
	NFT
}

attack_teardown() {
	failover_cleanup
	$_RT nft delete table inet attack_watch 2>/dev/null
	attacker_down
}

attack() { nsenter --net="/run/netns/$ATTACKER" "$ATTACK" "$@"; }

watch_reset() { $_RT nft reset counters table inet attack_watch >/dev/null; }

watched() {
	$_RT nft list counter inet attack_watch "$1" | awk '/packets/ { print $2 }'
}

daemon_stats() { "$SHIM6CTL" daemon --socket "/tmp/shim6d-$1.sock" --json stats; }

core_refused() {
	daemon_stats "$1" | python3 -c 'import json, sys
for reason, count in sorted(json.load(sys.stdin)["stats"].get("core_refused", {}).items()):
    print(reason, count)'
}

rss_kib() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null; }
