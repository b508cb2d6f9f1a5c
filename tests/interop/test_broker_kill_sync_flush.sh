#!/bin/bash
# Interop: our mqbroker with flushDiskType=SYNC_FLUSH killed with SIGKILL under load, then
# restarted on the same store (org.rocketmqc.interop.SyncFlushKill). 16 Java producer
# threads send synchronously (no retries) and record every message acknowledged with
# SEND_OK; once enough are acknowledged the broker is killed mid-load. The restarted
# broker must log an abnormal recovery, and a push consumer in a fresh group reading from
# the first offset must receive EVERY acknowledged message; messages sent but never
# acknowledged may or may not be there (counted and reported).
#
# Env: RMQ_SYNC_FLUSH_KILL_AT (acknowledged messages before the kill, default 3000).
# Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_kill_sync_flush 200

rmq_start_our_cluster flushDiskType=SYNC_FLUSH

topic=RmqcSyncFlush_$RANDOM
kill_at=${RMQ_SYNC_FLUSH_KILL_AT:-3000}
ack=$RMQ_WORK/acked.txt
stop=$RMQ_WORK/stop
pout=$RMQ_WORK/syncflush_produce.txt
rmq_log "SyncFlushKill produce $ns $topic, SIGKILL after $kill_at acknowledged"
rmq_run_java syncflush_produce 120 org.rocketmqc.interop.SyncFlushKill produce \
    "$ns" "$topic" "$ack" "$stop" 16 "$(rmq_scaled 100)" >"$pout" 2>&1 &
prod=$!
RMQ_PIDS+=("$prod")

# acked: the producer's latest "acked=N" (0 before the first).
acked() {
    local a
    a=$(grep -o 'acked=[0-9]*' "$pout" | tail -n 1 | cut -d= -f2)
    echo "${a:-0}"
}
deadline=$((SECONDS + $(rmq_scaled 60)))
while [ "$(acked)" -lt "$kill_at" ]; do
    kill -0 "$prod" 2>/dev/null || { tail -n 20 "$pout" >&2; rmq_die "producer exited early"; }
    [ $SECONDS -lt $deadline ] || { tail -n 5 "$pout" >&2; rmq_die "not $kill_at acknowledged in time"; }
    sleep 0.1
done
rmq_kill broker KILL
rmq_log "broker killed with SIGKILL after $(acked) acknowledged"
touch "$stop"
wait "$prod" || { tail -n 20 "$pout" >&2; rmq_die "producer failed"; }
grep '^SyncFlushKill: result' "$pout" >&2
[ -e "$bdir/store/abort" ] || rmq_die "no abort file after SIGKILL"

rmq_start_our_broker broker2
grep -q 'recovery (abnormal exit)' "$RMQ_WORK/broker2.out" ||
    rmq_die "the restarted broker did not log an abnormal recovery"
grep -E 'recovery' "$RMQ_WORK/broker2.out" | sed 's/^/  /' >&2
rmq_probe "$ns" wait-route "$topic" 60000 || rmq_die "restarted broker never registered $topic"

cout=$RMQ_WORK/syncflush_consume.txt
rc=0
rmq_run_java syncflush_consume 120 org.rocketmqc.interop.SyncFlushKill consume \
    "$ns" "$topic" "$ack" "$(rmq_scaled 100)" >"$cout" 2>&1 || rc=$?
grep '^SyncFlushKill:' "$cout" >&2
[ $rc -eq 0 ] || { tail -n 20 "$cout" >&2; rmq_die "acknowledged messages lost"; }
rmq_kill broker2 TERM
rmq_log "PASS"
