#!/bin/bash
# Interop: our C producer (examples/producer.c, librocketmq) sends in every mode - sync,
# async with a callback, one-way, one batch, ordered by a key hash - plus one 16 KiB body
# that it compresses with zlib; every message has tags, two keys, user properties
# (one non-ASCII) and a binary body. The producer records what it sent; the official
# Java DefaultMQPushConsumer (5.3.3, org.rocketmqc.interop.ClientProducerVerify) must
# receive each message byte for byte: tags, keys, user properties, body, message id
# (UNIQ_KEY), the compressed one stored compressed (zlib type bits), the ordered ones on
# one queue. The topics are new: the producer sends them through the TBW102 route and
# the broker creates them. While the producer is still up, `mqadmin producerConnection`
# must list its client id for its group (the heartbeat reached the broker).
#
# Run twice: against our mqnamesrv + mqbroker, and against the Apache broker (5.3.3)
# registered with a second mqnamesrv of ours, there with sendLatencyFaultEnable on.
#
# RMQ_INTEROP_OURS_ONLY=1 (the ASan round of scripts/test.sh) skips the Apache broker run.
# Exit: 0 pass, 77 skip (binaries not built), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init client_producer 150
rmq_shared_jvm

producer=$RMQ_BUILD/src/client/example_producer
[ -x "$producer" ] || rmq_skip "no $producer"

# run_producer_and_verify NAME NAMESRV EXTRA_PRODUCER_ARGS...
run_producer_and_verify() {
    local name=$1 namesrv=$2 topic=RmqcClientProducer_${1}_$RANDOM
    local group=rmqc_cp_$1 out=$RMQ_WORK/$1.producer.out stop=$RMQ_WORK/$1.stop pid i
    shift 2
    rmq_log "$name: example_producer -> $namesrv topic $topic"
    # It stays up after sending (heartbeats) until $stop exists.
    timeout -k 5 "$(rmq_scaled 120)" "$producer" -n "$namesrv" -t "$topic" -c 5 -g "$group" \
        -r "$RMQ_WORK/$name.tsv" -w "$stop" "$@" >"$out" 2>&1 &
    pid=$!
    for ((i = 0; i < $(rmq_scaled 600); i++)); do
        grep -q '^done:' "$out" || ! kill -0 $pid 2>/dev/null && break
        sleep 0.1
    done
    grep -q '^done: 0 failed' "$out" || { cat "$out" >&2; rmq_die "$name: the C producer failed"; }
    local sent client_id
    sent=$(wc -l <"$RMQ_WORK/$name.tsv")
    # 5 each of sync, async, oneway, batch, ordered + 1 compressed.
    [ "$sent" -eq 26 ] || rmq_die "$name: the producer recorded $sent messages, not 26"
    rmq_log "$name: ClientProducerVerify ($sent messages)"
    rmq_run_java "$name.verify" 120 org.rocketmqc.interop.ClientProducerVerify \
        "$namesrv" "$topic" "$RMQ_WORK/$name.tsv" "$(rmq_scaled 90)" ||
        rmq_die "$name: the Java consumer did not receive what the C producer sent"
    # The producer's heartbeat (first after 1 s) registered its group with the broker.
    client_id=$(sed -n 's/^client id //p' "$out")
    local conn
    conn=$(rmq_mqadmin producerConnection -g "$group" -t "$topic" -n "$namesrv")
    echo "$conn" | grep -F -- "$client_id" | grep -qE '127\.0\.0\.1:[0-9]+ +CPP +V' ||
        { echo "$conn" >&2; rmq_die "$name: producerConnection does not list $client_id"; }
    touch "$stop"
    wait $pid || rmq_die "$name: the C producer exited with $?"
}

# 1. Our NameServer and broker.
rmq_start_our_cluster brokerRole=ASYNC_MASTER flushDiskType=ASYNC_FLUSH \
    autoCreateTopicEnable=true autoCreateSubscriptionGroup=true
run_producer_and_verify ours "$ns"

# 2. The Apache broker, registered with a second NameServer of ours.
rmq_ours_only && { rmq_log "PASS"; exit 0; }
rmq_start_apache_behind_ours
run_producer_and_verify apache "$apache_ns" -s sendLatencyFaultEnable=true
rmq_log "PASS"
