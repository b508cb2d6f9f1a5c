#!/usr/bin/env bash
# Builds rocketmq-c and starts a single-node development cluster in the background: one
# NameServer and one broker registered with it. Installs missing system packages first.
# Data (the broker's store directory), logs and pid files go to $RMQ_DATA (default ./run).
#   scripts/cluster.sh          start (stops a previous one first)
#   scripts/cluster.sh stop     stop
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${RMQ_DATA:-$PWD/run}
NAMESRV_PORT=${NAMESRV_PORT:-9876}
BROKER_PORT=${BROKER_PORT:-10911}
BIND_ADDRESS=${BIND_ADDRESS:-127.0.0.1} # a development cluster; set 0.0.0.0 to serve others

stop() {
    for pidfile in "$DATA"/*.pid; do
        [ -f "$pidfile" ] || continue
        kill "$(cat "$pidfile")" 2>/dev/null || true
        rm -f "$pidfile"
    done
}

if [ "${1:-start}" = stop ]; then stop; echo "stopped"; exit 0; fi

scripts/install-deps.sh
cmake -S . -B build -G Ninja >/dev/null
ninja -C build >/dev/null
stop
mkdir -p "$DATA/namesrv" "$DATA/store"
cat > "$DATA/namesrv.conf" <<CONF
listenPort=$NAMESRV_PORT
bindAddress=$BIND_ADDRESS
kvConfigPath=$DATA/namesrv/kvConfig.json
CONF
cat > "$DATA/broker.conf" <<CONF
brokerClusterName=DefaultCluster
brokerName=broker-a
brokerId=0
brokerIP1=127.0.0.1
bindAddress=$BIND_ADDRESS
listenPort=$BROKER_PORT
namesrvAddr=127.0.0.1:$NAMESRV_PORT
storePathRootDir=$DATA/store
autoCreateTopicEnable=true
CONF

# start NAME LOG-MARKER CMD...: runs CMD in the background, waits for its boot line.
start() {
    local name=$1 marker=$2; shift 2
    ROCKETMQ_HOME=$DATA HOME=$DATA nohup "$@" >"$DATA/$name.log" 2>&1 &
    echo $! > "$DATA/$name.pid"
    for _ in $(seq 100); do
        grep -q "$marker" "$DATA/$name.log" 2>/dev/null && return 0
        kill -0 "$(cat "$DATA/$name.pid")" 2>/dev/null || { cat "$DATA/$name.log"; exit 1; }
        sleep 0.1
    done
    echo "$name did not start; see $DATA/$name.log"; exit 1
}

start mqnamesrv "boot success" build/programs/mqnamesrv -c "$DATA/namesrv.conf"
start mqbroker "boot success" build/programs/mqbroker -c "$DATA/broker.conf"
echo "mqnamesrv  $BIND_ADDRESS:$NAMESRV_PORT  (pid $(cat "$DATA/mqnamesrv.pid"), log $DATA/mqnamesrv.log)"
echo "mqbroker   $BIND_ADDRESS:$BROKER_PORT  (pid $(cat "$DATA/mqbroker.pid"), log $DATA/mqbroker.log)"
echo "data dir   $DATA (broker store: $DATA/store)"
echo "use:       export NAMESRV_ADDR=127.0.0.1:$NAMESRV_PORT; stop with: scripts/cluster.sh stop"
