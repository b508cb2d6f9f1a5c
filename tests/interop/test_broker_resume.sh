#!/bin/bash
# Interop: consumption resumes at the committed offsets, on our mqnamesrv + mqbroker with
# the official Java client (org.rocketmqc.interop.ResumeConsume).
#   (a) consumer restart: a push consumer consumes N messages and shuts down cleanly (its
#       offsets are committed); M more are sent; a new consumer in the same group with
#       CONSUME_FROM_FIRST_OFFSET must receive exactly the M new messages.
#   (b) broker restart: the broker is stopped with SIGTERM; consumerOffset.json must hold
#       the group's offsets (N+M over the topic's queues); the broker starts again on the
#       same store, M more are sent, and the same group again receives exactly those.
#
# Env: RMQ_RESUME_N (default 200), RMQ_RESUME_M (default 100). Exit: 0 pass, 77 skip,
# other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_resume 200

rmq_start_our_cluster

topic=RmqcResume_$RANDOM
group=rmqc_resume_$RANDOM
n=${RMQ_RESUME_N:-200}
m=${RMQ_RESUME_M:-100}

# resume NAME PRE POST: one ResumeConsume run, its summary line shown.
resume() {
    local out=$RMQ_WORK/$1.txt rc=0
    rmq_run_java "$1" 150 org.rocketmqc.interop.ResumeConsume \
        "$ns" "$topic" "$group" "$2" "$3" "$(rmq_scaled 120)" >"$out" 2>&1 || rc=$?
    grep '^ResumeConsume:' "$out" >&2
    [ $rc -eq 0 ] || { tail -n 20 "$out" >&2; rmq_die "ResumeConsume $1 failed"; }
}

rmq_log "(a) consumer restart: $n, then $m new"
resume resume_consumer "$n" "$m"

rmq_log "(b) broker restart"
rmq_kill broker TERM
off=$bdir/store/config/consumerOffset.json
[ -s "$off" ] || rmq_die "no consumerOffset.json after a clean stop"
# "TOPIC@GROUP":{0:75,1:75,2:75,3:75}: the committed offsets add up to everything sent.
entry=$(tr -d '\n\t ' <"$off" | grep -o "\"$topic@$group\":{[^}]*}") ||
    rmq_die "consumerOffset.json has no $topic@$group: $(cat "$off")"
sum=$(echo "$entry" | sed 's/.*{//; s/}//' | tr ',' '\n' | awk -F: '{ s += $2 } END { print s + 0 }')
rmq_log "consumerOffset.json: $entry"
[ "$sum" = $((n + m)) ] || rmq_die "committed offsets add up to $sum, want $((n + m))"
rmq_start_our_broker broker2
rmq_probe "$ns" wait-route "$topic" 60000 || rmq_die "restarted broker never registered $topic"
resume resume_broker 0 "$m"
rmq_kill broker2 TERM
rmq_log "PASS"
