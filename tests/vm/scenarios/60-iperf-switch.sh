# iperf3 TCP and UDP between the ULIDs keep running while the locator pair
# changes twice mid-stream, in both directions.
ip netns exec hB iperf3 -s -D -B "$(loc b1)" -p 5202 >/dev/null 2>&1
sleep 1
now() { date +%s%N; }
# Each set_path is two shim6ctl runs, seconds under TCG while a stream
# saturates the guest: the streams are paced (TCP at 100 Mbit/s) and the
# switcher notes when each switch is done, so the check can tell that both
# happened while the stream ran. A slow host has taken 3.5 s per switch:
# the streams last 15 s so that both land well inside them.
# Both ends switch at once, as their daemons would.
switch_both() {
	ip netns exec hA "$SHIM6CTL" ctx set-path $CTX_A "$(loc "$1")" "$(loc "$2")" & local a=$!
	ip netns exec hB "$SHIM6CTL" ctx set-path $CTX_B "$(loc "$2")" "$(loc "$1")"
	wait $a
}
switcher() { sleep 1; switch_both a3 b2; now >/tmp/shim6-60.switched; sleep 1; switch_both a1 b1; now >>/tmp/shim6-60.switched; }
# Datagrams hB's kernel had for iperf3 but its socket buffer could not take
# (the receiver falling behind under TCG): not lost by the shim.
rcvbuf_errors() { ip netns exec hB awk '$1 == "Udp6RcvbufErrors" { print $2 }' /proc/net/snmp6; }

for mode in tcp tcp-reverse udp; do
	SCENARIO="iperf-switch $mode"
	case $mode in
	tcp) args=(-p 5202 -t 15 -b 100M) ;;
	tcp-reverse) args=(-p 5202 -t 15 -b 100M -R) ;;
	udp) args=(-p 5202 -t 15 -u -b 20M) ;;
	esac
	rm -f /tmp/shim6-60.switched
	overflow0=$(rcvbuf_errors)
	switcher & sw=$!
	out=$(ip netns exec hA timeout 40 iperf3 -c "$(loc b1)" -B "$(loc a1)" "${args[@]}" -i 1 --json 2>&1)
	rc=$?; ended=$(now); wait $sw
	overflow=$(( $(rcvbuf_errors) - overflow0 ))
	read -r _ second_switch < <(tr '\n' ' ' </tmp/shim6-60.switched 2>/dev/null)
	summary=$(python3 -c '
import json, sys
r = json.load(sys.stdin)
iv = [i["sum"]["bytes"] for i in r["intervals"]]
end = r["end"]
s = end.get("sum_received") or end.get("sum")
print(len(iv), min(iv), int(s["bytes"]), "%.1f" % (s["bits_per_second"] / 1e6),
      s.get("lost_packets", 0), s.get("packets", 0))
' <<<"$out" 2>/dev/null)
	read -r n min_bytes total mbps lost packets <<<"$summary"
	# Lost on the way: what iperf3 missed, less the socket buffer overflows
	# (UDP only: TCP retransmits what it loses).
	lost_pct=0
	[ "$mode" = udp ] && lost_pct=$(python3 -c "p = int('${packets:-0}'); print('%.2f' % (100 * max(0, int('${lost:-0}') - $overflow) / p if p else 100))")
	lost_ok=$(python3 -c "print(1 if $lost_pct < 2 else 0)")
	if [ $rc -ne 0 ] || [ -z "$summary" ]; then fail "iperf3 failed (rc $rc): $(tail -c 300 <<<"$out")"
	elif [ -z "$second_switch" ] || [ $(( (ended - second_switch) / 1000000 )) -lt 500 ]; then
		fail "the second switch was not done 0.5 s before the stream ended ($(( (ended - ${second_switch:-0}) / 1000000 )) ms)"
	elif [ "$n" -lt 15 ] || [ "$min_bytes" -eq 0 ]; then fail "a 1-s interval moved no data ($n intervals, min $min_bytes B)"
	elif [ "$lost_ok" != 1 ]; then fail "lost ${lost_pct}% across the switches (iperf3 missed $lost of $packets, $overflow of them hB's socket buffer overflows)"
	else
		detail=""
		[ "$mode" = udp ] && detail=", lost ${lost_pct}% on the way ($lost missed, $overflow of them hB's socket buffer overflows)"
		pass "$n intervals all moving, $mbps Mbit/s, both switches $(( (ended - second_switch) / 1000000 )) ms or more before the end$detail"
	fi
done
pkill -f "iperf3 -s" 2>/dev/null
