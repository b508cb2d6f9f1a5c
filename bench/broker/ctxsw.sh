#!/usr/bin/env bash
# Where a broker's threads lose the CPU under load: starts our mqnamesrv and one mqbroker
# (ASYNC_FLUSH), runs broker_send_bench (no warm-up) and prints, per broker thread, the
# voluntary and involuntary context switches and the CPU ticks of the run (from
# /proc/PID/task/*/status and stat), after the bench's JSON line.
#
# usage: [C=4] [W=16] [SECS=10] [MQBROKER=other/build/programs/mqbroker] bench/broker/ctxsw.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD=${RMQ_BUILD:-build}
MQBROKER=${MQBROKER:-$BUILD/programs/mqbroker}
source bench/lib.sh
ninja -C "$BUILD" mqnamesrv mqbroker broker_send_bench >/dev/null
FLUSH=ASYNC_FLUSH
source bench/broker/lib.sh
start_namesrv
broker_port=$(free_port)
broker_conf ours "$broker_port"
HOME=$WORK/ours "$MQBROKER" -c "$WORK/ours/broker.conf" > "$WORK/ours.log" 2>&1 &
pid=$!
PIDS+=($pid)
wait_port "$broker_port"

snap() {
    for t in /proc/"$pid"/task/*; do
        echo "$(cat "$t"/comm)#$(basename "$t") $(awk '/^voluntary_ctxt/ {v = $2} /^nonvoluntary_ctxt/ {n = $2} END {print v, n}' "$t"/status) $(awk '{print $14 + $15}' "$t"/stat)"
    done | sort
}
snap > "$WORK/s0"
timeout $((${SECS:-10} + 60)) "$BUILD"/bench/broker_send_bench 127.0.0.1:"$broker_port" "${C:-4}" "${W:-16}" "${SECS:-10}" 1024 0 || true
snap > "$WORK/s1"
printf '%-24s %12s %12s %10s\n' thread voluntary involuntary cpu_ticks
join "$WORK/s0" "$WORK/s1" | awk '{printf "%-24s %12d %12d %10d\n", $1, $5 - $2, $6 - $3, $7 - $4}'
