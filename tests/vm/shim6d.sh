# SPDX-License-Identifier: GPL-2.0
# Helpers to run shim6d in the test topology; sourced by scenarios (after
# lib.sh, which run.sh sources for every scenario).
#
#   shim6d_start NS [KEY=VALUE...]  write a config, start the daemon in NS,
#                                   wait until its addresses are ready
#   shim6d_stop NS                  stop it (SIGTERM); its kernel contexts stay
#   shim6d_reset NS                 stop it, delete its key and addresses and
#                                   every kernel context of NS
#   shim6d_request NS JSON          one control request; prints the reply line
#   shim6d_ulid NS [PROVIDER]       its address on PROVIDER (a1..b3; default
#                                   the first provider of NS): use it as ULID
#   shim6d_wait_context NS PEER_ULID [SECONDS]
#                                   wait until the kernel of NS has a context
#                                   to PEER_ULID; prints its local tag (hex)
#   shim6d_context_json NS          the daemon's contexts ("list" reply)
#   shim6d_kernel_context NS PEER_ULID
#                                   the kernel's context to PEER_ULID (JSON)
#   shim6d_stat NS NAME             a daemon counter ("stats" reply; dotted
#                                   names reach inside, e.g. verification.hba_verified)
#   shim6d_poke NS SRC DST          8 KiB of UDP from SRC to DST's discard port
#                                   over 0.4 s: enough for the kernel's trigger
#
# Files (the guest's /tmp): config /tmp/shim6d-NS.toml, log /tmp/shim6d-NS.log,
# control socket /tmp/shim6d-NS.sock, key and addresses /tmp/shim6d-NS/ (kept
# across stop/start, so a restarted daemon has the same addresses).
#
# Configuration: every key of shim6d.example.toml as a top-level dotted key.
# The defaults below suit the VM (a 1024-bit key, quick REAP timers, the
# namespace's three providers as locators); a KEY=VALUE argument replaces
# the default of the same key or adds one, e.g.
#   shim6d_start hA 'addresses.method = "hba"' 'timers.send_timeout_secs = 3'

SHIM6D=${SHIM6D:-$REPO/user/target/debug/shim6d}

_shim6d_providers() { case $1 in hA) echo a1 a2 a3 ;; hB) echo b1 b2 b3 ;; esac; }
_shim6d_pidfile() { echo "/tmp/shim6d-$1.pid"; }

# The config for NS with the overrides given, one dotted key per line.
_shim6d_config() {
	local ns=$1; shift
	local p prefixes=""
	for p in $(_shim6d_providers "$ns"); do prefixes+="${prefixes:+, }\"$(pfx "$p")\""; done
	local -a lines=(
		"state_dir = \"/tmp/shim6d-$ns\""
		"control_socket = \"/tmp/shim6d-$ns.sock\""
		"log_level = \"debug\""
		"addresses.method = \"cga\""
		"addresses.rsa_bits = 1024"
		"addresses.locators = [$prefixes]"
		"timers.send_timeout_secs = 2"
		"timers.keepalive_timeout_secs = 2"
	)
	local override key i
	for override in "$@"; do
		key=$(sed -E 's/^[[:space:]]*([^=[:space:]]+).*/\1/' <<<"$override")
		for i in "${!lines[@]}"; do
			[ "$(sed -E 's/^([^=[:space:]]+).*/\1/' <<<"${lines[$i]}")" = "$key" ] && unset 'lines[i]'
		done
		lines+=("$override")
	done
	printf '%s\n' "${lines[@]}"
}

shim6d_request() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(10)
s.connect(sys.argv[1])
s.sendall(sys.argv[2].encode() + b"\n")
line = b""
while not line.endswith(b"\n"):
    chunk = s.recv(65536)
    if not chunk:
        break
    line += chunk
sys.stdout.write(line.decode())' "/tmp/shim6d-$1.sock" "$2"
}

shim6d_start() {
	local ns=$1; shift
	shim6d_stop "$ns"
	_shim6d_config "$ns" "$@" > "/tmp/shim6d-$ns.toml"
	rm -f "/tmp/shim6d-$ns.sock"
	ip netns exec "$ns" "$SHIM6D" --config "/tmp/shim6d-$ns.toml" >> "/tmp/shim6d-$ns.log" 2>&1 &
	echo $! > "$(_shim6d_pidfile "$ns")"
	local ready deadline=$((SECONDS + 60))
	while [ "$SECONDS" -lt "$deadline" ]; do
		kill -0 "$(cat "$(_shim6d_pidfile "$ns")")" 2>/dev/null || {
			echo "shim6d in $ns exited; log: $(tail -5 "/tmp/shim6d-$ns.log")" >&2
			return 1
		}
		# shim6ctl rather than python (slow to start under TCG), every 0.1 s.
		if [ -S "/tmp/shim6d-$ns.sock" ] &&
			"$SHIM6CTL" daemon --socket "/tmp/shim6d-$ns.sock" identity --json 2>/dev/null | grep -q '"ready":true'; then
			return 0
		fi
		sleep 0.1
	done
	echo "shim6d in $ns not ready after 60 s; log: $(tail -5 "/tmp/shim6d-$ns.log")" >&2
	return 1
}

shim6d_stop() {
	local pidfile pid i
	pidfile=$(_shim6d_pidfile "$1")
	[ -f "$pidfile" ] || return 0
	pid=$(cat "$pidfile")
	kill "$pid" 2>/dev/null
	for i in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	kill -9 "$pid" 2>/dev/null
	rm -f "$pidfile" "/tmp/shim6d-$1.sock"
}

shim6d_reset() {
	local tag
	shim6d_stop "$1"
	rm -rf "/tmp/shim6d-$1" "/tmp/shim6d-$1.log"
	for tag in $(ip netns exec "$1" "$SHIM6CTL" ctx show --json | python3 -c '
import json, sys
for c in json.load(sys.stdin):
    print(c["local_tag"])'); do
		ip netns exec "$1" "$SHIM6CTL" ctx del "$tag"
	done
}

shim6d_ulid() {
	local ns=$1 provider=${2:-}
	[ -n "$provider" ] || provider=$(_shim6d_providers "$ns" | cut -d' ' -f1)
	shim6d_request "$ns" '{"cmd":"identity"}' | python3 -c 'import ipaddress, json, sys
prefix = ipaddress.ip_network(sys.argv[1])
for a in json.load(sys.stdin)["identity"]["addresses"]:
    if ipaddress.ip_address(a["address"]) in prefix:
        print(a["address"])
        break' "$(pfx "$provider")"
}

shim6d_kernel_context() {
	ip netns exec "$1" "$SHIM6CTL" ctx show --json | python3 -c 'import ipaddress, json, sys
peer = ipaddress.ip_address(sys.argv[1])
for c in json.load(sys.stdin):
    if ipaddress.ip_address(c["peer_ulid"]) == peer:
        print(json.dumps(c))
        break' "$2"
}

shim6d_wait_context() {
	# Bounded by the clock, not by a count: under TCG one probe (shim6ctl
	# and python) takes most of a second.
	local ns=$1 peer=$2 seconds=${3:-20} ctx
	local deadline=$((SECONDS + seconds))
	while :; do
		ctx=$(shim6d_kernel_context "$ns" "$peer")
		if [ -n "$ctx" ]; then
			json_get local_tag <<<"$ctx"
			return 0
		fi
		[ "$SECONDS" -lt "$deadline" ] || return 1
		sleep 0.2
	done
}

shim6d_context_json() { shim6d_request "$1" '{"cmd":"list"}'; }

shim6d_stat() {
	shim6d_request "$1" '{"cmd":"stats"}' | python3 -c 'import json, sys
v = json.load(sys.stdin)["stats"]
for k in sys.argv[1].split("."):
    v = v.get(k, 0) if isinstance(v, dict) else 0
print(v)' "$2"
}

shim6d_poke() {
	ip netns exec "$1" python3 -c '
import socket, sys, time
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind((sys.argv[1], 0))
for _ in range(8):
    s.sendto(b"x" * 1024, (sys.argv[2], 9))
    time.sleep(0.05)' "$2" "$3" 2>/dev/null
}
