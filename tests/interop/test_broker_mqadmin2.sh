#!/bin/bash
# Interop: Apache mqadmin (5.3, via AdminRun) against our mqnamesrv + our mqbroker, the
# administration codes of issue 4 part II: updateTopicList (18) and updateSubGroupList
# (225) first. With a Java producer and push consumer
# (org.rocketmqc.interop.KeepConsuming: 20 messages consumed by AdminCG2), it runs
# queryCq (321), statsAll -t (315 TOPIC_PUT_NUMS, answered from the store), brokerConsumeStats
# (317) until the consumer's commits show, cloneGroupOffset (208 + 15) then
# brokerConsumeStats again for the clone, producer (328), getConsumerStatus (223 -> 221 to the client),
# queryMsgById -g -d (307 + 309 forwarded to the client), and the store maintenance commands
# cleanUnusedTopic (316), cleanExpiredCQ (306) and deleteExpiredCommitLog (329), and
# checks what each prints.
#
# Exit: 0 pass, 77 skip (binaries not built, no java/mvn), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_mqadmin2 200
rmq_shared_jvm

rmq_start_our_cluster

topic=Admin2Topic
# updateTopicList (18): both topics of the file created, attributes kept.
cat >"$RMQ_WORK/topics.json" <<JSON
[{"topicName":"$topic","readQueueNums":2,"writeQueueNums":2,"perm":6},
 {"topicName":"Admin2Fifo","readQueueNums":3,"writeQueueNums":3,"perm":6,
  "attributes":{"+message.type":"FIFO"}}]
JSON
out=$(rmq_mqadmin updateTopicList -b "$baddr" -f "$RMQ_WORK/topics.json" -n "$ns")
rmq_expect updateTopicList "submit batch of topic config to $baddr success"
tj=$(tr -d ' \t\n' <"$bdir/store/config/topics.json")
grep -q '"Admin2Fifo":{"attributes":{"message.type":"FIFO"},"order":false,"perm":6,"readQueueNums":3,' <<<"$tj" ||
    { echo "$tj" >&2; rmq_die "updateTopicList: Admin2Fifo not in topics.json"; }
grep -q "\"$topic\":{" <<<"$tj" || rmq_die "updateTopicList: $topic not in topics.json"
rmq_log "ok: updateTopicList wrote both topics"
rmq_probe "$ns" wait-route $topic 30000 || rmq_die "$topic never routed"
# updateSubGroupList (225): the clone target and one more group, in subscriptionGroup.json.
cat >"$RMQ_WORK/groups.json" <<JSON
[{"groupName":"AdminCG2Copy"},{"groupName":"Admin2Slow","retryMaxTimes":3,"consumeEnable":false}]
JSON
out=$(rmq_mqadmin updateSubGroupList -b "$baddr" -f "$RMQ_WORK/groups.json" -n "$ns")
rmq_expect updateSubGroupList "submit batch of group config to $baddr success"
gj=$(tr -d ' \t\n' <"$bdir/store/config/subscriptionGroup.json")
grep -q '"AdminCG2Copy":{' <<<"$gj" || { echo "$gj" >&2; rmq_die "updateSubGroupList: no AdminCG2Copy"; }
slow=${gj#*\"Admin2Slow\":}
slow=${slow%%\"AdminCG2Copy\"*} # the table is sorted: Admin2Slow's object only
grep -q '"consumeEnable":false,' <<<"$slow" && grep -q '"retryMaxTimes":3,' <<<"$slow" ||
    { echo "$gj" >&2; rmq_die "updateSubGroupList: Admin2Slow not as sent"; }
rmq_log "ok: updateSubGroupList wrote both groups"

keep=$RMQ_WORK/keep.out
rmq_run_java keep 120 org.rocketmqc.interop.KeepConsuming "$ns" $topic AdminPG2 AdminCG2 20 \
    "$(rmq_scaled 60)" >"$keep" 2>&1 &
keep_pid=$!
rmq_wait_line "$keep" 'KeepConsuming: ready' "$(rmq_scaled 60)"

# queryCq: the queue's bounds, then entries from index 0 with their commit-log positions.
out=$(rmq_mqadmin queryCq -t $topic -q 0 -i 0 -c 3 -b "$baddr" -g AdminCG2 -n "$ns")
rmq_expect "queryCq subscription" '"subString":"\*"'
rmq_expect "queryCq bounds" "^max: [1-9][0-9]*, min: 0$"
rmq_expect "queryCq entry" "^ConsumeQueueData\{physicOffset=[0-9]+, physicSize=[1-9][0-9]*, tagsCode=-?[0-9]+,"
[ "$(grep -c '^idx: ' <<<"$out")" = 3 ] || { echo "$out" >&2; rmq_die "queryCq: not 3 entries"; }
phys=$(sed -n 's/^ConsumeQueueData{physicOffset=\([0-9]*\),.*/\1/p' <<<"$out" | head -1)

# statsAll -t: 20 messages put today (TOPIC_PUT_NUMS from the store), the group listed.
out=$(rmq_mqadmin statsAll -t $topic -n "$ns")
rmq_expect "statsAll" "^$topic +AdminCG2 +[0-9]+ +[0-9.]+ +[0-9.]+ +20 +0$"

# brokerConsumeStats: the consumer commits every 5 s; wait for its rows with diff 0.
for _ in $(seq 1 "$(rmq_scaled 10)"); do
    out=$(rmq_mqadmin brokerConsumeStats -b "$baddr" -n "$ns")
    [ "$(grep -Ec "^$topic +AdminCG2 +broker-c +[01] +[0-9]+ +[0-9]+ +0 " <<<"$out")" = 2 ] && break
    sleep 2
done
rmq_expect brokerConsumeStats "^$topic +AdminCG2 +broker-c +0 +[0-9]+ +[0-9]+ +0 +20[0-9-]+ "
rmq_expect "brokerConsumeStats queue 1" "^$topic +AdminCG2 +broker-c +1 +[0-9]+ +[0-9]+ +0 "
rmq_expect "brokerConsumeStats total" "^Diff Total: 0$"

out=$(rmq_mqadmin cloneGroupOffset -s AdminCG2 -d AdminCG2Copy -t $topic -n "$ns")
rmq_expect cloneGroupOffset "clone group offset success. srcGroup\[AdminCG2\], destGroup=\[AdminCG2Copy\]"
out=$(rmq_mqadmin brokerConsumeStats -b "$baddr" -n "$ns")
rmq_expect "brokerConsumeStats after clone" "^$topic +AdminCG2Copy +broker-c +0 +[0-9]+ +[0-9]+ +0 "

# producer (328): the live producer's registration.
out=$(rmq_mqadmin producer -b "$baddr" -n "$ns")
rmq_expect producer "^producer group \(AdminPG2\) instance : clientId=[^,]*@keep-producer[^,]*,remoteIP=127\.0\.0\.1:[0-9]+, language=JAVA, version=[0-9]+, lastUpdateTimestamp=[1-9]"

# getConsumerStatus (223 -> 221 to the live client): its offsets per queue.
out=$(RMQ_ADMIN_EXTRA=getConsumerStatus rmq_mqadmin getConsumerStatus -g AdminCG2 -t $topic -n "$ns")
rmq_expect getConsumerStatus "get consumer status from client. group=AdminCG2, topic=$topic"
rmq_expect "getConsumerStatus row" "@keep-consumer.* +broker-c +[01] +[0-9]+ *$"
cid=$(awk '/@keep-consumer/ { print $1; exit }' <<<"$out")

# queryMsgById -g -d (307 then 309 forwarded with the stored record): the running
# consumer's listener takes the message at queue 0 offset 0 (from queryCq above) again.
[ -n "$phys" ] || rmq_die "queryCq: no physicOffset"
msgid=$(printf '7F000001%08X%016X' "${baddr##*:}" "$phys")
out=$(rmq_mqadmin queryMsgById -t $topic -i "$msgid" -g AdminCG2 -d "$cid" -n "$ns")
rmq_expect "queryMsgById -g -d (309 forwarded)" "ConsumeMessageDirectlyResult \[order=false, autoCommit=true, consumeResult=CR_SUCCESS"

kill "$keep_pid" 2>/dev/null
wait "$keep_pid" 2>/dev/null

# Store maintenance: each answers success; the topic's queue must survive all three.
for cmd in cleanUnusedTopic cleanExpiredCQ deleteExpiredCommitLog; do
    out=$(rmq_mqadmin $cmd -b "$baddr" -n "$ns")
    rmq_expect $cmd "success"
done
out=$(rmq_mqadmin queryCq -t $topic -q 0 -i 0 -c 1 -b "$baddr" -n "$ns")
rmq_expect "queryCq after cleaning" "^max: [1-9][0-9]*, min: 0$"
rmq_kill broker TERM
rmq_log "PASS"
