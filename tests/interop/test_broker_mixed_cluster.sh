#!/bin/bash
# Interop: a mixed cluster (issue 4). Our mqnamesrv with our mqbroker (broker-c) and an
# Apache RocketMQ 5.3.3 broker (broker-a) registered side by side in DefaultCluster.
# Apache mqadmin creates one topic on the whole cluster (updateTopic -c); clusterList
# must list both brokers and topicRoute must carry queue data of both. Then the Java
# DefaultMQProducer sends messages that must land on queues of both brokers (brokerName
# of the send results) and a DefaultMQPushConsumer in a fresh group must receive every
# one, from both (org.rocketmqc.interop.ProduceConsume with its BROKERS argument).
# Finally our servers stop on SIGTERM without a sanitizer report.
#
# Env: RMQ_PC_COUNT (default 400).
# Exit: 0 pass, 77 skip (binaries not built, no java/mvn), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_mixed_cluster 200
rmq_shared_jvm

rmq_start_our_cluster autoCreateSubscriptionGroup=true
apache_port=$(rmq_free_port 2 1)
rmq_start_apache_broker apache "$ns" "$apache_port" broker-a
rmq_wait_apache_registered "$ns" "127.0.0.1:$apache_port" wait-broker broker-a ||
    rmq_die "Apache broker never registered with $ns"
rmq_check_loopback_only

# expect NAME PATTERN: the last mqadmin output ($out) must match the extended regex.
expect() {
    grep -Eq -- "$2" <<<"$out" || { printf '%s\n' "$out" >&2; rmq_die "$1: no /$2/"; }
    rmq_log "ok: $1"
}

# clusterList asks each broker for its runtime statistics (version column included); a
# just-started Apache broker may not answer within mqadmin's time-out yet: ask again.
for _ in $(seq 1 "$(rmq_scaled 20)"); do
    out=$(rmq_mqadmin clusterList -n "$ns")
    grep -Eq "^DefaultCluster +broker-a +0 +127\.0\.0\.1:$apache_port +V5_3_3" <<<"$out" && break
    sleep 1
done
expect "clusterList (ours)" "^DefaultCluster +broker-c +0 +$baddr +V5_3_3"
expect "clusterList (Apache)" "^DefaultCluster +broker-a +0 +127\.0\.0\.1:$apache_port +V5_3_3"

topic=RmqcMixed_$RANDOM
out=$(rmq_mqadmin updateTopic -c DefaultCluster -t "$topic" -r 4 -w 4 -n "$ns")
expect "updateTopic -c (ours)" "create topic to $baddr success"
expect "updateTopic -c (Apache)" "create topic to 127\.0\.0\.1:$apache_port success"

# Both brokers register the new topic at once; allow for a late one all the same.
for _ in $(seq 1 "$(rmq_scaled 30)"); do
    out=$(rmq_mqadmin topicRoute -t "$topic" -n "$ns")
    grep -q '"brokerName":"broker-a"' <<<"$out" && grep -q '"brokerName":"broker-c"' <<<"$out" &&
        [ "$(grep -Ec '"readQueueNums":4' <<<"$out")" = 2 ] && break
    sleep 1
done
# topicRoute prints pretty JSON (fastjson: tabs, unquoted integer keys): one queueDatas
# entry per broker, 4/4 queues each.
out=$(tr -d ' \t\n' <<<"$out")
expect "topicRoute queue data (ours)" \
    '\{"brokerName":"broker-c","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4\}'
expect "topicRoute queue data (Apache)" \
    '\{"brokerName":"broker-a","perm":6,"readQueueNums":4,"topicSysFlag":0,"writeQueueNums":4\}'
expect "topicRoute broker data (ours)" "\"brokerAddrs\":\\{0:\"$baddr\"\\},\"brokerName\":\"broker-c\""
expect "topicRoute broker data (Apache)" \
    "\"brokerAddrs\":\\{0:\"127\\.0\\.0\\.1:$apache_port\"\\},\"brokerName\":\"broker-a\""

count=${RMQ_PC_COUNT:-400}
rmq_log "ProduceConsume $ns $topic $count over broker-a and broker-c"
rmq_run_java produce_consume 120 org.rocketmqc.interop.ProduceConsume \
    "$ns" "$topic" "$count" "$(rmq_scaled 90)" broker-a,broker-c >"$RMQ_WORK/pc.out" 2>&1 ||
    { cat "$RMQ_WORK/pc.out" >&2; rmq_die "ProduceConsume over both brokers failed"; }
grep '^ProduceConsume:' "$RMQ_WORK/pc.out" >&2

# Our servers stop cleanly; in a sanitizer build any report is in their output.
rmq_kill broker TERM
rmq_kill ns TERM
! grep -E 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$RMQ_WORK/broker.out" "$RMQ_WORK/ns.out" ||
    rmq_die "sanitizer report from our servers"
rmq_log "PASS"
