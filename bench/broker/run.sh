#!/usr/bin/env bash
# Broker benchmark: 1 KiB SEND_MESSAGE_V2 throughput, latency percentiles and memory of
# our mqbroker against the Apache RocketMQ broker (the version pinned in
# tests/interop/java/pom.xml, JVM options of its distribution's runbroker.sh), one after
# the other on this machine, same load generator (bench/broker/send_bench.c), same
# broker.conf (ASYNC_FLUSH, default segment sizes), both registered with our mqnamesrv.
#
# usage: bench/broker/run.sh [seconds=10] [size=1024] ["conns:window ..."="1:1 4:16 16:16"]
# Prints a Markdown table; JSON lines go to $OUT.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10} SIZE=${2:-1024} LOADS=${3:-"1:1 4:16 16:16"}
BUILD=${RMQ_BUILD:-build}
OUT=${OUT:-$BUILD/bench-broker.jsonl}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

scripts/install-java-deps.sh >/dev/null
cmake -S . -B "$BUILD" -G Ninja >/dev/null && ninja -C "$BUILD" mqnamesrv mqbroker broker_send_bench >/dev/null
CP=$(cat tests/interop/java/target/classpath.txt)
BENCH=$BUILD/bench/broker_send_bench
: > "$OUT"

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 600); do (echo > /dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }
mem_kb() { awk -v k="$2" '$1 == k":" {print $2}' /proc/"$1"/status; }

ns_port=$(free_port)
printf 'listenPort=%s\nbindAddress=127.0.0.1\nkvConfigPath=%s/kv.json\n' "$ns_port" "$WORK" > "$WORK/ns.conf"
"$BUILD"/programs/mqnamesrv -c "$WORK/ns.conf" > "$WORK/ns.log" 2>&1 &
PIDS+=($!)
wait_port "$ns_port"

broker_conf() { # broker_conf NAME PORT
    mkdir -p "$WORK/$1/store"
    cat > "$WORK/$1/broker.conf" <<CONF
brokerClusterName=BenchCluster
brokerName=bench-$1
brokerId=0
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$2
namesrvAddr=127.0.0.1:$ns_port
storePathRootDir=$WORK/$1/store
storePathCommitLog=$WORK/$1/store/commitlog
flushDiskType=ASYNC_FLUSH
brokerRole=ASYNC_MASTER
autoCreateTopicEnable=true
CONF
}

measure() { # measure NAME PID PORT
    local name=$1 pid=$2 port=$3 load
    wait_port "$port"
    for load in $LOADS; do
        local c=${load%%:*} w=${load##*:} result
        result=$("$BENCH" 127.0.0.1:"$port" "$c" "$w" "$SECS" "$SIZE" 3)
        echo "{\"server\":\"$name\",\"rss_kb\":$(mem_kb "$pid" VmRSS),\"anon_kb\":$(mem_kb "$pid" RssAnon),\"result\":$result}" | tee -a "$OUT"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

port=$(free_port)
broker_conf apache "$port"
ROCKETMQ_HOME=$WORK/apache java -server -Xms8g -Xmx8g -XX:+UseG1GC -XX:G1HeapRegionSize=16m \
    -XX:G1ReservePercent=25 -XX:InitiatingHeapOccupancyPercent=30 -XX:SoftRefLRUPolicyMSPerMB=0 \
    -XX:-OmitStackTraceInFastThrow -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=15g \
    -XX:-UseLargePages -Duser.home="$WORK/apache" \
    -cp "$CP" org.apache.rocketmq.broker.BrokerStartup -c "$WORK/apache/broker.conf" \
    > "$WORK/apache.log" 2>&1 &
PIDS+=($!)
measure apache $! "$port"

port=$(free_port)
broker_conf ours "$port"
HOME=$WORK/ours "$BUILD"/programs/mqbroker -c "$WORK/ours/broker.conf" > "$WORK/ours.log" 2>&1 &
PIDS+=($!)
measure rocketmq-c $! "$port"

python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print("| server | conns x window | sends/s | p50 us | p99 us | p99.9 us | max us | RSS MiB | anon MiB |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    x = r["result"]
    print(f"| {r['server']} | {x['conns']} x {x['window']} | {x['tps']:,.0f} | {x['p50_us']:.0f} | "
          f"{x['p99_us']:.0f} | {x['p999_us']:.0f} | {x['max_us']:.0f} | {r['rss_kb']/1024:.0f} | {r['anon_kb']/1024:.0f} |")
a = [r for r in rows if r["server"] == "apache"]
o = [r for r in rows if r["server"] == "rocketmq-c"]
for ra, ro in zip(a, o):
    xa, xo = ra["result"], ro["result"]
    print(f"\n{xo['conns']} x {xo['window']}: throughput {xo['tps']/xa['tps']:.2f}x, "
          f"p99.9 {xo['p999_us']/max(xa['p999_us'],1):.2f} of Apache's, "
          f"anonymous memory 1/{ra['anon_kb']/max(ro['anon_kb'],1):.0f}", end="")
print()
PY
