#!/usr/bin/env bash
# Allocations per message in our mqbroker under load: the broker runs with the LD_PRELOAD
# counter bench/tools/malloc_count.c; broker_send_bench drives it (warm-up run first, then
# measured runs), and the count before and after each measured run is divided by the
# messages it carried (sends, plus pulled messages in the produce+consume run).
#
# usage: bench/broker/allocs.sh [seconds=5] [flushDiskType=ASYNC_FLUSH]
set -euo pipefail
cd "$(dirname "$0")/../.."
SECS=${1:-5} FLUSH=${2:-ASYNC_FLUSH}
BUILD=${RMQ_BUILD:-build}
source bench/lib.sh
ninja -C "$BUILD" mqnamesrv mqbroker broker_send_bench bench_malloc_count >/dev/null
BENCH=$BUILD/bench/broker_send_bench
MQBROKER=${MQBROKER:-$BUILD/programs/mqbroker} # another build to compare

count() { sleep 0.25; cut -d' ' -f1 "$WORK/mc"; }

ns_port=$(free_port) port=$(free_port)
printf 'listenPort=%s\nbindAddress=127.0.0.1\nkvConfigPath=%s/kv.json\n' "$ns_port" "$WORK" > "$WORK/ns.conf"
"$BUILD"/programs/mqnamesrv -c "$WORK/ns.conf" > "$WORK/ns.log" 2>&1 &
PIDS+=($!)
wait_port "$ns_port"
mkdir -p "$WORK/store"
cat > "$WORK/broker.conf" <<CONF
brokerClusterName=BenchCluster
brokerName=bench-allocs
brokerId=0
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$port
namesrvAddr=127.0.0.1:$ns_port
storePathRootDir=$WORK/store
storePathCommitLog=$WORK/store/commitlog
flushDiskType=$FLUSH
brokerRole=ASYNC_MASTER
autoCreateTopicEnable=true
CONF
HOME=$WORK LD_PRELOAD=$PWD/$BUILD/bench/libbench_malloc_count.so MALLOC_COUNT_FILE=$WORK/mc \
    "$MQBROKER" -c "$WORK/broker.conf" > "$WORK/broker.log" 2>&1 &
PIDS+=($!)
wait_port "$port"
"$BENCH" 127.0.0.1:"$port" 4 16 2 1024 0 2 > /dev/null # warm-up: buffers, queues, groups

for load in 1:1:0 4:16:0 16:16:0 4:16:2; do
    IFS=: read -r c w p <<< "$load"
    before=$(count)
    result=$("$BENCH" 127.0.0.1:"$port" "$c" "$w" "$SECS" 1024 0 "$p")
    after=$(count)
    python3 - "$result" "$before" "$after" "$FLUSH" <<'PY'
import json, sys
r = json.loads(sys.argv[1]); n = int(sys.argv[3]) - int(sys.argv[2])
msgs = r["ok"] + r["pulled_per_s"] * r["seconds"]
print(f"{sys.argv[4]} {r['conns']}x{r['window']} pullers={r['pullers']}: sent {r['ok']}, "
      f"pulled {r['pulled_per_s'] * r['seconds']:.0f}, allocations {n}, per message {n / max(msgs, 1):.3f}")
PY
done
