#!/usr/bin/env bash
# Apache RocketMQ's own benchmark programs against both brokers: the official
# org.apache.rocketmq.example.benchmark.Producer (bench/broker/java/pom.xml) with 1, 16
# and 64 sync sending threads of 1 KiB messages, then Producer (16 threads) and the
# official Consumer (push consumer, 20 threads) together. The Apache broker first, then
# ours, each on a fresh store, both registered with our mqnamesrv (bench/broker/lib.sh);
# each run is bounded by `timeout`. Topic BenchmarkTest (8 queues) is created with
# Apache's mqadmin first. The programs print a report every 2 s (-ri); Send TPS and
# Average RT there are over the last 10 one-second snapshots, Max RT and the failure
# counts since the start, so each run's row is its last report: with 20 s runs, the
# second half (after JIT warm-up and route look-up). RSS and RssAnon of the broker are
# read after each run.
#
# usage: [FLUSH=SYNC_FLUSH] bench/broker/official.sh [seconds=20] ["threads ..."="1 16 64"]
# Prints a Markdown table; every output line of the Java programs goes to $OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-20} THREADS=${2:-"1 16 64"}
BUILD=${RMQ_BUILD:-build}
OUT=${OUT:-$BUILD/bench-official.txt}
source bench/lib.sh

scripts/install-java-deps.sh >/dev/null
cmake -S . -B "$BUILD" -G Ninja >/dev/null && ninja -C "$BUILD" mqnamesrv mqbroker >/dev/null
jdir=bench/broker/java
if [ ! -s "$jdir/target/classpath.txt" ] || [ "$jdir/pom.xml" -nt "$jdir/target/classpath.txt" ]; then
    mvn -q -B -o -f "$jdir/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
        -Dmdep.outputFile="$PWD/$jdir/target/classpath.txt" >/dev/null 2>&1 ||
        mvn -q -B -f "$jdir/pom.xml" dependency:build-classpath -Dmdep.includeScope=runtime \
            -Dmdep.outputFile="$PWD/$jdir/target/classpath.txt"
fi
BCP=$(cat "$jdir/target/classpath.txt")
: > "$OUT"
source bench/broker/lib.sh
start_namesrv
ROWS=$WORK/rows.jsonl

bench_java() { # bench_java CLASS LOG ARGS...: runs for SECS, output to LOG and $OUT
    local cls=$1 log=$2
    shift 2
    timeout -k 5 "$((SECS + 3))" java -Xms1g -Xmx1g -Duser.home="$WORK" -cp "$BCP" \
        "org.apache.rocketmq.example.benchmark.$cls" -n "127.0.0.1:$ns_port" -ri 2000 "$@" \
        > "$log" 2>&1 || true
}

row() { # row SERVER LOAD: summarises $WORK/p.log (and c.log) into one JSON line
    python3 - "$1" "$2" "$WORK/p.log" "$WORK/c.log" "$(mem_kb "$broker_pid" VmRSS)" \
        "$(mem_kb "$broker_pid" RssAnon)" "$FLUSH" >> "$ROWS" <<'PY'
import json, re, sys, os
server, load, plog, clog, rss, anon, flush = sys.argv[1:8]
def last_report(path, key):
    last = None
    if os.path.exists(path):
        for line in open(path, errors="replace"):
            if "Current Time" in line and key in line:
                last = {k.strip(): v.strip() for k, v in
                        (f.split(":", 1) for f in line.split("|")[1:])}
    return last or {}
p = last_report(plog, "Send TPS")
c = last_report(clog, "Consume TPS")
row = {"server": server, "load": load, "flush": flush,
       "send_tps": float(p.get("Send TPS", 0)),
       "max_rt_ms": int(p.get("Max RT(ms)", 0)),
       "avg_rt_ms": float(p.get("Average RT(ms)", 0)),
       "send_failed": int(p.get("Send Failed", 0)),
       "response_failed": int(p.get("Response Failed", 0)),
       "consume_tps": float(c.get("Consume TPS", 0)),
       "consume_avg_s2c_ms": float(c.get("AVG(S2C) RT(ms)", 0)),
       "rss_kb": int(rss), "anon_kb": int(anon)}
print(json.dumps(row))
PY
}

measure() { # measure NAME
    local name=$1 t
    start_broker "$name"
    timeout 60 java -Duser.home="$WORK" -cp "$CP" org.apache.rocketmq.tools.command.MQAdminStartup \
        updateTopic -n "127.0.0.1:$ns_port" -b "127.0.0.1:$broker_port" -t BenchmarkTest \
        -r 8 -w 8 > "$WORK/admin.log" 2>&1
    sleep 2 # the route reaches the NameServer
    for t in $THREADS; do
        rm -f "$WORK/c.log"
        bench_java Producer "$WORK/p.log" -t BenchmarkTest -w "$t" -s 1024
        { echo "== $name $FLUSH Producer -w $t -s 1024"; cat "$WORK/p.log"; } >> "$OUT"
        row "$name" "Producer -w $t"
    done
    # Produce and consume together (the consumer subscribes first, from the queue ends).
    bench_java Consumer "$WORK/c.log" -t BenchmarkTest -g bench_consumer -w 20 &
    local cpid=$!
    sleep 5
    bench_java Producer "$WORK/p.log" -t BenchmarkTest -w 16 -s 1024
    wait "$cpid" || true
    { echo "== $name $FLUSH Producer -w 16 + Consumer -w 20"; cat "$WORK/p.log" "$WORK/c.log"; } >> "$OUT"
    row "$name" "Producer -w 16 + Consumer"
    stop_broker
}

measure apache
measure rocketmq-c

python3 - "$ROWS" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| server | flush | load | Send TPS | Max RT ms | Average RT ms | Send/Response Failed | Consume TPS | RSS MiB | anon MiB |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r['server']} | {r['flush']} | {r['load']} | {r['send_tps']:,.0f} | {r['max_rt_ms']} | "
          f"{r['avg_rt_ms']:.3f} | {r['send_failed']}/{r['response_failed']} | {r['consume_tps']:,.0f} | "
          f"{r['rss_kb']/1024:.0f} | {r['anon_kb']/1024:.1f} |")
PY
