#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The test topology, inside one VM: hosts hA and hB, each with three
# providers (one veth link and one /64 each), joined by a router rt.
#
#   hA a1 ---- ra1 \             / rb1 ---- b1 hB
#   hA a2 ---- ra2 -- rt (fwd) -- rb2 ---- b2 hB
#   hA a3 ---- ra3 /             \ rb3 ---- b3 hB
#
# Locators are 2001:db8:XN::2 on the hosts and 2001:db8:XN::1 on the
# router.  Each host routes by source prefix (IPV6_SUBTREES), so the
# source locator picks the provider: 9 locator pairs in each direction.
#
# Source this file; topo_up builds it, topo_down removes it.
#
# The attack scenarios add two more namespaces behind rt (attacker_up,
# attacker_down, below): an off-path attacker with its own prefix and no
# ingress filtering, and a bystander whose prefix the attacker spoofs.

HOSTS=(hA hB)
A_LINKS=(a1 a2 a3)
B_LINKS=(b1 b2 b3)

# pfx a2 -> 2001:db8:a2::/64
pfx() { echo "2001:db8:$1::/64"; }
# loc a2 -> 2001:db8:a2::2 (the host's locator on that provider)
loc() { echo "2001:db8:$1::2"; }
# host_of a2 -> hA
host_of() { case $1 in a*) echo hA ;; b*) echo hB ;; esac; }

_ns_quiet_dad() {
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		net.ipv6.conf.default.accept_dad=0 \
		net.ipv6.conf.default.accept_ra=0
	ip -n "$1" link set lo up
}

_attach() { # host link: veth between the host's $link and the router's r$link
	local host=$1 link=$2
	ip link add "$link" netns "$host" type veth peer name "r$link" netns rt || return 1
	ip -n "$host" addr add "$(loc "$link")/64" dev "$link" nodad || return 1
	ip -n rt addr add "2001:db8:$link::1/64" dev "r$link" nodad || return 1
	ip -n "$host" link set "$link" up && ip -n rt link set "r$link" up || return 1
	ip -n "$host" -6 route add default via "2001:db8:$link::1" dev "$link" \
		from "$(pfx "$link")" || return 1
}

topo_up() {
	local ns link
	for ns in rt "${HOSTS[@]}"; do
		ip netns add "$ns" && _ns_quiet_dad "$ns" || return 1
	done
	ip netns exec rt sysctl -qw net.ipv6.conf.all.forwarding=1 || return 1
	for link in "${A_LINKS[@]}"; do _attach hA "$link" || return 1; done
	for link in "${B_LINKS[@]}"; do _attach hB "$link" || return 1; done
	# Unbound sockets use the first provider.
	ip -n hA -6 route add default via 2001:db8:a1::1 dev a1 metric 2048 || return 1
	ip -n hB -6 route add default via 2001:db8:b1::1 dev b1 metric 2048 || return 1
	_observe_init
}

topo_down() {
	local ns
	for ns in "${HOSTS[@]}" rt "$ATTACKER" "$BYSTANDER"; do ip netns del "$ns" 2>/dev/null; done
	return 0
}

# --- one-way observation ------------------------------------------------
# Each host counts the echo requests it receives per (source, destination)
# locator pair, so a probe can tell which direction of a pair works.

_observe_init() {
	local host src dst
	for host in "${HOSTS[@]}"; do
		ip netns exec "$host" nft -f - <<-NFT || return 1
		table inet observe {
			chain input { type filter hook input priority 0; policy accept; }
		}
		NFT
	done
	for src in "${A_LINKS[@]}" "${B_LINKS[@]}"; do
		for dst in "${A_LINKS[@]}" "${B_LINKS[@]}"; do
			[ "$(host_of "$src")" = "$(host_of "$dst")" ] && continue
			host=$(host_of "$dst")
			ip netns exec "$host" nft add counter inet observe "c_${src}_${dst}" &&
			ip netns exec "$host" nft add rule inet observe input \
				ip6 saddr "$(loc "$src")" ip6 daddr "$(loc "$dst")" \
				icmpv6 type echo-request counter name "c_${src}_${dst}" || return 1
		done
	done
}

_observed() { # src dst -> packets counted at dst
	ip netns exec "$(host_of "$2")" nft list counter inet observe "c_$1_$2" |
		awk '/packets/ { print $2 }'
}

# _snapshot host: "name packets" for every observation counter of host.
_snapshot() {
	ip netns exec "$1" nft list counters table inet observe |
		awk '/counter c_/ { name = $2 } /packets/ { print name, $2 }'
}

_probe() { # src dst: one echo request, reply ignored
	ip netns exec "$(host_of "$1")" ping -6 -n -q -c 1 -W "${PROBE_WAIT:-1}" \
		-I "$(loc "$1")" "$(loc "$2")" >/dev/null 2>&1
}

# oneway src dst: true when a packet sent from locator src reaches
# locator dst (whatever happens to the reply).
oneway() {
	local before after
	before=$(_observed "$1" "$2")
	_probe "$1" "$2"
	after=$(_observed "$1" "$2")
	[ "${after:-0}" -gt "${before:-0}" ]
}

# reach_map: one line "src dst 1|0" for each of the 18 one-way paths,
# probed all at once (process start-up dominates under TCG).
reach_map() {
	local before after src dst
	before=$(_snapshot hA; _snapshot hB)
	for src in "${A_LINKS[@]}"; do for dst in "${B_LINKS[@]}"; do
		_probe "$src" "$dst" & _probe "$dst" "$src" &
	done; done
	wait
	after=$(_snapshot hA; _snapshot hB)
	for src in "${A_LINKS[@]}" "${B_LINKS[@]}"; do
		for dst in "${A_LINKS[@]}" "${B_LINKS[@]}"; do
			[ "$(host_of "$src")" = "$(host_of "$dst")" ] && continue
			awk -v c="c_${src}_${dst}" -v s="$src" -v d="$dst" '
				NR == FNR { if ($1 == c) b = $2; next }
				$1 == c { a = $2 }
				END { print s, d, (a > b ? 1 : 0) }' \
				<(echo "$before") <(echo "$after")
		done
	done
}

# --- an off-path attacker ---------------------------------------------------
#
#   attacker atk0 ---- ratk \
#                            rt (fwd, no ingress filtering)
#   bystander by0 ---- rby  /
#
# The attacker owns ATTACK_PREFIX, routed by rt to it over the link
# 2001:db8:660::/64, and accepts every address of it (a local route), so it
# can use as many addresses as it likes; ATTACKER_ADDRESS is its usual one.
# rt forwards whatever source the attacker writes: nothing checks that it
# is the attacker's.  SPOOFED_PREFIX belongs to the bystander (routed over
# 2001:db8:770::/64), which does not forward and drops what is not for it:
# answers to spoofed sources end there, and the router can count them.
# hA and hB need no change: their default routes lead to rt.

ATTACKER=attacker
BYSTANDER=bystander
ATTACK_PREFIX=2001:db8:666::/64
ATTACKER_ADDRESS=2001:db8:666::66
SPOOFED_PREFIX=2001:db8:777::/64

# _attach_behind_router NS DEV LINK_NET ROUTED_PREFIX: a veth from NS's DEV
# to rt's rDEV on LINK_NET (rt ::1, NS ::2), ROUTED_PREFIX routed to NS.
_attach_behind_router() {
	local ns=$1 dev=$2 net=$3 routed=$4
	ip netns add "$ns" && _ns_quiet_dad "$ns" || return 1
	ip link add "$dev" netns "$ns" type veth peer name "r$dev" netns rt || return 1
	ip -n "$ns" addr add "$net::2/64" dev "$dev" nodad || return 1
	ip -n rt addr add "$net::1/64" dev "r$dev" nodad || return 1
	ip -n "$ns" link set "$dev" up && ip -n rt link set "r$dev" up || return 1
	ip -n "$ns" -6 route add default via "$net::1" dev "$dev" || return 1
	ip -n rt -6 route add "$routed" via "$net::2" dev "r$dev"
}

attacker_up() {
	attacker_down
	_attach_behind_router "$ATTACKER" atk0 2001:db8:660 "$ATTACK_PREFIX" || return 1
	ip -n "$ATTACKER" addr add "$ATTACKER_ADDRESS/128" dev lo nodad || return 1
	ip -n "$ATTACKER" -6 route add local "$ATTACK_PREFIX" dev lo || return 1
	_attach_behind_router "$BYSTANDER" by0 2001:db8:770 "$SPOOFED_PREFIX"
}

attacker_down() {
	ip netns del "$ATTACKER" 2>/dev/null
	ip netns del "$BYSTANDER" 2>/dev/null
	return 0
}
