#!/bin/bash
# Interop: clustering rebalance on our mqnamesrv + mqbroker with the official Java client
# (org.rocketmqc.interop.RebalanceConsume). A topic with 8 queues, a producer sending
# numbered messages the whole time; push consumer A alone holds all 8 queues, then B
# joins the group: our broker must send NOTIFY_CONSUMER_IDS_CHANGED so that A gives up
# half of its queues at once (sooner than the client's own 20 s rebalance) and both
# consume; then A shuts down (UNREGISTER_CLIENT) and B, notified again, takes all 8
# queues. Every acknowledged message must be consumed at least once; duplicates around
# the rebalances are counted and reported.
#
# Env: RMQ_REBALANCE_NOTIFY_LIMIT (seconds for a notified rebalance, default 10).
# Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_rebalance 200

rmq_start_our_cluster

topic=RmqcRebalance_$RANDOM
limit=$(rmq_scaled "${RMQ_REBALANCE_NOTIFY_LIMIT:-10}")
rmq_log "RebalanceConsume $ns $topic (notified rebalance within ${limit}s)"
out=$RMQ_WORK/rebalance_consume.txt
rmq_run_java rebalance_consume 150 org.rocketmqc.interop.RebalanceConsume \
    "$ns" "$topic" "$limit" "$(rmq_scaled 120)" >"$out" 2>&1
rc=$?
grep '^RebalanceConsume:' "$out" >&2
[ $rc -eq 0 ] || { tail -n 20 "$out" >&2; rmq_die "RebalanceConsume failed"; }
rmq_kill broker TERM
rmq_log "PASS"
