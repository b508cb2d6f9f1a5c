#!/bin/bash
# Interop: ordered consumption on our mqnamesrv + mqbroker with the official Java client
# (org.rocketmqc.interop.OrderlyConsume). Messages go to chosen queues through a
# MessageQueueSelector; a DefaultMQPushConsumer with MessageListenerOrderly consumes a
# queue only while our broker grants it the queue lock (LOCK_BATCH_MQ, renewed every
# 20 s) and must see every queue's messages exactly in send order, including a message it
# suspends once. After the consumer's shutdown (UNLOCK_BATCH_MQ) another client id must
# get every queue's lock at once.
#
# Env: RMQ_ORDERLY_COUNT (default 200). Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_orderly 200

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
CONF
rmq_spawn broker env HOME="$bdir/home" "$RMQ_BUILD/programs/mqbroker" -c "$bdir/broker.conf"
rmq_wait_port "$broker_port" 30 broker
rmq_probe "$ns" wait-route TBW102 60000 || rmq_die "our broker never registered with $ns"

topic=RmqcOrderly_$RANDOM
count=${RMQ_ORDERLY_COUNT:-200}
rmq_log "OrderlyConsume $ns $topic $count"
rmq_run_java orderly_consume 150 org.rocketmqc.interop.OrderlyConsume \
    "$ns" "$topic" "$count" "$(rmq_scaled 120)" || rmq_die "OrderlyConsume failed"
rmq_kill broker TERM
rmq_log "PASS"
