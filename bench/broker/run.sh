#!/usr/bin/env bash
# Broker benchmark: 1 KiB SEND_MESSAGE_V2 throughput, latency percentiles and memory of
# our mqbroker against the Apache RocketMQ broker (the version pinned in
# tests/interop/java/pom.xml, JVM options of its distribution's runbroker.sh), one after
# the other on this machine, same load generator (bench/broker/send_bench.c), same
# broker.conf (flushDiskType from $FLUSH, default ASYNC_FLUSH; default segment sizes), both
# registered with our mqnamesrv (bench/broker/lib.sh).
#
# usage: [FLUSH=SYNC_FLUSH] bench/broker/run.sh [seconds=10] [size=1024] ["conns:window[:pullers[:rate]] ..."]
#   default loads: 1:1 4:16 16:16 1:64 16:64 4:16:2 (the last one produce+consume: two
#   pulling connections consume the 8 queues while the sends go on). A rate (sends a
#   second) makes the load open-loop at that rate, window capping what is in flight per
#   connection (see send_bench.c), e.g. 4:256:0:20000.
# Prints a Markdown table; JSON lines go to $OUT. Every run is bounded (timeout).
# SERVERS=rocketmq-c measures our broker only (e.g. to compare builds).
# SETTLE=20: seconds between the servers, so that memory the first one freed has gone
# back to the host (free page reporting) before the second starts: page cache built on
# memory still backed costs a tenth (docs/performance.md, "Tail latency, part 3").
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10} SIZE=${2:-1024} LOADS=${3:-"1:1 4:16 16:16 1:64 16:64 4:16:2"}
BUILD=${RMQ_BUILD:-build}
OUT=${OUT:-$BUILD/bench-broker.jsonl}
source bench/lib.sh

scripts/install-java-deps.sh >/dev/null
cmake -S . -B "$BUILD" -G Ninja >/dev/null && ninja -C "$BUILD" mqnamesrv mqbroker broker_send_bench >/dev/null
BENCH=$BUILD/bench/broker_send_bench
: > "$OUT"

source bench/broker/lib.sh
start_namesrv

measure() { # measure NAME
    local name=$1 load
    start_broker "$name"
    for load in $LOADS; do
        IFS=: read -r c w p rate <<< "$load"
        local result
        # Exit status 1 only says some sends failed (e.g. SYSTEM_BUSY): counted in "errors".
        result=$(timeout $((SECS + 60)) "$BENCH" 127.0.0.1:"$broker_port" "$c" "$w" "$SECS" "$SIZE" 3 "${p:-0}" "${rate:-0}") || true
        [ -n "$result" ] || { echo "$name $load: no result" >&2; continue; }
        echo "{\"server\":\"$name\",\"flush\":\"$FLUSH\",\"rss_kb\":$(mem_kb "$broker_pid" VmRSS),\"anon_kb\":$(mem_kb "$broker_pid" RssAnon),\"result\":$result}" | tee -a "$OUT"
    done
    stop_broker
}

first=1
for server in ${SERVERS:-apache rocketmq-c}; do
    [ "$first" = 1 ] || sleep "${SETTLE:-20}"
    first=0
    measure "$server"
done

python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| server | flush | conns x window | pullers | rate | sends/s | errors | pulled/s | p50 us | p99 us | p99.9 us | max us | RSS MiB | anon MiB |")
print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    x = r["result"]
    rate = f"{x['rate']:,.0f}" if x.get("rate") else "closed"
    print(f"| {r['server']} | {r['flush']} | {x['conns']} x {x['window']} | {x['pullers']} | {rate} | {x['tps']:,.0f} | {x['errors']} | "
          f"{x['pulled_per_s']:,.0f} | {x['p50_us']:.0f} | {x['p99_us']:.0f} | {x['p999_us']:.0f} | "
          f"{x['max_us']:.0f} | {r['rss_kb']/1024:.0f} | {r['anon_kb']/1024:.1f} |")
a = [r for r in rows if r["server"] == "apache"]
o = [r for r in rows if r["server"] == "rocketmq-c"]
for ra, ro in zip(a, o):
    xa, xo = ra["result"], ro["result"]
    print(f"\n{xo['conns']} x {xo['window']} pullers {xo['pullers']}: throughput {xo['tps']/xa['tps']:.2f}x, "
          f"p99.9 {xo['p999_us']/max(xa['p999_us'],1):.2f} of Apache's, "
          f"anonymous memory 1/{ra['anon_kb']/max(ro['anon_kb'],1):.0f}", end="")
print()
PY
