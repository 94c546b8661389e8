#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel benchmark of `make bench`, inside the guest: hA's ULID a1 to
# hB's ULID b1, TCP throughput (iperf3) and ping RTT, for
#   plain   - no context,
#   null    - a context whose locators are the ULIDs,
#   rewrite - the same context sending on a2 -> b3 (hB: b3 -> a2);
# then the time to add, move onto rewriting pairs and delete BENCH_CONTEXTS
# contexts in one namespace, and the kernel memory each holds before and
# after the move (user/shim6-netlink/examples/ctx_bulk.rs).
#
# A round measures the three cases back to back, so the throughput ratio
# to plain is taken per round; the table gives the geometric mean of the
# rounds' ratios with a 95% confidence interval (Student's t over their
# logarithms).  A target is "met" when the interval lies above it,
# "MISSED" when below, and "undecided" when the interval straddles it: then
# the runs vary more than the margin, and only more rounds (BENCH_ROUNDS)
# or a quieter machine can tell.
#
# Results go to $BENCH_OUT (default bench-results/, writable in the guest):
# kernel-bench.csv, kernel-bench.json, kernel-bench.txt (the table printed
# at the end).  A measurement that fails prints "FAIL: bench <what> - why"
# and the script exits 1.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export REPO
. "$REPO/tests/vm/lib.sh"
SCENARIO=bench

OUT=${BENCH_OUT:-$REPO/bench-results}
CTX_BULK=${CTX_BULK:-$REPO/user/target/release/examples/ctx_bulk}
ROUNDS=${BENCH_ROUNDS:-5}
IPERF_SECONDS=${BENCH_IPERF_SECONDS:-8}
PINGS=${BENCH_PINGS:-200}
CONTEXTS=${BENCH_CONTEXTS:-100000}
IPERF_PORT=5210
RAW=/tmp/shim6-bench
CASES=(plain null rewrite)

failed=0
bench_fail() { fail "$*"; failed=1; }

echo "guest: $(uname -r), $(nproc) cpus (kernel benchmark)"
dmesg_mark
rm -rf "$RAW"; mkdir -p "$RAW" "$OUT" || exit 1
topo_down
if ! topo_up; then bench_fail "topology - could not build hA/rt/hB"; exit 1; fi
if ! insmod "$SHIM6_KO"; then bench_fail "insmod $SHIM6_KO failed"; exit 1; fi

counters() { echo "$(stat hA Shim6OutPlain) $(stat hA Shim6OutRewritten)"; }

# enter_case CASE: the context state the case measures.  Rounds go
# plain -> null -> rewrite, so the context is added once per round.
enter_case() {
	case $1 in
	plain) true ;;
	null) ctx_add_static ;;
	rewrite) set_path a2 b3 ;;
	esac
}

# check_path CASE PLAIN0 REWRITTEN0 PLAIN1 REWRITTEN1: did the traffic go
# through the module the way the case says?  Prints why not.
check_path() {
	local plain=$(( $4 - $2 )) rewritten=$(( $5 - $3 ))
	case $1 in
	plain) [ $plain -eq 0 ] && [ $rewritten -eq 0 ] ||
		echo "the module handled $plain plain and $rewritten rewritten packets without a context" ;;
	null) [ $plain -ge "$PINGS" ] && [ $rewritten -eq 0 ] ||
		echo "null mapping: $plain packets sent plain (want >= $PINGS), $rewritten rewritten (want 0)" ;;
	rewrite) [ $rewritten -ge "$PINGS" ] ||
		echo "rewriting: only $rewritten packets rewritten (want >= $PINGS)" ;;
	esac
}

# measure CASE ROUND: one iperf3 run and one ping run, raw output to $RAW.
measure() {
	local case=$1 round=$2 before after why
	before=$(counters)
	if ! ip netns exec hA timeout $(( IPERF_SECONDS + 30 )) iperf3 -c "$(loc b1)" -B "$(loc a1)" \
		-p $IPERF_PORT -t "$IPERF_SECONDS" --json >"$RAW/iperf-$case-$round.json" 2>&1; then
		bench_fail "throughput $case round $round - iperf3: $(tail -c 300 "$RAW/iperf-$case-$round.json")"
	fi
	# -i 0.01 is allowed to root only, which the guest is.
	ip netns exec hA ping -6 -n -c "$PINGS" -i 0.01 -W 2 -I "$(loc a1)" "$(loc b1)" \
		>"$RAW/ping-$case-$round.txt" 2>&1 ||
		bench_fail "latency $case round $round - ping: $(tail -n 2 "$RAW/ping-$case-$round.txt")"
	after=$(counters)
	# shellcheck disable=SC2086 # two numbers each
	why=$(check_path "$case" $before $after)
	[ -z "$why" ] || bench_fail "path $case round $round - $why"
}

echo "--- throughput and latency: $ROUNDS rounds of iperf3 ${IPERF_SECONDS}s + $PINGS pings per case"
ip netns exec hB iperf3 -s -D -B "$(loc b1)" -p $IPERF_PORT -I "$RAW/iperf3.pid" >/dev/null 2>&1
sleep 1
for round in $(seq 1 "$ROUNDS"); do
	for case in "${CASES[@]}"; do
		echo "round $round: $case"
		if ! enter_case "$case"; then
			bench_fail "context set-up for $case round $round (shim6ctl ctx add / set-path)"
			continue
		fi
		measure "$case" "$round"
	done
	ctx_del_static >/dev/null 2>&1
done
[ -f "$RAW/iperf3.pid" ] && kill "$(cat "$RAW/iperf3.pid")" 2>/dev/null

echo "--- $CONTEXTS contexts in one namespace (add, memory, delete)"
ip netns add bench-bulk
# More contexts than a namespace holds by default (net.shim6.max_contexts).
ip netns exec bench-bulk sysctl -qw net.shim6.max_contexts=$(( CONTEXTS + 1 ))
if ! ip netns exec bench-bulk "$CTX_BULK" --count "$CONTEXTS" >"$RAW/bulk.json" 2>"$RAW/bulk.err"; then
	bench_fail "context bulk add/delete - $(tail -n 3 "$RAW/bulk.err")"
fi
cat "$RAW/bulk.err"
ip netns del bench-bulk

complaints=$(kernel_complaints)
[ -z "$complaints" ] || bench_fail "kernel log - $(head -n 5 <<<"$complaints")"

# Medians and percentiles, the files, and the table.
python3 - "$RAW" "$OUT" "$ROUNDS" "$PINGS" "$CONTEXTS" <<'PY' || bench_fail "summary - could not compute the results"
import csv, json, math, re, statistics, sys

raw, out, rounds, pings, contexts = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
cases = ["plain", "null", "rewrite"]
targets = {"null": 0.99, "rewrite": 0.97}
memory_target = 1024

def percentile(values, p):
    """Nearest-rank percentile."""
    s = sorted(values)
    return s[max(0, min(len(s) - 1, -(-len(s) * p // 100) - 1))]

# Two-sided 95% quantiles of Student's t by degrees of freedom.
T95 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262,
       10: 2.228, 12: 2.179, 15: 2.131, 20: 2.086, 30: 2.042}

def t95(df):
    return T95[max(k for k in T95 if k <= df)]

def paired_ratio(case_runs, plain_runs):
    """Geometric mean of the per-round ratios and its 95% interval."""
    logs = [math.log(case_runs[r] / plain_runs[r]) for r in case_runs if r in plain_runs and plain_runs[r] > 0 and case_runs[r] > 0]
    if len(logs) < 2:
        return None
    mean = statistics.mean(logs)
    half = t95(len(logs) - 1) * statistics.stdev(logs) / math.sqrt(len(logs))
    return {"ratio": round(math.exp(mean), 4), "ci95_low": round(math.exp(mean - half), 4),
            "ci95_high": round(math.exp(mean + half), 4), "rounds": len(logs)}

results = {"cases": {}, "rounds": rounds}
by_round = {}
for case in cases:
    mbps, rtts = [], []
    by_round[case] = {}
    for r in range(1, rounds + 1):
        try:
            with open(f"{raw}/iperf-{case}-{r}.json") as f:
                end = json.load(f)["end"]
            mbps.append(end["sum_received"]["bits_per_second"] / 1e6)
            by_round[case][r] = mbps[-1]
        except (OSError, ValueError, KeyError):
            pass
        try:
            with open(f"{raw}/ping-{case}-{r}.txt") as f:
                rtts += [float(m) for m in re.findall(r"time=([0-9.]+) ms", f.read())]
        except OSError:
            pass
    sent = pings * rounds
    results["cases"][case] = {
        "throughput_mbps_runs": [round(v, 1) for v in mbps],
        "throughput_mbps": round(statistics.median(mbps), 1) if mbps else None,
        "rtt_ms": {
            "median": percentile(rtts, 50), "p95": percentile(rtts, 95), "p99": percentile(rtts, 99),
        } if rtts else None,
        "pings_sent": sent,
        "ping_loss_percent": round(100 * (sent - len(rtts)) / sent, 2),
    }

ratios = {}
for case, target in targets.items():
    r = paired_ratio(by_round[case], by_round["plain"]) or {"ratio": None, "ci95_low": None, "ci95_high": None, "rounds": 0}
    if r["ratio"] is None:
        verdict = "no result"
    elif r["ci95_low"] >= target:
        verdict = "met"
    elif r["ci95_high"] < target:
        verdict = "MISSED"
    else:
        verdict = "undecided"
    ratios[case] = dict(r, target=target, verdict=verdict)
results["throughput_ratio_to_plain"] = ratios

try:
    with open(f"{raw}/bulk.json") as f:
        bulk = json.load(f)
    bulk["memory_target_bytes_per_context"] = memory_target
    bulk["memory_target_met"] = bulk["sunreclaim_bytes_per_context"] <= memory_target
    bulk["rewriting_memory_target_met"] = bulk["rewriting_sunreclaim_bytes_per_context"] <= memory_target
except (OSError, ValueError, KeyError):
    bulk = None
results["contexts"] = bulk

with open(f"{out}/kernel-bench.json", "w") as f:
    json.dump(results, f, indent=2)
with open(f"{out}/kernel-bench.csv", "w", newline="") as f:
    w = csv.writer(f)
    w.writerow(["measurement", "case", "value", "unit"])
    for case, c in results["cases"].items():
        for i, v in enumerate(c["throughput_mbps_runs"], 1):
            w.writerow([f"throughput_run{i}", case, v, "Mbit/s"])
        w.writerow(["throughput_median", case, c["throughput_mbps"], "Mbit/s"])
        for k, v in (c["rtt_ms"] or {}).items():
            w.writerow([f"rtt_{k}", case, v, "ms"])
        w.writerow(["ping_loss", case, c["ping_loss_percent"], "%"])
    for case, r in ratios.items():
        w.writerow(["throughput_ratio_to_plain", case, r["ratio"], "ratio"])
        w.writerow(["throughput_ratio_ci95_low", case, r["ci95_low"], "ratio"])
        w.writerow(["throughput_ratio_ci95_high", case, r["ci95_high"], "ratio"])
    if bulk:
        for key, unit in [("add_seconds", "s"), ("add_per_second", "contexts/s"),
                          ("del_seconds", "s"), ("del_per_second", "contexts/s"),
                          ("sunreclaim_bytes_per_context", "bytes"), ("slab_bytes_per_context", "bytes"),
                          ("slab_objects_bytes_per_context", "bytes"),
                          ("memfree_drop_bytes_per_context", "bytes"),
                          ("sunreclaim_left_after_delete_bytes", "bytes"),
                          ("slab_objects_left_after_delete_bytes", "bytes"),
                          ("rewrite_seconds", "s"), ("rewrite_per_second", "contexts/s"),
                          ("rewriting_sunreclaim_bytes_per_context", "bytes"),
                          ("rewriting_slab_objects_bytes_per_context", "bytes")]:
            w.writerow([f"contexts_{key}", "bulk", bulk[key], unit])

def fmt(v, spec):
    return "n/a" if v is None else format(v, spec)

lines = [f"kernel sublayer, hA a1 -> hB b1 (median of {rounds} iperf3 runs; vs plain: mean of the rounds' ratios; "
         f"RTT over {rounds * pings} pings)",
         f"{'case':<9}{'TCP Mbit/s':>12}{'vs plain':>10}{'RTT med':>10}{'p95':>9}{'p99':>9}{'loss':>7}"]
for case, c in results["cases"].items():
    rtt = c["rtt_ms"] or {}
    ratio = ratios.get(case, {}).get("ratio")
    vs = "" if case == "plain" else (fmt(ratio * 100 if ratio else None, ".1f") + "%")
    lines.append(f"{case:<9}{fmt(c['throughput_mbps'], '.1f'):>12}{vs:>10}"
                 f"{fmt(rtt.get('median'), '.3f'):>10}{fmt(rtt.get('p95'), '.3f'):>9}"
                 f"{fmt(rtt.get('p99'), '.3f'):>9}{c['ping_loss_percent']:>6}%")
lines.append("RTT in ms.  Targets (95% interval of the ratio): " + ", ".join(
    f"{case}/plain >= {r['target'] * 100:.0f}%: {r['verdict']} "
    f"[{fmt(r['ci95_low'] and r['ci95_low'] * 100, '.1f')}, {fmt(r['ci95_high'] and r['ci95_high'] * 100, '.1f')}]"
    for case, r in ratios.items()))
if bulk:
    lines.append(f"{bulk['count']} contexts: add {bulk['add_seconds']:.2f} s ({bulk['add_per_second']:.0f}/s), "
                 f"move onto rewriting pairs {bulk['rewrite_seconds']:.2f} s ({bulk['rewrite_per_second']:.0f}/s), "
                 f"delete {bulk['del_seconds']:.2f} s ({bulk['del_per_second']:.0f}/s)")
    lines.append(f"  memory per rewriting context: {bulk['rewriting_sunreclaim_bytes_per_context']:.0f} B unreclaimable slab "
                 f"(target <= {memory_target} B {'met' if bulk['rewriting_memory_target_met'] else 'MISSED'}), "
                 f"{bulk['rewriting_slab_objects_bytes_per_context']:.0f} B in live slab objects; the move added: " + ", ".join(
                     f"{c['cache']} {c['bytes_per_context']:.0f} B" for c in bulk["rewriting_top_slab_caches"]))
    lines.append(f"  memory per context before its first rewrite: {bulk['sunreclaim_bytes_per_context']:.0f} B unreclaimable slab "
                 f"(target <= {memory_target} B {'met' if bulk['memory_target_met'] else 'MISSED'}), "
                 f"{bulk['slab_bytes_per_context']:.0f} B all slab, "
                 f"{bulk['slab_objects_bytes_per_context']:.0f} B in live slab objects, "
                 f"{bulk['memfree_drop_bytes_per_context']:.0f} B of free memory")
    lines.append("  largest slab growth per context before its first rewrite: " + ", ".join(
        f"{c['cache']} {c['bytes_per_context']:.0f} B" for c in bulk["top_slab_caches"]))
    lines.append(f"  left after deleting all: {bulk['sunreclaim_left_after_delete_bytes']} B unreclaimable slab, "
                 f"{bulk['slab_objects_left_after_delete_bytes']} B in live slab objects")
else:
    lines.append(f"{contexts} contexts: no result")
table = "\n".join(lines)
with open(f"{out}/kernel-bench.txt", "w") as f:
    f.write(table + "\n")
print(table)
complete = all(c["throughput_mbps"] and c["rtt_ms"] for c in results["cases"].values()) and bulk
sys.exit(0 if complete else 1)
PY

if [ $failed = 0 ]; then pass "kernel benchmark complete"; fi
exit $failed
