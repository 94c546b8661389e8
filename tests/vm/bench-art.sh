#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The application recovery time (ART) benchmark of `make bench`, inside the
# guest.  A shim6-art TCP stream (a 16-octet record every ms) from hA's
# ULID to hB's, shim6d on both hosts; the router drops the pair in use in
# both directions; ART is the receiver's longest silence (last record before
# the failure to first after).  Then the path is restored and the next
# failure hits the pair the context moved to.  For each REAP Send Timeout
# (Tsend) of ART_TSEND (default 1 2 3 5 10), with the module's PATH_UPDATE
# on and off (net.shim6.path_update; ART_PATH_UPDATE, default "1 0"),
# ART_FAILURES failures (default 20).  For comparison, the same
# failure under upstream MPTCP without Shim6: an MPTCP stream a1 -> b1 with
# a backup subflow a2 -> b1, a1 <-> b1 dropped; ART_FAILURES times, a fresh
# connection each.
#
# Results in $BENCH_OUT (default bench-results/): art.csv (one row per
# failure), art-summary.csv (median and p95 per case) and art.txt (the
# table printed at the end).  A failure that does not recover within its
# limit is recorded as lost ("no recovery") and counted in the table.
set -u
REPO=$(cd "$(dirname "$0")/../.." && pwd)
export REPO
. "$REPO/tests/vm/lib.sh"
. "$REPO/tests/vm/failover.sh"
SCENARIO=bench-art

OUT=${BENCH_OUT:-$REPO/bench-results}
read -r -a TSENDS <<<"${ART_TSEND:-1 2 3 5 10}"
read -r -a PATH_UPDATES <<<"${ART_PATH_UPDATE:-1 0}"
FAILURES=${ART_FAILURES:-20}
RAW=/tmp/shim6-art-bench.csv

echo "guest: $(uname -r), $(nproc) cpus (ART benchmark: Tsend ${TSENDS[*]}, PATH_UPDATE ${PATH_UPDATES[*]}, $FAILURES failures each)"
mkdir -p "$OUT" || exit 1
echo "case,tsend_s,path_update,failure,art_ms,pair_before,pair_after" >"$RAW"
topo_down
topo_up || { fail "topology - could not build hA/rt/hB"; exit 1; }
insmod "$SHIM6_KO" || { fail "insmod $SHIM6_KO failed"; exit 1; }

# record CASE TSEND PATH_UPDATE N ART_MS BEFORE AFTER
record() { echo "$1,$2,$3,$4,$5,$6,$7" >>"$RAW"; }

# shim6_case TSEND PATH_UPDATE: one stream, FAILURES failures.
shim6_case() {
	local tsend=$1 pu=$2 ns i before after gap limit name=s${1}p${2}
	limit=$((tsend * 3 + 20))
	for ns in hA hB; do ip netns exec "$ns" sysctl -q -w net.shim6.path_update="$pu" || return 1; done
	failover_start "timers.send_timeout_secs = $tsend" "timers.keepalive_timeout_secs = $(( tsend > 1 ? tsend / 2 : 1 ))" &&
		failover_stream "$name" $((7100 + tsend * 2 + pu)) || { failover_cleanup; return 1; }
	local misses=0
	for i in $(seq 1 "$FAILURES"); do
		# Let the stream run on the new pair for a moment, then read the
		# pair in use right before breaking it.
		sleep 1
		before=$(ctx_pair hA "$TAG_A")
		t_break=$(now_unix)
		"$PATHSIM" break $before --duplex
		gap=$(art_wait_gap "$name" "$t_break" "$limit")
		after=$(ctx_pair hA "$TAG_A")
		"$PATHSIM" restore $before --duplex
		record shim6 "$tsend" "$pu" "$i" "${gap:-}" "${before/ />}" "${after/ />}"
		printf '   Tsend %2s s, PATH_UPDATE %s, failure %2d: %s (%s -> %s, at %s s)\n' \
			"$tsend" "$pu" "$i" "${gap:+$gap ms}" "$before" "$after" "$SECONDS"
		if [ -n "$gap" ]; then
			misses=0
		else
			printf '      no recovery within %s s\n' "$limit"
			misses=$((misses + 1))
			[ "$misses" -lt 3 ] || { printf '      three in a row: this case stops\n'; break; }
		fi
	done
	failover_cleanup
}

# mptcp_case: FAILURES fresh MPTCP connections a1 -> b1, each losing a1 <-> b1.
mptcp_case() {
	local ns i gap subflows name
	for ns in hA hB; do
		ip netns exec "$ns" sysctl -q -w net.mptcp.enabled=1
		ip -n "$ns" mptcp endpoint flush
		ip -n "$ns" mptcp limits set subflow 2 add_addr_accepted 2 || return 1
	done
	ip -n hA mptcp endpoint add "$(loc a2)" dev a2 subflow backup || return 1
	for i in $(seq 1 "$FAILURES"); do
		name=mptcp$i
		# MPTCP may move to the backup within a few hundred ms: finer gaps.
		art_server hB "[$(loc b1)]:$((7200 + i))" "$name" --mptcp --min-gap-ms 20 || return 1
		art_client hA "$(loc a1)" "[$(loc b1)]:$((7200 + i))" "$name" --mptcp
		art_wait_flowing "$name" 10 || { fail "mptcp stream $i does not flow"; art_stop "$name" >/dev/null; return 1; }
		sleep 1
		subflows=$(ip netns exec hA ss -tnH state established dst "[$(loc b1)]:$((7200 + i))" | wc -l)
		t_break=$(now_unix)
		"$PATHSIM" break a1 b1 --duplex
		gap=$(art_wait_gap "$name" "$t_break" 60)
		art_stop "$name" >/dev/null
		"$PATHSIM" restore a1 b1 --duplex
		record mptcp "" "" "$i" "${gap:-}" "a1>b1" "a2>b1"
		printf '   MPTCP failure %2d: %s (%s subflows)\n' "$i" "${gap:+$gap ms}" "$subflows"
		[ "$subflows" = 2 ] || echo "      note: $subflows subflows instead of 2 (the backup a2 -> b1 missing)"
		[ -n "$gap" ] || { printf '      no recovery within 60 s\n'; break; }
	done
	ip -n hA mptcp endpoint flush
}

failed=0
for pu in "${PATH_UPDATES[@]}"; do
	case $pu in 0|1) ;; *) fail "ART_PATH_UPDATE - '$pu' is neither 0 nor 1"; exit 1 ;; esac
done
# The target's cases (PATH_UPDATE on) first, then MPTCP, then the rest;
# the rows so far are copied out after each case, so a run cut short
# still leaves them in art.csv.
run_shim6() { # PATH_UPDATE
	local tsend
	for tsend in "${TSENDS[@]}"; do
		echo "== Tsend $tsend s, PATH_UPDATE $([ "$1" = 1 ] && echo on || echo off) (at ${SECONDS} s)"
		shim6_case "$tsend" "$1" || { fail "shim6 Tsend $tsend path_update $1 - the stream did not start"; failed=1; }
		cp "$RAW" "$OUT/art.csv"
	done
}
wants_path_update() { [[ " ${PATH_UPDATES[*]} " == *" $1 "* ]]; }
wants_path_update 1 && run_shim6 1
echo "== MPTCP (backup subflow a2 -> b1), no Shim6 (at ${SECONDS} s)"
mptcp_case || { fail "mptcp - set-up failed"; failed=1; }
cp "$RAW" "$OUT/art.csv"
wants_path_update 0 && run_shim6 0
rmmod shim6
echo "== done in ${SECONDS} s"

cp "$RAW" "$OUT/art.csv"
python3 - "$OUT/art.csv" "$OUT/art-summary.csv" "$OUT/art.txt" "$FAILURES" <<'PY' || { fail "summary - could not compute the results"; failed=1; }
import csv, statistics, sys

raw, summary_path, text_path, wanted = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])

def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]

cases = {}
with open(raw) as f:
    for row in csv.DictReader(f):
        key = (row["case"], row["tsend_s"], row["path_update"])
        cases.setdefault(key, []).append(float(row["art_ms"]) if row["art_ms"] else None)

def order(key):
    case, tsend, pu = key
    return (case != "shim6", float(tsend or 0), pu != "1")

lines = ["ART (application recovery time, ms) per failure of the pair in use",
         "%-28s %8s %8s %8s %8s %10s" % ("case", "Tsend s", "n", "median", "p95", "no recov."),]
rows = []
for key in sorted(cases, key=order):
    case, tsend, pu = key
    arts = [a for a in cases[key] if a is not None]
    lost = len(cases[key]) - len(arts)
    name = "shim6, PATH_UPDATE " + ("on" if pu == "1" else "off") if case == "shim6" else "MPTCP, backup subflow"
    median = statistics.median(arts) if arts else None
    high = p95(arts) if arts else None
    rows.append({"case": case, "tsend_s": tsend, "path_update": pu, "n": len(arts),
                 "no_recovery": lost, "median_ms": median, "p95_ms": high})
    lines.append("%-28s %8s %8d %8s %8s %10d" % (name, tsend or "-", len(arts),
                 "%.0f" % median if arts else "-", "%.0f" % high if arts else "-", lost))
target = [r for r in rows if r["case"] == "shim6" and r["path_update"] == "1" and r["median_ms"] is not None]
met = [r for r in target if r["median_ms"] <= float(r["tsend_s"]) * 1000 + 200]
lines.append("target, PATH_UPDATE on: median <= Tsend + 200 ms: met for Tsend %s of %s"
             % (", ".join(r["tsend_s"] for r in met) or "none", ", ".join(r["tsend_s"] for r in target)))
with open(summary_path, "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
    w.writeheader()
    w.writerows(rows)
with open(text_path, "w") as f:
    f.write("\n".join(lines) + "\n")
print("\n".join(lines))
PY
exit "$failed"
