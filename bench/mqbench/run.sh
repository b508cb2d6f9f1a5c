#!/usr/bin/env bash
# mqbench side by side: the same mqbench producer runs (1 KiB sync sends; 1, 16 and 64
# threads by default) against our mqbroker and the Apache RocketMQ broker (the version
# pinned in tests/interop/java/pom.xml, JVM options of its distribution's runbroker.sh),
# both up at once on this machine, each registered with its own mqnamesrv (so a new
# topic's route holds one broker only) and configured alike (ASYNC_FLUSH, ASYNC_MASTER,
# default segment sizes, topics auto-created with 4 queues). Each broker first gets a
# warm-up run (the JIT's); then for each thread count the two are measured one after the
# other, never at the same time, each on a fresh topic. Last, one e2e run per broker
# (mqbench e2e: E2E_THREADS sync senders and a push consumer in one process, fresh topic
# and group): the end-to-end latency from send to the consumer's listener.
#
# usage: bench/mqbench/run.sh [seconds=10] [threads="1 16 64"] [size=1024]
#   APACHE_HEAP   JVM heap options of the Apache broker (default runbroker.sh's
#                 "-Xms8g -Xmx8g"; lower it on a small or shared machine)
#   E2E_THREADS   sending threads of the e2e runs (default 4)
#   OUT           where the JSON lines go (default $RMQ_BUILD/bench-mqbench.jsonl)
# Prints a Markdown table with ratios (ours / Apache) and each broker's memory after
# the run, then a table of the e2e runs.
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-10} THREADS=${2:-"1 16 64"} SIZE=${3:-1024}
E2E_THREADS=${E2E_THREADS:-4}
BUILD=${RMQ_BUILD:-build}
OUT=${OUT:-$BUILD/bench-mqbench.jsonl}
APACHE_HEAP=${APACHE_HEAP:-"-Xms8g -Xmx8g"}
source bench/lib.sh
WAIT_PORT_TRIES=900
cleanup() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for _ in $(seq 50); do
        local alive=0
        for p in "${PIDS[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        [ "$alive" = 0 ] && break
        sleep 0.1
    done
    for p in "${PIDS[@]}"; do { kill -9 "$p" && wait "$p"; } 2>/dev/null || true; done
    rm -rf "$WORK"
}
trap cleanup EXIT

scripts/install-java-deps.sh >/dev/null
cmake -S . -B "$BUILD" -G Ninja >/dev/null && ninja -C "$BUILD" mqnamesrv mqbroker mqbench >/dev/null
CP=$(cat tests/interop/java/target/classpath.txt)
MQBENCH=$BUILD/tools/mqbench
: >"$OUT"

start_namesrv() { # start_namesrv NAME -> prints its port
    local port
    port=$(free_port)
    mkdir -p "$WORK/$1"
    printf 'listenPort=%s\nbindAddress=127.0.0.1\nkvConfigPath=%s/%s/kv.json\n' "$port" "$WORK" "$1" >"$WORK/$1/ns.conf"
    "$BUILD"/programs/mqnamesrv -c "$WORK/$1/ns.conf" >"$WORK/$1/ns.log" 2>&1 &
    PIDS+=($!)
    wait_port "$port" || { echo "NameServer $1 not listening on port $port" >&2; exit 1; }
    echo "$port"
}

broker_conf() { # broker_conf NAME PORT NAMESRV_PORT
    mkdir -p "$WORK/$1/store"
    cat >"$WORK/$1/broker.conf" <<CONF
brokerClusterName=BenchCluster
brokerName=bench-$1
brokerId=0
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
bindAddress=127.0.0.1
listenPort=$2
haListenPort=$(($2 + 1))
namesrvAddr=127.0.0.1:$3
storePathRootDir=$WORK/$1/store
storePathCommitLog=$WORK/$1/store/commitlog
flushDiskType=ASYNC_FLUSH
brokerRole=ASYNC_MASTER
autoCreateTopicEnable=true
CONF
}

# The route of TBW102 appears once the broker registered (Apache's first registration
# may wait for its 10 s timer): a 1-message run succeeds then.
wait_registered() { # wait_registered NAMESRV_PORT
    for _ in $(seq 60); do
        "$MQBENCH" producer -n 127.0.0.1:"$1" -t BenchWarmup -w 1 -c 1 -d 5 -q >/dev/null 2>&1 && return 0
        sleep 1
    done
    echo "broker on namesrv $1 never registered" >&2
    return 1
}

apache_ns=$(start_namesrv ns-apache)
ours_ns=$(start_namesrv ns-ours)

port=$(free_port)
broker_conf apache "$port" "$apache_ns"
# shellcheck disable=SC2086
ROCKETMQ_HOME=$WORK/apache java -server $APACHE_HEAP -XX:+UseG1GC -XX:G1HeapRegionSize=16m \
    -XX:G1ReservePercent=25 -XX:InitiatingHeapOccupancyPercent=30 -XX:SoftRefLRUPolicyMSPerMB=0 \
    -XX:-OmitStackTraceInFastThrow -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=15g \
    -XX:-UseLargePages -Djava.net.preferIPv4Stack=true -Duser.home="$WORK/apache" \
    -cp "$CP" org.apache.rocketmq.broker.BrokerStartup -c "$WORK/apache/broker.conf" \
    >"$WORK/apache.log" 2>&1 &
PIDS+=($!)
apache_pid=$!
wait_port "$port" || { echo "nothing listens on port $port" >&2; exit 1; }

port=$(free_port)
broker_conf ours "$port" "$ours_ns"
HOME=$WORK/ours "$BUILD"/programs/mqbroker -c "$WORK/ours/broker.conf" >"$WORK/ours.log" 2>&1 &
PIDS+=($!)
ours_pid=$!
wait_port "$port" || { echo "nothing listens on port $port" >&2; exit 1; }

wait_registered "$apache_ns"
wait_registered "$ours_ns"

# run NAME NAMESRV_PORT THREADS SECONDS TAG BROKER_PID [MODE]: one mqbench run (MODE
# producer by default, or e2e), its JSON and the broker's memory right after it (RSS;
# RssAnon: its own memory without the mapped CommitLog's page cache) appended to $OUT.
run() {
    local mode=${7:-producer} json=$WORK/$1-$3-$5.json topic=Bench_$5_$3_$RANDOM
    "$MQBENCH" "$mode" -n 127.0.0.1:"$2" -t "$topic" -g "G$topic" -s "$SIZE" -w "$3" -d "$4" \
        -q --json "$json" >&2 || echo "mqbench $mode against $1 reported errors" >&2
    [ "$5" = warmup ] ||
        echo "{\"server\":\"$1\",\"rss_kb\":$(mem_kb "$6" VmRSS),\"anon_kb\":$(mem_kb "$6" RssAnon),\"result\":$(cat "$json")}" >>"$OUT"
}

echo "warm-up: 5 s of 16 threads on each broker" >&2
run apache "$apache_ns" 16 5 warmup "$apache_pid"
run rocketmq-c "$ours_ns" 16 5 warmup "$ours_pid"
for t in $THREADS; do
    echo "$t threads, $SECS s each" >&2
    run apache "$apache_ns" "$t" "$SECS" run "$apache_pid"
    run rocketmq-c "$ours_ns" "$t" "$SECS" run "$ours_pid"
done
echo "e2e: $E2E_THREADS threads, $SECS s each" >&2
run apache "$apache_ns" "$E2E_THREADS" "$SECS" e2e "$apache_pid" e2e
run rocketmq-c "$ours_ns" "$E2E_THREADS" "$SECS" e2e "$ours_pid" e2e

python3 - "$OUT" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
e2e = {r["server"]: r["result"] for r in rows if r["result"]["mode"] == "e2e"}
rows = [r for r in rows if r["result"]["mode"] == "producer"]
def key(r): return r["result"]["config"]["threads"]
by = {}
for r in rows:
    r["result"]["mem"] = (r["rss_kb"], r["anon_kb"])
    by.setdefault(key(r), {})[r["server"]] = r["result"]
def ms(us): return f"{us / 1000:.2f}"
print("| threads | Apache msg/s | rocketmq-c msg/s | ratio | Apache p50 / p99 / p99.9 ms "
      "| rocketmq-c p50 / p99 / p99.9 ms | p99 ratio | RSS / anon MiB (A) | RSS / anon MiB (C) "
      "| errors (A / C) |")
print("|---|---|---|---|---|---|---|---|---|---|")
def mem(x): return f"{x['mem'][0] / 1024:,.0f} / {x['mem'][1] / 1024:,.1f}"
for t in sorted(by):
    a, c = by[t].get("apache"), by[t].get("rocketmq-c")
    if not a or not c:
        continue
    la, lc = a["latency_us"], c["latency_us"]
    tps_ratio = c["totals"]["tps"] / max(a["totals"]["tps"], 1e-9)
    p99_ratio = lc["p99"] / max(la["p99"], 1)
    print(f"| {t} | {a['totals']['tps']:,.0f} | {c['totals']['tps']:,.0f} | **{tps_ratio:.2f}x** "
          f"| {ms(la['p50'])} / {ms(la['p99'])} / {ms(la['p99_9'])} "
          f"| {ms(lc['p50'])} / {ms(lc['p99'])} / {ms(lc['p99_9'])} | {p99_ratio:.2f} "
          f"| {mem(a)} | {mem(c)} | {a['totals']['errors']} / {c['totals']['errors']} |")
if "apache" in e2e and "rocketmq-c" in e2e:
    print()
    print("| e2e | sent msg/s | received msg/s | received / sent | e2e p50 / p99 / p99.9 / max ms "
          "| send p50 / p99 ms | errors |")
    print("|---|---|---|---|---|---|---|")
    for name, label in (("apache", "Apache"), ("rocketmq-c", "rocketmq-c")):
        x = e2e[name]
        le, ls = x["e2e_latency_us"], x["latency_us"]
        print(f"| {label} ({x['config']['threads']} threads) | {x['totals']['tps']:,.0f} "
              f"| {x['received']['tps']:,.0f} "
              f"| {x['received']['messages']:,} / {x['totals']['messages']:,} "
              f"| {ms(le['p50'])} / {ms(le['p99'])} / {ms(le['p99_9'])} / {ms(le['max'])} "
              f"| {ms(ls['p50'])} / {ms(ls['p99'])} | {x['totals']['errors']} |")
PY
