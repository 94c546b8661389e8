# iperf3 TCP and UDP between the ULIDs keep running while the locator pair
# changes twice mid-stream, in both directions.
ip netns exec hB iperf3 -s -D -B "$(loc b1)" -p 5202 >/dev/null 2>&1
sleep 1
switcher() { sleep 2; set_path a3 b2; sleep 2; set_path a1 b1; }

for mode in tcp tcp-reverse udp; do
	SCENARIO="iperf-switch $mode"
	case $mode in
	tcp) args=(-p 5202 -t 7) ;;
	tcp-reverse) args=(-p 5202 -t 7 -R) ;;
	udp) args=(-p 5202 -t 7 -u -b 20M) ;;
	esac
	switcher & sw=$!
	out=$(ip netns exec hA timeout 30 iperf3 -c "$(loc b1)" -B "$(loc a1)" "${args[@]}" -i 1 --json 2>&1)
	rc=$?; wait $sw
	summary=$(python3 -c '
import json, sys
r = json.load(sys.stdin)
iv = [i["sum"]["bytes"] for i in r["intervals"]]
end = r["end"]
s = end.get("sum_received") or end.get("sum")
lost = s.get("lost_percent", 0.0)
print(len(iv), min(iv), int(s["bytes"]), "%.1f" % (s["bits_per_second"] / 1e6), "%.2f" % lost)
' <<<"$out" 2>/dev/null)
	read -r n min_bytes total mbps lost <<<"$summary"
	lost_ok=$(python3 -c "print(1 if float('${lost:-100}') < 5 else 0)")
	if [ $rc -ne 0 ] || [ -z "$summary" ]; then fail "iperf3 failed (rc $rc): $(tail -c 300 <<<"$out")"
	elif [ "$n" -lt 7 ] || [ "$min_bytes" -eq 0 ]; then fail "a 1-s interval moved no data ($n intervals, min $min_bytes B)"
	elif [ "$lost_ok" != 1 ]; then fail "lost ${lost}% across the switches"
	else pass "$n intervals all moving, $mbps Mbit/s, lost ${lost}%"
	fi
done
pkill -f "iperf3 -s" 2>/dev/null
