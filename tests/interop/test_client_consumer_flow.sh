#!/bin/bash
# Interop: flow control of our C push consumer (examples/push_consumer.c, issue 5), as
# the Java client's pullMessage does it, seen through Apache's mqadmin.
#
# Our C producer (examples/producer.c) sends 301 messages to a new 4-queue topic. Two
# slow push consumers (one consume thread, the listener sleeps 50 ms a message,
# pullBatchSize 4) of two groups start from the first offset:
#   queue  pullThresholdForQueue=10: a queue is pulled again only while it caches at
#          most 10 messages, so each holds at most 10 + 4
#   topic  pullThresholdForTopic=20: shared among the consumer's queues (4 of the topic,
#          1 of %RETRY%<group>): at most 20/4 = 5 per queue after the first rebalance,
#          4 after the retry topic's, so each holds at most 5 + 4
# While they consume, `mqadmin consumerStatus -i <clientId>` (GET_CONSUMER_RUNNING_INFO
# relayed by the broker) shows cachedMsgCount per queue: within the bound on every queue,
# and above 0 on some (the consumer is behind, so without flow control a queue would
# cache all its ~75 messages). Each consumer logs that it postponed pulls. Then the
# "queue" group is stopped and started again without delay: together the two runs
# consumed all 301 messages (offsets committed under flow control lose nothing).
#
# Then the lite pull consumer's prefetch (examples/lite_pull_consumer.c, assign mode):
# pullThresholdForAll=8, pullBatchSize 4, 20 ms between polls, queue 0 paused for the
# first 1.5 s. It logs that prefetching paused for pullThresholdForAll; polls nothing of
# queue 0 before resuming it; polls every queue's messages once each, in order from
# offset 0 (301 in all); and the offsets it commits sum to 301.
#
# Flow control is the client's alone: run against our NameServer + broker only.
#
# Exit: 0 pass, 77 skip (binaries not built), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init client_consumer_flow 120

push=$RMQ_BUILD/src/client/example_push_consumer
producer=$RMQ_BUILD/src/client/example_producer
[ -x "$push" ] && [ -x "$producer" ] || rmq_skip "no $push or $producer"

rmq_start_our_cluster brokerRole=ASYNC_MASTER flushDiskType=ASYNC_FLUSH \
    autoCreateTopicEnable=true autoCreateSubscriptionGroup=true
topic=RmqcFlow_$RANDOM
rec=$RMQ_WORK/sent.tsv
timeout -k 5 "$(rmq_scaled 60)" "$producer" -n "$ns" -t "$topic" -c 60 -g rmqc_flow_p \
    -r "$rec" >"$RMQ_WORK/producer.out" 2>&1
grep -q '^done: 0 failed' "$RMQ_WORK/producer.out" ||
    { cat "$RMQ_WORK/producer.out" >&2; rmq_die "the C producer failed"; }
total=$(wc -l <"$rec")
[ "$total" -eq 301 ] || rmq_die "the producer recorded $total messages, not 301"

# slow NAME KEY=VALUE: a slow consumer of group rmqc_flow_NAME in the background.
slow() {
    timeout -k 5 "$(rmq_scaled 90)" "$push" -n "$ns" -t "$topic" -g "rmqc_flow_$1" \
        -d 50 -w "$RMQ_WORK/$1.stop" -r "$RMQ_WORK/$1.rids" -T "$(rmq_scaled 80)" \
        -s consumeThreadMin=1 -s consumeThreadMax=1 -s pullBatchSize=4 -s "$2" \
        -s consumeFromWhere=CONSUME_FROM_FIRST_OFFSET >"$RMQ_WORK/$1.out" 2>"$RMQ_WORK/$1.err" &
    eval "pid_$1=\$!"
}
slow queue pullThresholdForQueue=10
slow topic pullThresholdForTopic=20

# consumed NAME: how many messages NAME's consumer has consumed so far.
consumed() {
    local n
    n=$(grep -sc '^msg' "$RMQ_WORK/$1.out")
    echo "${n:-0}"
}

# Both have taken their queues and consumed a few messages.
for name in queue topic; do
    for ((i = 0; i < $(rmq_scaled 300); i++)); do
        [ "$(consumed $name)" -ge 10 ] && break
        sleep 0.1
    done
    [ "$(consumed $name)" -ge 10 ] ||
        { tail -20 "$RMQ_WORK/$name.err" >&2; rmq_die "$name: the consumer did not start"; }
done

# check NAME MAX: every queue of the topic caches at most MAX, some more than 0.
check() {
    local cid status counts
    cid=$(sed -n 's/^client id //p' "$RMQ_WORK/$1.out")
    status=$(cd "$RMQ_WORK" && rmq_mqadmin consumerStatus -g "rmqc_flow_$1" -i "$cid" -n "$ns")
    counts=$(echo "$status" | grep -E "^$topic " | grep -oE 'cachedMsgCount=[0-9]+' | cut -d= -f2)
    [ "$(echo "$counts" | grep -c .)" -eq 4 ] ||
        { echo "$status" >&2; rmq_die "$1: consumerStatus does not show the topic's 4 queues"; }
    echo "$counts" | awk -v max="$2" '$1 > max { bad = 1 } $1 > 0 { some = 1 }
        END { exit bad || !some }' ||
        { echo "$status" >&2; rmq_die "$1: cached counts $(echo $counts) not within 1..$2"; }
    [ "$(consumed "$1")" -lt "$total" ] ||
        rmq_die "$1: consumed everything before consumerStatus: the check proves nothing"
    rmq_log "$1: cachedMsgCount per queue $(echo $counts) (at most $2)"
}
check queue 14
check topic 9
for name in queue topic; do
    grep -q "flow control (pullThresholdForQueue)" "$RMQ_WORK/$name.err" ||
        { tail -20 "$RMQ_WORK/$name.err" >&2; rmq_die "$name: no flow control logged"; }
    touch "$RMQ_WORK/$name.stop"
    eval "wait \$pid_$name" || { tail -20 "$RMQ_WORK/$name.err" >&2; rmq_die "$name: exit $?"; }
done

# The rest of the "queue" group's messages, at full speed, from its committed offsets.
timeout -k 5 "$(rmq_scaled 60)" "$push" -n "$ns" -t "$topic" -g rmqc_flow_queue \
    -w "$RMQ_WORK/drain.stop" -r "$RMQ_WORK/queue.rids" -T "$(rmq_scaled 50)" \
    >"$RMQ_WORK/drain.out" 2>&1 &
dpid=$!
for ((i = 0; i < $(rmq_scaled 400); i++)); do
    [ "$(cut -f1 "$RMQ_WORK/queue.rids" | sort -u | wc -l)" -ge "$total" ] && break
    sleep 0.1
done
touch "$RMQ_WORK/drain.stop"
wait $dpid || { tail -20 "$RMQ_WORK/drain.out" >&2; rmq_die "drain: exit $?"; }
got=$(cut -f1 "$RMQ_WORK/queue.rids" | sort -u | wc -l)
[ "$got" -eq "$total" ] || rmq_die "queue: the two runs consumed $got distinct messages, not $total"
rmq_log "queue: the two runs consumed all $total"

lite=$RMQ_BUILD/src/client/example_lite_pull_consumer
[ -x "$lite" ] || rmq_die "no $lite"
timeout -k 5 "$(rmq_scaled 60)" "$lite" -n "$ns" -t "$topic" -g rmqc_flow_lite -x "$total" -c \
    -T "$(rmq_scaled 40)" -d 20 -P 0:1500 -s pullThresholdForAll=8 -s pullBatchSize=4 \
    -s consumeFromWhere=CONSUME_FROM_FIRST_OFFSET >"$RMQ_WORK/lite.out" 2>"$RMQ_WORK/lite.err" ||
    { tail -5 "$RMQ_WORK/lite.out" "$RMQ_WORK/lite.err" >&2; rmq_die "lite: did not poll $total"; }
grep -q "flow control (pullThresholdForAll)" "$RMQ_WORK/lite.err" ||
    { tail -20 "$RMQ_WORK/lite.err" >&2; rmq_die "lite: no flow control logged"; }
awk '$1 == "resumed" { resumed = 1 }
     $1 == "msg" && $2 == 0 && !resumed { print "queue 0 polled while paused"; exit 1 }
     $1 == "msg" { if ($3 != next_off[$2] + 0) { print "queue " $2 ": offset " $3 \
                       " polled, " next_off[$2] + 0 " expected"; exit 1 }
                   next_off[$2] = $3 + 1; n++ }
     END { if (!resumed) { print "never resumed"; exit 1 } }' "$RMQ_WORK/lite.out" ||
    rmq_die "lite: pause or order broken"
sum=$(awk '$1 == "committed" { s += $3 } END { print s }' "$RMQ_WORK/lite.out")
[ "$sum" = "$total" ] || { cat "$RMQ_WORK/lite.out" >&2; rmq_die "lite: committed offsets sum to $sum"; }
rmq_log "lite: $total polled in order, queue 0 only after resume, committed"
rmq_log "PASS"
