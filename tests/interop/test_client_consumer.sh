#!/bin/bash
# Interop: our C push consumer (examples/push_consumer.c, librocketmq) against the
# official Java client 5.3.3.
#
#  1. Byte for byte: the Java DefaultMQProducer (org.rocketmqc.interop.ClientConsumerSend)
#     sends 12 single messages (tags, two keys, user properties one non-ASCII, binary
#     bodies), one 16 KiB body it compresses with zlib and one batch of 4, recording
#     each; our push consumer, in a fresh group, must receive every one with the same
#     tags, keys, properties, body and message id (UNIQ_KEY), the compressed one still
#     flagged zlib-compressed (examples/push_consumer.c -v). Then `mqadmin
#     resetOffsetByTime -s 0` (RESET_CONSUMER_CLIENT_OFFSET from the broker) makes it
#     consume all 17 again.
#  2. One group, two clients: a Java DefaultMQPushConsumer (ClientConsumerShare) and our
#     push consumer join a group on a new 4-queue topic; once both hold queues, 40
#     messages are sent. Each member must have consumed some, no queue may have been
#     consumed by both, and together they must have consumed all 40 (no loss).
#     `mqadmin consumerStatus` shows our consumer's running info (the broker asks it
#     with GET_CONSUMER_RUNNING_INFO): its properties and subscriptions.
#
# Run against our mqnamesrv + mqbroker, and against the Apache broker (5.3.3) registered
# with a second mqnamesrv of ours.
#
# RMQ_INTEROP_OURS_ONLY=1 (the ASan round of scripts/test.sh) skips the Apache broker run.
# Exit: 0 pass, 77 skip (binaries not built), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init client_consumer 150
rmq_shared_jvm

consumer=$RMQ_BUILD/src/client/example_push_consumer
[ -x "$consumer" ] || rmq_skip "no $consumer"

# byte_for_byte NAME NAMESRV
byte_for_byte() {
    local name=$1 namesrv=$2 topic=RmqcClientConsumer_${1}_$RANDOM out=$RMQ_WORK/$1.c.out
    rmq_run_java "$name.send" 60 org.rocketmqc.interop.ClientConsumerSend \
        "$namesrv" "$topic" "$RMQ_WORK/$name.tsv" 12 | grep -q 'sent=17' ||
        rmq_die "$name: the Java producer did not send 17 messages"
    rmq_log "$name: push_consumer -v ($(wc -l <"$RMQ_WORK/$name.tsv") messages)"
    local stop=$RMQ_WORK/$name.cc.stop pid i
    : >"$out" # the polls below read it before the consumer may have opened it
    timeout -k 5 "$(rmq_scaled 60)" "$consumer" -n "$namesrv" -t "$topic" -g "rmqc_cc_$name" \
        -v "$RMQ_WORK/$name.tsv" -w "$stop" -T "$(rmq_scaled 50)" >"$out" 2>&1 &
    pid=$!
    for ((i = 0; i < $(rmq_scaled 300); i++)); do
        [ "$(grep -c '^msg' "$out")" -ge 17 ] && break
        sleep 0.1
    done
    # The broker relays mqadmin's offset reset to our consumer
    # (RESET_CONSUMER_CLIENT_OFFSET): it consumes all 17 again.
    rmq_log "$name: consumed once; resetOffsetByTime"
    rmq_mqadmin resetOffsetByTime -g "rmqc_cc_$name" -t "$topic" -s 0 -n "$namesrv" >"$out.reset"
    for ((i = 0; i < $(rmq_scaled 300); i++)); do
        [ "$(grep -c '^msg' "$out")" -ge 34 ] && break
        sleep 0.1
    done
    touch "$stop"
    wait $pid || { tail -20 "$out" >&2; rmq_die "$name: our consumer did not receive what Java sent"; }
    grep -q '^done: 17 received, 0 mismatches' "$out" ||
        { tail -20 "$out" >&2; rmq_die "$name: unexpected summary"; }
    [ "$(grep -c '^msg' "$out")" -ge 34 ] ||
        { cat "$out.reset" >&2; rmq_die "$name: the offset reset did not reach our consumer"; }
}

# shared_group NAME NAMESRV
shared_group() {
    local name=$1 namesrv=$2 topic=RmqcClientShare_${1}_$RANDOM group=rmqc_share_$1
    local jout=$RMQ_WORK/$name.java.rids cout=$RMQ_WORK/$name.c.rids stop=$RMQ_WORK/$name.stop
    local jlog=$RMQ_WORK/$name.share.log clog=$RMQ_WORK/$name.share.c.out jpid cpid i
    : >"$jout"
    : >"$cout"
    : >"$jlog" # the polls below read these before the members may have opened them
    : >"$clog"
    # The topic exists (4 queues, one message "pre-0" outside the checks) before anyone
    # subscribes.
    rmq_run_java "$name.create" 60 org.rocketmqc.interop.ClientConsumerSend \
        "$namesrv" "$topic" "$RMQ_WORK/$name.pre.tsv" -1 >/dev/null ||
        rmq_die "$name: could not create $topic"
    rmq_run_java "$name.share" 90 org.rocketmqc.interop.ClientConsumerShare \
        "$namesrv" "$topic" "$group" "$jout" "$stop" "$(rmq_scaled 80)" >"$jlog" 2>&1 &
    jpid=$!
    timeout -k 5 "$(rmq_scaled 90)" "$consumer" -n "$namesrv" -t "$topic" -g "$group" \
        -r "$cout" -w "$stop" -T "$(rmq_scaled 80)" -s logLevel=info >"$clog" 2>&1 &
    cpid=$!
    # Both members settled on 2 of the 4 queues (ours logs each queue it takes or drops);
    # only then are messages sent, so no queue changes hands while they are consumed.
    local held=0
    for ((i = 0; i < $(rmq_scaled 300); i++)); do
        held=$(($(grep -c "takes $topic@" "$clog") - $(grep -c "drops $topic@" "$clog")))
        [ "$(grep -E 'queues=' "$jlog" | tail -1)" = "ClientConsumerShare: queues=2" ] &&
            [ "$held" -eq 2 ] && break
        sleep 0.1
    done
    [ "$(grep -E 'queues=' "$jlog" | tail -1)" = "ClientConsumerShare: queues=2" ] &&
        [ "$held" -eq 2 ] ||
        rmq_die "$name: members never settled on 2 queues each (java: $(grep -E 'queues=' "$jlog" | tail -1), ours: $held)"
    rmq_log "$name: members balanced: java $(grep -E 'queues=' "$jlog" | tail -1), ours $held"
    rmq_run_java "$name.send" 60 org.rocketmqc.interop.ClientConsumerSend \
        "$namesrv" "$topic" "$RMQ_WORK/$name.tsv" 35 | grep -q 'sent=40' ||
        rmq_die "$name: the Java producer did not send 40 messages"
    for ((i = 0; i < $(rmq_scaled 300); i++)); do
        [ "$(cat "$jout" "$cout" | grep -v '^pre-' | cut -f1 | sort -u | wc -l)" -ge 40 ] && break
        sleep 0.1
    done
    # What each member consumed up to now is what is checked below: once the stop file
    # exists, the member that stops first leaves the group and the other may take over
    # its queues and consume again what was not yet committed (at-least-once).
    cp "$jout" "$jout.seen"
    cp "$cout" "$cout.seen"
    # The broker asks our consumer for its running info (GET_CONSUMER_RUNNING_INFO) on
    # behalf of mqadmin consumerStatus.
    local cid status
    cid=$(sed -n 's/^client id //p' "$clog")
    status=$(rmq_mqadmin consumerStatus -g "$group" -i "$cid" -n "$namesrv")
    echo "$status" | grep -qE '^PROP_CONSUME_TYPE +: CONSUME_PASSIVELY' &&
        echo "$status" | grep -qE "Topic: $topic +ClassFilter: false +SubExpression: \*" ||
        { echo "$status" >&2; rmq_die "$name: consumerStatus of our consumer is wrong"; }
    touch "$stop"
    wait $cpid || { tail -20 "$clog" >&2; rmq_die "$name: our consumer exited with $?"; }
    wait $jpid || rmq_die "$name: the Java consumer exited with $?"
    local total nj nc both
    jout=$jout.seen cout=$cout.seen
    sed -i '/^pre-/d' "$jout" "$cout"
    total=$(cat "$jout" "$cout" | cut -f1 | sort -u | wc -l)
    nj=$(wc -l <"$jout")
    nc=$(wc -l <"$cout")
    both=$(comm -12 <(cut -f2 "$jout" | sort -u) <(cut -f2 "$cout" | sort -u) | wc -l)
    rmq_log "$name: java consumed $nj, ours $nc, distinct $total, queues in both: $both"
    [ "$total" -eq 40 ] || rmq_die "$name: only $total of 40 messages consumed"
    [ "$nj" -gt 0 ] && [ "$nc" -gt 0 ] || rmq_die "$name: one member consumed nothing"
    [ "$both" -eq 0 ] || rmq_die "$name: $both queues were consumed by both members"
}

# 1. Our NameServer and broker.
rmq_start_our_cluster brokerRole=ASYNC_MASTER flushDiskType=ASYNC_FLUSH \
    autoCreateTopicEnable=true autoCreateSubscriptionGroup=true
byte_for_byte ours "$ns"
shared_group ours "$ns"

# 2. The Apache broker, registered with a second NameServer of ours.
rmq_ours_only && { rmq_log "PASS"; exit 0; }
rmq_start_apache_behind_ours
byte_for_byte apache "$apache_ns"
shared_group apache "$apache_ns"
rmq_log "PASS"
