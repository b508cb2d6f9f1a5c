#!/bin/bash
# Interop: Apache mqadmin (5.3, via AdminRun) against our mqnamesrv + our mqbroker, the
# broker's administration codes (issue 4, item 7). With a Java producer and push
# consumer kept running (org.rocketmqc.interop.KeepConsuming), it runs updateTopic,
# topicList, topicStatus, clusterList, brokerStatus, updateSubGroup, consumerProgress
# (with and without -g, and -s true which asks the client through the broker: 307),
# consumerConnection, consumerStatus (307), producerConnection, getBrokerConfig,
# updateBrokerConfig, resetOffsetByTime (222 -> 220: the running consumer must receive
# the topic again), deleteSubGroup, and checks what each prints.
#
# Exit: 0 pass, 77 skip (binaries not built, no java/mvn), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_mqadmin 300
rmq_shared_jvm

rmq_start_our_cluster

topic=AdminTopic
out=$(rmq_mqadmin updateTopic -b "$baddr" -t $topic -r 4 -w 4 -n "$ns")
rmq_expect updateTopic "create topic to $baddr success"
rmq_expect updateTopic "TopicConfig \[topicName=$topic, readQueueNums=4, writeQueueNums=4"
rmq_probe "$ns" wait-route $topic 30000 || rmq_die "$topic never routed"
out=$(rmq_mqadmin topicList -n "$ns")
rmq_expect topicList "^$topic\$"
out=$(rmq_mqadmin updateSubGroup -b "$baddr" -g AdminCG -n "$ns")
rmq_expect updateSubGroup "create subscription group to $baddr success"

# Live clients: 20 messages, consumed from the first offset. The consumer rebalances every
# second, not every 20 s: after resetOffsetByTime it takes its queues back only at a
# rebalance (this test checks the admin codes, not rebalancing).
keep=$RMQ_WORK/keep.out
RMQ_JAVA_OPTS=-Drocketmq.client.rebalance.waitInterval=1000 \
    rmq_run_java keep 200 org.rocketmqc.interop.KeepConsuming "$ns" $topic AdminPG AdminCG 20 \
    "$(rmq_scaled 150)" >"$keep" 2>&1 &
keep_pid=$!
rmq_wait_line "$keep" 'KeepConsuming: ready' "$(rmq_scaled 60)"

out=$(rmq_mqadmin topicStatus -t $topic -n "$ns")
rmq_expect topicStatus "broker-c +3 +0 +[0-9]+ "
[ "$(grep -Ec '^broker-c ' <<<"$out")" = 4 ] || { echo "$out" >&2; rmq_die "topicStatus: not 4 queues"; }
sum=$(awk '$1 == "broker-c" { s += $4 } END { print s }' <<<"$out")
[ "$sum" = 20 ] || { echo "$out" >&2; rmq_die "topicStatus: max offsets sum $sum, want 20"; }
rmq_log "ok: topicStatus max offsets sum 20"

out=$(rmq_mqadmin clusterList -n "$ns")
rmq_expect clusterList "DefaultCluster +broker-c +0 +$baddr +V5_3_3"
out=$(rmq_mqadmin brokerStatus -b "$baddr" -n "$ns")
rmq_expect brokerStatus "^brokerVersionDesc +: V5_3_3"
rmq_expect brokerStatus "^msgPutTotalTodayNow +: [1-9][0-9]*"
rmq_expect brokerStatus "^commitLogDirCapacity +: Total : "
rmq_expect brokerStatus "^putTps +: [0-9.]+ [0-9.]+ [0-9.]+"

out=$(rmq_mqadmin consumerConnection -g AdminCG -n "$ns")
rmq_expect consumerConnection "[0-9.]+@keep-consumer.* +127\.0\.0\.1:[0-9]+ +JAVA +V5_"
rmq_expect consumerConnection "$topic +\*"
rmq_expect consumerConnection "ConsumeType: CONSUME_PASSIVELY"
rmq_expect consumerConnection "MessageModel: CLUSTERING"
out=$(rmq_mqadmin producerConnection -g AdminPG -t $topic -n "$ns")
rmq_expect producerConnection "[0-9.]+@keep-producer.* +127\.0\.0\.1:[0-9]+ +JAVA +V5_"

# The consumer commits its offsets every 5 s: wait for a zero diff.
for _ in $(seq 1 "$(rmq_scaled 30)"); do
    out=$(rmq_mqadmin consumerProgress -g AdminCG -n "$ns")
    grep -q 'Consume Diff Total: 0' <<<"$out" && grep -q "^$topic " <<<"$out" && break
    sleep 1
done
rmq_expect consumerProgress "^$topic +broker-c +[0-3] +[0-9]+ +[0-9]+ "
rmq_expect consumerProgress "Consume Diff Total: 0"
out=$(rmq_mqadmin consumerProgress -n "$ns")
rmq_expect "consumerProgress (all groups)" "^AdminCG +1 +V5_"
out=$(rmq_mqadmin consumerProgress -g AdminCG -s true -n "$ns")
rmq_expect "consumerProgress -s (307 forwarded)" "^$topic +broker-c +[0-3] +[0-9]+ +[0-9]+ +[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ "
# consumerStatus saves each client's running info under ./<timestamp>/: run it in the work dir.
out=$(cd "$RMQ_WORK" && rmq_mqadmin consumerStatus -g AdminCG -n "$ns")
rmq_expect "consumerStatus (307 forwarded)" "keep-consumer"

out=$(rmq_mqadmin getBrokerConfig -b "$baddr" -n "$ns")
rmq_expect getBrokerConfig "^brokerName += +broker-c"
out=$(rmq_mqadmin updateBrokerConfig -b "$baddr" -k flushConsumerOffsetInterval -v 3210 -n "$ns")
rmq_expect updateBrokerConfig "update broker config success, $baddr"
out=$(rmq_mqadmin getBrokerConfig -b "$baddr" -n "$ns")
rmq_expect "getBrokerConfig after update" "^flushConsumerOffsetInterval += +3210"
grep -qx 'flushConsumerOffsetInterval=3210' "$bdir/broker.conf" || rmq_die "update not written to broker.conf"
grep -qx 'brokerName=broker-c' "$bdir/broker.conf" || rmq_die "broker.conf lost brokerName"
rmq_log "ok: updateBrokerConfig persisted to the -c file"

# Back to the beginning: the running consumer gets RESET_CONSUMER_CLIENT_OFFSET and
# consumes the 20 messages again.
out=$(rmq_mqadmin resetOffsetByTime -g AdminCG -t $topic -s 0 -n "$ns")
rmq_expect resetOffsetByTime "^#brokerName +#queueId +#offset"
rmq_expect resetOffsetByTime "^broker-c +[0-3] +0 *$"
for _ in $(seq 1 "$(rmq_scaled 30)"); do
    n=$(grep -o 'consumed=[0-9]*' "$keep" | tail -1 | cut -d= -f2)
    [ "${n:-0}" -ge 40 ] && break
    sleep 1
done
[ "${n:-0}" -ge 40 ] || { tail -5 "$keep" >&2; rmq_die "no re-consumption after reset (consumed=$n)"; }
rmq_log "ok: re-consumed after resetOffsetByTime (consumed=$n)"

out=$(rmq_mqadmin deleteSubGroup -b "$baddr" -g AdminCG -n "$ns")
rmq_expect deleteSubGroup "delete subscription group \[AdminCG\] from broker \[$baddr\] success"
out=$(rmq_mqadmin deleteTopic -c DefaultCluster -t $topic -n "$ns")
rmq_expect deleteTopic "delete topic \[$topic\] from cluster \[DefaultCluster\] success"
kill "$keep_pid" 2>/dev/null
wait "$keep_pid" 2>/dev/null
rmq_kill broker TERM
rmq_log "PASS"
