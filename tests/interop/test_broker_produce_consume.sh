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
brokerRole=ASYNC_MASTER
flushDiskType=ASYNC_FLUSH
namesrvAddr=$ns
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
bindAddress=127.0.0.1
listenPort=$broker_port
storePathRootDir=$bdir/store
storePathCommitLog=$bdir/store/commitlog
mappedFileSizeCommitLog=67108864
autoCreateTopicEnable=true
autoCreateSubscriptionGroup=true
CONF
# Extra broker.conf lines, e.g. RMQ_BROKER_EXTRA_CONF=flushDiskType=SYNC_FLUSH.
for line in ${RMQ_BROKER_EXTRA_CONF:-}; do echo "$line" >>"$bdir/broker.conf"; done

start_broker() {
    rmq_spawn "$1" env HOME="$bdir/home" "$RMQ_BUILD/programs/mqbroker" -c "$bdir/broker.conf"
    rmq_wait_port "$broker_port" 30 "$1"
    rmq_log "our broker $1 on 127.0.0.1:$broker_port (pid $(rmq_pid "$1")) -> $ns"
}

start_broker broker
rmq_probe "$ns" wait-route TBW102 60000 || rmq_die "our broker never registered with $ns"
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
start_broker broker2
rmq_probe "$ns" wait-route "$topic" 60000 || rmq_die "restarted broker never registered $topic"
rmq_log "ProduceConsume after restart $ns $topic $count"
rmq_run_java produce_consume2 150 org.rocketmqc.interop.ProduceConsume \
    "$ns" "$topic" "$count" "$(rmq_scaled 120)" || rmq_die "ProduceConsume after restart failed"
rmq_kill broker2 TERM
rmq_log "PASS"
