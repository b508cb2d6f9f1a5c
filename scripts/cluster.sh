#!/usr/bin/env bash
# Builds rocketmq-c and starts a single-node development cluster in the background:
# for now the NameServer (the broker joins it when it lands). Installs missing system
# packages first. Data, logs and pid files go to $RMQ_DATA (default ./run).
#   scripts/cluster.sh          start (stops a previous one first)
#   scripts/cluster.sh stop     stop
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${RMQ_DATA:-$PWD/run}
NAMESRV_PORT=${NAMESRV_PORT:-9876}
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
mkdir -p "$DATA/namesrv"
cat > "$DATA/namesrv.conf" <<CONF
listenPort=$NAMESRV_PORT
bindAddress=$BIND_ADDRESS
kvConfigPath=$DATA/namesrv/kvConfig.json
CONF
ROCKETMQ_HOME=$DATA nohup build/programs/mqnamesrv -c "$DATA/namesrv.conf" \
    >"$DATA/namesrv.log" 2>&1 &
echo $! > "$DATA/mqnamesrv.pid"
for _ in $(seq 50); do
    grep -q "boot success" "$DATA/namesrv.log" 2>/dev/null && break
    kill -0 "$(cat "$DATA/mqnamesrv.pid")" 2>/dev/null || { cat "$DATA/namesrv.log"; exit 1; }
    sleep 0.1
done
echo "mqnamesrv  $BIND_ADDRESS:$NAMESRV_PORT  (pid $(cat "$DATA/mqnamesrv.pid"), log $DATA/namesrv.log)"
echo "data dir   $DATA"
echo "use:       export NAMESRV_ADDR=127.0.0.1:$NAMESRV_PORT; stop with: scripts/cluster.sh stop"
