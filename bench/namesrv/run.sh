#!/usr/bin/env bash
# NameServer benchmark: route queries per second and RSS of our mqnamesrv against the
# Apache RocketMQ NameServer (the version pinned in tests/interop/java/pom.xml, started
# with the JVM options of its distribution's runserver.sh), one after the other on this
# machine with the same load generator (bench/namesrv/route_bench.c) and parameters.
#
# usage: bench/namesrv/run.sh [seconds=10] [conns=8] [window=32] [topics=100]
# Prints a Markdown table row per server and the ratios; JSON lines go to $OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECONDS_RUN=${1:-10} CONNS=${2:-8} WINDOW=${3:-32} TOPICS=${4:-100}
BUILD=${RMQ_BUILD:-build}
OUT=${OUT:-$BUILD/bench-namesrv.jsonl}
source bench/lib.sh
WAIT_PORT_TRIES=300

scripts/install-java-deps.sh >/dev/null
cmake -S . -B "$BUILD" -G Ninja >/dev/null && ninja -C "$BUILD" mqnamesrv namesrv_route_bench >/dev/null
CP=$(cat tests/interop/java/target/classpath.txt)
BENCH=$BUILD/bench/namesrv_route_bench
: > "$OUT"


measure() { # measure NAME PID PORT
    local name=$1 pid=$2 port=$3
    wait_port "$port"
    "$BENCH" 127.0.0.1:"$port" "$CONNS" "$WINDOW" 5 "$TOPICS" >/dev/null # warm-up (JIT)
    local result; result=$("$BENCH" 127.0.0.1:"$port" "$CONNS" "$WINDOW" "$SECONDS_RUN" "$TOPICS")
    local rss; rss=$(mem_kb "$pid" VmRSS)
    echo "{\"server\":\"$name\",\"rss_kb\":$rss,\"result\":$result}" | tee -a "$OUT"
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

# Apache NameServer, JVM options as distribution/bin/runserver.sh gives them for Java 17.
port=$(free_port)
echo "listenPort=$port" > "$WORK/apache.conf"
ROCKETMQ_HOME=$WORK java -server -Xms4g -Xmx4g -XX:MetaspaceSize=128m -XX:MaxMetaspaceSize=320m \
    -XX:+UseG1GC -XX:G1HeapRegionSize=16m -XX:G1ReservePercent=25 \
    -XX:InitiatingHeapOccupancyPercent=30 -XX:SoftRefLRUPolicyMSPerMB=0 \
    -XX:-OmitStackTraceInFastThrow -XX:-UseLargePages -Duser.home="$WORK" \
    -cp "$CP" org.apache.rocketmq.namesrv.NamesrvStartup -c "$WORK/apache.conf" \
    > "$WORK/apache.log" 2>&1 &
PIDS+=($!)
measure apache $! "$port"

port=$(free_port)
printf 'listenPort=%s\nkvConfigPath=%s/kv.json\n' "$port" "$WORK" > "$WORK/ours.conf"
"$BUILD"/programs/mqnamesrv -c "$WORK/ours.conf" > "$WORK/ours.log" 2>&1 &
PIDS+=($!)
measure rocketmq-c $! "$port"

python3 - "$OUT" <<'PY'
import json, sys
rows = {r["server"]: r for r in map(json.loads, open(sys.argv[1]))}
a, o = rows["apache"], rows["rocketmq-c"]
print("| server | route queries/s | RSS after load |")
print("|---|---|---|")
for r in (a, o):
    print(f"| {r['server']} | {r['result']['qps']:,.0f} | {r['rss_kb']/1024:.1f} MiB |")
print(f"\nQPS ratio {o['result']['qps']/a['result']['qps']:.2f}x, "
      f"RSS ratio 1/{a['rss_kb']/o['rss_kb']:.0f}")
PY
