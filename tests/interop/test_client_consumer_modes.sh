#!/bin/bash
# Interop: the modes of our C consumers (examples/push_consumer.c, lite_pull_consumer.c)
# on messages the Java 5.3.3 producer sent (ClientConsumerSend: 3 singles, one zlib body,
# a batch of 4 = 8 messages on a new 4-queue topic), each checked byte for byte:
#
#  retry      a concurrent push consumer answers RECONSUME_LATER to the first delivery of
#             every message: each comes back through %RETRY%<group> (the broker's delay
#             level 3, 10 s) with reconsumeTimes 1 and the original topic, intact.
#  orderly    an orderly push consumer (queues locked on the broker) answers SUSPEND to
#             each first delivery: every message comes again from the same queue, in
#             queue order, before the next one. With maxReconsumeTimes 1, a second
#             SUSPEND sends each message to %DLQ%<group> (read back with lite pull).
#  broadcast  two push consumers of one BROADCASTING group each receive all 8; each
#             keeps its offsets in <localOffsetStoreDir>/<clientId>/<group>/offsets.json
#             summing to 8.
#  lite pull  assign every queue, poll all 8 from the first offset and commit: the
#             broker holds offsets summing to 8; a second run of the group gets nothing
#             new; a third seeks the batch's queue to offset 1 and gets offset 1 first;
#             in subscribe mode (rebalanced) a lone member polls all 8.
#
# Run against our mqnamesrv + mqbroker, and against the Apache broker (5.3.3) registered
# with a second mqnamesrv of ours.
#
# RMQ_INTEROP_OURS_ONLY=1 (the ASan round of scripts/test.sh) skips the Apache broker run.
# Exit: 0 pass, 77 skip (binaries not built), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init client_consumer_modes 150

push=$RMQ_BUILD/src/client/example_push_consumer
lite=$RMQ_BUILD/src/client/example_lite_pull_consumer
[ -x "$push" ] && [ -x "$lite" ] || rmq_skip "no $push or $lite"

# modes NAME NAMESRV
modes() {
    local name=$1 namesrv=$2 topic=RmqcClientModes_${1}_$RANDOM rec=$RMQ_WORK/$1.tsv
    local w=$RMQ_WORK/$name rpid b1 b2 out
    rmq_run_java "$name.send" 60 org.rocketmqc.interop.ClientConsumerSend \
        "$namesrv" "$topic" "$rec" 3 | grep -q 'sent=8' ||
        rmq_die "$name: the Java producer did not send 8 messages"

    # Retry: in the background while the other modes run.
    timeout -k 5 "$(rmq_scaled 60)" "$push" -n "$namesrv" -t "$topic" -g "rmqc_retry_$name" \
        -l 1 -v "$rec" -T "$(rmq_scaled 50)" >"$w.retry.out" 2>&1 &
    rpid=$!

    # Orderly.
    timeout -k 5 "$(rmq_scaled 40)" "$push" -n "$namesrv" -t "$topic" -g "rmqc_orderly_$name" \
        -o -l 1 -v "$rec" -T "$(rmq_scaled 30)" >"$w.orderly.out" 2>&1 ||
        { tail -20 "$w.orderly.out" >&2; rmq_die "$name: orderly consumer failed"; }
    # Per queue: offsets in order, each delivered with reconsumeTimes 0 then 1 in a row.
    awk '$1 == "msg" {
            q = $2; o = $3; r = $4
            if (r == 0) { if (o < last[q]) bad = "out of order on queue " q; pend[q] = o }
            else if (pend[q] != o) bad = "offset " o " of queue " q " not redelivered at once"
            else { last[q] = o + 1; delete pend[q]; n++ }
         }
         END { if (bad) { print bad; exit 1 } if (n != 8) { print n " redelivered"; exit 1 } }' \
        "$w.orderly.out" || rmq_die "$name: orderly delivery broken"

    # Orderly past maxReconsumeTimes (1): the second SUSPEND sends the message to
    # %DLQ%<group> (send-back with delay level -1) and the queue moves on.
    timeout -k 5 "$(rmq_scaled 40)" "$push" -n "$namesrv" -t "$topic" -g "rmqc_dlq_$name" \
        -o -l 2 -X 16 -T "$(rmq_scaled 30)" -s maxReconsumeTimes=1 \
        -s suspendCurrentQueueTimeMillis=100 >"$w.dlq.out" 2>&1 ||
        { tail -20 "$w.dlq.out" >&2; rmq_die "$name: orderly consumer (DLQ) failed"; }
    "$lite" -n "$namesrv" -t "%DLQ%rmqc_dlq_$name" -g "rmqc_dlqread_$name" -x 8 \
        -T "$(rmq_scaled 20)" -s consumeFromWhere=CONSUME_FROM_FIRST_OFFSET >"$w.dlqread.out" 2>&1 ||
        { cat "$w.dlqread.out" >&2; rmq_die "$name: the DLQ does not hold the 8 messages"; }

    # Broadcasting: two members, each receives everything.
    timeout -k 5 "$(rmq_scaled 40)" "$push" -n "$namesrv" -t "$topic" -g "rmqc_bc_$name" \
        -v "$rec" -T "$(rmq_scaled 30)" -s messageModel=BROADCASTING \
        -s localOffsetStoreDir="$w.offsets" -s instanceName=b1 \
        -s consumeFromWhere=CONSUME_FROM_FIRST_OFFSET >"$w.bc1.out" 2>&1 &
    b1=$!
    timeout -k 5 "$(rmq_scaled 40)" "$push" -n "$namesrv" -t "$topic" -g "rmqc_bc_$name" \
        -v "$rec" -T "$(rmq_scaled 30)" -s messageModel=BROADCASTING \
        -s localOffsetStoreDir="$w.offsets" -s instanceName=b2 \
        -s consumeFromWhere=CONSUME_FROM_FIRST_OFFSET >"$w.bc2.out" 2>&1 ||
        { tail -20 "$w.bc2.out" >&2; rmq_die "$name: broadcasting member 2 failed"; }
    wait $b1 || { tail -20 "$w.bc1.out" >&2; rmq_die "$name: broadcasting member 1 failed"; }
    local f sum
    for out in "$w.bc1.out" "$w.bc2.out"; do
        f=$w.offsets/$(sed -n 's/^client id //p' "$out")/rmqc_bc_$name/offsets.json
        [ -f "$f" ] || rmq_die "$name: no offset file $f"
        sum=$(grep -oE '}:[0-9]+' "$f" | cut -d: -f2 | paste -sd+ | bc)
        [ "$sum" = 8 ] || { cat "$f" >&2; rmq_die "$name: offsets in $f sum to $sum, not 8"; }
    done

    # Lite pull: assign, poll everything, commit.
    local g=rmqc_lite_$name
    "$lite" -n "$namesrv" -t "$topic" -g "$g" -x 8 -c -T "$(rmq_scaled 20)" \
        -s consumeFromWhere=CONSUME_FROM_FIRST_OFFSET >"$w.lite1.out" 2>&1 ||
        { cat "$w.lite1.out" >&2; rmq_die "$name: lite pull did not poll 8"; }
    sum=$(awk '$1 == "committed" { s += $3 } END { print s }' "$w.lite1.out")
    [ "$sum" = 8 ] || { cat "$w.lite1.out" >&2; rmq_die "$name: committed offsets sum to $sum"; }
    "$lite" -n "$namesrv" -t "$topic" -g "$g" -T 2 >"$w.lite2.out" 2>&1
    grep -q '^done: 0$' "$w.lite2.out" ||
        { cat "$w.lite2.out" >&2; rmq_die "$name: lite pull re-read committed messages"; }
    local q
    q=$(awk '$1 == "committed" && $3 >= 2 { print $2; exit }' "$w.lite1.out")
    "$lite" -n "$namesrv" -t "$topic" -g "$g" -S "$q:1" -x 1 -T "$(rmq_scaled 10)" \
        >"$w.lite3.out" 2>&1 || { cat "$w.lite3.out" >&2; rmq_die "$name: seek: nothing polled"; }
    [ "$(grep -m1 '^msg' "$w.lite3.out" | cut -d' ' -f2,3)" = "$q 1" ] ||
        { cat "$w.lite3.out" >&2; rmq_die "$name: seek to $q:1 not honoured"; }

    # Lite pull, subscribe mode: the group's rebalance gives the only member every queue.
    "$lite" -n "$namesrv" -t "$topic" -g "rmqc_lites_$name" -u -x 8 -T "$(rmq_scaled 20)" \
        -s consumeFromWhere=CONSUME_FROM_FIRST_OFFSET >"$w.lite4.out" 2>&1 ||
        { cat "$w.lite4.out" >&2; rmq_die "$name: lite pull (subscribe) did not poll 8"; }

    wait $rpid || { tail -20 "$w.retry.out" >&2; rmq_die "$name: retry consumer failed"; }
    # Each message twice: first with reconsumeTimes 0, then 1 from %RETRY%, topic restored.
    [ "$(awk '$1 == "msg" && $4 == 1 && $6 == "'"$topic"'"' "$w.retry.out" | wc -l)" -ge 8 ] ||
        { cat "$w.retry.out" >&2; rmq_die "$name: messages did not come back through %RETRY%"; }
    rmq_log "$name: retry, orderly, broadcasting and lite pull ok"
}

# 1. Our NameServer and broker.
rmq_start_our_cluster brokerRole=ASYNC_MASTER flushDiskType=ASYNC_FLUSH \
    autoCreateTopicEnable=true autoCreateSubscriptionGroup=true
modes ours "$ns"

# 2. The Apache broker, registered with a second NameServer of ours.
rmq_ours_only && { rmq_log "PASS"; exit 0; }
rmq_start_apache_behind_ours
modes apache "$apache_ns"
rmq_log "PASS"
