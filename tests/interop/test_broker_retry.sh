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

for p in mqnamesrv mqbroker; do
    [ -x "$RMQ_BUILD/programs/$p" ] || rmq_skip "no $RMQ_BUILD/programs/$p"
done
RMQ_NAMESRV_UNDER_TEST=$RMQ_BUILD/programs/mqnamesrv

ns_port=$(rmq_free_port)
broker_port=$(rmq_free_port 2 1)
ns=127.0.0.1:$ns_port
rmq_start_namesrv_under_test ns "$ns_port"

bdir=$RMQ_WORK/broker
mkdir -p "$bdir/home" "$bdir/store"
cat >"$bdir/broker.conf" <<CONF
brokerClusterName=DefaultCluster
brokerName=broker-c
brokerId=0
namesrvAddr=$ns
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
bindAddress=127.0.0.1
listenPort=$broker_port
storePathRootDir=$bdir/store
storePathCommitLog=$bdir/store/commitlog
mappedFileSizeCommitLog=67108864
messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s
CONF
rmq_spawn broker env HOME="$bdir/home" "$RMQ_BUILD/programs/mqbroker" -c "$bdir/broker.conf"
rmq_wait_port "$broker_port" 30 broker
rmq_probe "$ns" wait-route TBW102 60000 || rmq_die "our broker never registered with $ns"

topic=RmqcRetry_$RANDOM
count=${RMQ_RETRY_COUNT:-50}
rmq_log "RetryConsume $ns $topic $count"
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
