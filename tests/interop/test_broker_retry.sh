#!/bin/bash
# Interop: consumer retries on our mqnamesrv + mqbroker with the official Java client
# (org.rocketmqc.interop.RetryConsume). A push consumer answers RECONSUME_LATER to the
# first delivery of every message: the client sends each back (CONSUMER_SEND_MSG_BACK),
# the broker parks it at delay level 3 + reconsumeTimes in SCHEDULE_TOPIC_XXXX, the
# scheduler delivers it to %RETRY%<group> when due, and the consumer (subscribed to the
# retry topic automatically) gets it again with reconsumeTimes 1 and its original topic.
# Every fifth message always fails: after maxReconsumeTimes (2) it must land in
# %DLQ%<group>, where a second consumer finds it. The broker runs with one-second delay
# levels so the test takes seconds; delayOffset.json must record the scheduler's progress
# after a clean stop.
#
# Env: RMQ_RETRY_COUNT (default 50). Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_retry 200

rmq_start_our_cluster "messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s"

topic=RmqcRetry_$RANDOM
count=${RMQ_RETRY_COUNT:-50}
rmq_log "RetryConsume $ns $topic $count"
# The client takes the %RETRY% topic's queue at its next periodic rebalance, 20 s by
# default: rebalance every second instead (this test checks retries, not rebalancing).
RMQ_JAVA_OPTS=-Drocketmq.client.rebalance.waitInterval=1000 \
    rmq_run_java retry_consume 150 org.rocketmqc.interop.RetryConsume \
        "$ns" "$topic" "$count" "$(rmq_scaled 120)" || rmq_die "RetryConsume failed"

rmq_kill broker TERM
off=$bdir/store/config/delayOffset.json
[ -s "$off" ] || rmq_die "no delayOffset.json after a clean stop"
rmq_log "delayOffset.json: $(tr -d '\n\t ' <"$off")"
# Levels 3 and 4 (first and second retries) must have moved.
flat=$(tr -d '\n\t ' <"$off")
echo "$flat" | grep -Eq '[{,]3:[1-9]' && echo "$flat" | grep -Eq '[{,]4:[1-9]' ||
    rmq_die "delayOffset.json does not show levels 3 and 4 delivered"
rmq_log "PASS"
