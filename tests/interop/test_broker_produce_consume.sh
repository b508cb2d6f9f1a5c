#!/bin/bash
# Interop: our mqnamesrv and our mqbroker; the official Java client (DefaultMQProducer +
# DefaultMQPushConsumer, org.rocketmqc.interop.ProduceConsume) sends 1000 messages
# synchronously with keys and tags through our broker (the topic auto-created from
# TBW102) and a fresh consumer group receives every one. Then the restart variant: the
# broker is stopped with SIGTERM (no abort file may remain, consumerOffset.json must be
# written) and started again on the same store; it must re-register the topic from
# topics.json and serve a second full run on it (the second consumer group reads the
# first run's messages from disk too, and skips them).
#
# Env: RMQ_PC_COUNT (default 1000), RMQ_BROKER_EXTRA_CONF (space-separated key=value).
# Exit: 0 pass, 77 skip (binaries not built), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_produce_consume 200

# Extra broker.conf lines, e.g. RMQ_BROKER_EXTRA_CONF=flushDiskType=SYNC_FLUSH.
# shellcheck disable=SC2086
rmq_start_our_cluster brokerRole=ASYNC_MASTER flushDiskType=ASYNC_FLUSH \
    autoCreateTopicEnable=true autoCreateSubscriptionGroup=true ${RMQ_BROKER_EXTRA_CONF:-}
rmq_check_loopback_only

topic=RmqcBroker_$RANDOM
count=${RMQ_PC_COUNT:-1000}
rmq_log "ProduceConsume $ns $topic $count"
rmq_run_java produce_consume 150 org.rocketmqc.interop.ProduceConsume \
    "$ns" "$topic" "$count" "$(rmq_scaled 120)" || rmq_die "ProduceConsume failed"

# Restart: a clean stop persists offsets and removes the abort file.
rmq_kill broker TERM
[ ! -e "$bdir/store/abort" ] || rmq_die "abort file left after a clean stop"
[ -s "$bdir/store/config/consumerOffset.json" ] || rmq_die "no consumerOffset.json after stop"
rmq_start_our_broker broker2
rmq_probe "$ns" wait-route "$topic" 60000 || rmq_die "restarted broker never registered $topic"
rmq_log "ProduceConsume after restart $ns $topic $count"
rmq_run_java produce_consume2 150 org.rocketmqc.interop.ProduceConsume \
    "$ns" "$topic" "$count" "$(rmq_scaled 120)" || rmq_die "ProduceConsume after restart failed"
rmq_kill broker2 TERM
rmq_log "PASS"
