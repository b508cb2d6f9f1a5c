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

rmq_start_our_cluster

topic=RmqcOrderly_$RANDOM
count=${RMQ_ORDERLY_COUNT:-200}
rmq_log "OrderlyConsume $ns $topic $count"
rmq_run_java orderly_consume 150 org.rocketmqc.interop.OrderlyConsume \
    "$ns" "$topic" "$count" "$(rmq_scaled 120)" || rmq_die "OrderlyConsume failed"
rmq_kill broker TERM
rmq_log "PASS"
