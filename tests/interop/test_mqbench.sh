#!/bin/bash
# Interop: mqbench (tools/mqbench, librocketmq's public API) drives both our broker and
# Apache's. For each, a 3 s producer run (4 threads, 1 KiB sync sends, tags and keys) to
# a new topic must write a JSON summary with messages > 0, errors 0, requests equal to
# messages (no batching), latency percentiles in order (min <= p50 <= p99 <= p99.9 <=
# max); and the broker must hold exactly that many messages: the max offsets of the
# topic's queues in Apache `mqadmin topicStatus` sum to the JSON's message count. Then a
# short async run (--window) and a batch run (-b) against our broker with -c: exactly
# COUNT messages stored. consumer mode (push consumer, new group) then drains that
# topic: exactly the 1501 messages, all with the send time stamp. e2e mode (producer and
# consumer in one process) for 3 s to a new topic, on both brokers: received == sent,
# errors 0, end-to-end percentiles with p50 <= p99 <= max.
#
# RMQ_INTEROP_OURS_ONLY=1 (the ASan round of scripts/test.sh) skips the Apache broker run.
# Exit: 0 pass, 77 skip (binaries not built, no java/mvn), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init mqbench 150
rmq_shared_jvm

mqbench=$RMQ_BUILD/tools/mqbench
[ -x "$mqbench" ] || rmq_skip "no $mqbench"

# json_num FILE KEY: the first number after "KEY": in FILE (the summary is flat enough).
json_num() {
    grep -o "\"$2\":[0-9.]*" "$1" | head -1 | cut -d: -f2
}

# topic_max_sum NAMESRV TOPIC BROKER_NAME: sum of the max offsets topicStatus lists.
topic_max_sum() {
    local out
    out=$(rmq_mqadmin topicStatus -t "$2" -n "$1")
    grep -q "^$3 " <<<"$out" || { echo "$out" >&2; rmq_die "topicStatus $2: no $3 rows"; }
    awk -v b="$3" '$1 == b { s += $4 } END { print s + 0 }' <<<"$out"
}

# bench_and_check NAME NAMESRV BROKER_NAME: the 3 s sync run and its checks.
bench_and_check() {
    local name=$1 namesrv=$2 bname=$3 topic=RmqcBench_${1}_$RANDOM json=$RMQ_WORK/$1.json
    rmq_log "$name: mqbench producer 3 s -> $namesrv topic $topic"
    timeout -k 5 "$(rmq_scaled 40)" "$mqbench" producer -n "$namesrv" -t "$topic" -s 1k -w 4 \
        -d 3 --tags TagA --keys -i 1 --json "$json" >"$RMQ_WORK/$name.out" 2>&1 ||
        { cat "$RMQ_WORK/$name.out" >&2; rmq_die "$name: mqbench exited with $?"; }
    cat "$RMQ_WORK/$name.out" >&2
    grep -q '^\[ *[0-9.]*s\] producer TPS [0-9]* .*p99.9 ' "$RMQ_WORK/$name.out" ||
        rmq_die "$name: no progress line"
    local messages requests errors min p50 p99 p999 max
    messages=$(json_num "$json" messages)
    requests=$(json_num "$json" requests)
    errors=$(json_num "$json" errors)
    min=$(json_num "$json" min)
    p50=$(json_num "$json" p50)
    p99=$(json_num "$json" p99)
    p999=$(json_num "$json" p99_9)
    max=$(json_num "$json" max)
    [ -n "$messages" ] && [ "$messages" -gt 0 ] || rmq_die "$name: no messages sent: $(cat "$json")"
    [ "$errors" = 0 ] || rmq_die "$name: $errors errors: $(cat "$json")"
    [ "$requests" = "$messages" ] || rmq_die "$name: $requests requests for $messages messages"
    [ "$min" -le "$p50" ] && [ "$p50" -le "$p99" ] && [ "$p99" -le "$p999" ] &&
        [ "$p999" -le "$max" ] || rmq_die "$name: percentiles out of order: $(cat "$json")"
    grep -q '"tags":"TagA","keys":true' "$json" || rmq_die "$name: config not in the JSON"
    local stored
    stored=$(topic_max_sum "$namesrv" "$topic" "$bname")
    [ "$stored" = "$messages" ] || rmq_die "$name: broker holds $stored messages, mqbench sent $messages"
    rmq_log "ok: $name: $messages messages, errors 0, p50 ${p50}us p99 ${p99}us max ${max}us, broker holds $stored"
}

# 1. Our NameServer and broker.
rmq_start_our_cluster brokerRole=ASYNC_MASTER flushDiskType=ASYNC_FLUSH autoCreateTopicEnable=true
bench_and_check ours "$ns" broker-c

# Async window and batches with -c: exactly COUNT stored (one topic, both runs).
topic=RmqcBenchCount_$RANDOM
"$mqbench" producer -n "$ns" -t "$topic" -w 3 --window 8 -c 1001 -q --json "$RMQ_WORK/async.json" >&2 ||
    rmq_die "async run failed"
"$mqbench" producer -n "$ns" -t "$topic" -w 2 -b 16 -c 500 -s 100 -q --json "$RMQ_WORK/batch.json" >&2 ||
    rmq_die "batch run failed"
[ "$(json_num "$RMQ_WORK/async.json" messages)" = 1001 ] || rmq_die "async: $(cat "$RMQ_WORK/async.json")"
[ "$(json_num "$RMQ_WORK/batch.json" messages)" = 500 ] || rmq_die "batch: $(cat "$RMQ_WORK/batch.json")"
# 500 in batches of 16 from 2 threads: 31 full batches and one of 4.
[ "$(json_num "$RMQ_WORK/batch.json" requests)" = 32 ] || rmq_die "batch: $(cat "$RMQ_WORK/batch.json")"
stored=$(topic_max_sum "$ns" "$topic" broker-c)
[ "$stored" = 1501 ] || rmq_die "async + batch: broker holds $stored, want 1501"
rmq_log "ok: async -c 1001 and batch -c 500: broker holds 1501"

# Consumer mode drains that topic in a new group (from the first offset): exactly the
# 1501 messages, each carrying mqbench's send time stamp.
json=$RMQ_WORK/consumer.json
timeout -k 5 "$(rmq_scaled 40)" "$mqbench" consumer -n "$ns" -t "$topic" -g RmqcBenchCons_$RANDOM \
    -c 1501 -d "$(rmq_scaled 20)" -q --json "$json" >&2 || rmq_die "consumer run failed"
[ "$(json_num "$json" messages)" = 0 ] || rmq_die "consumer: sent something: $(cat "$json")"
received=$(grep -o '"received":{[^}]*}' "$json")
[ "$(json_num <(echo "$received") messages)" = 1501 ] &&
    [ "$(json_num <(echo "$received") unstamped)" = 0 ] ||
    rmq_die "consumer: received $received, want 1501 stamped"
rmq_log "ok: consumer mode received exactly 1501"

# e2e_and_check NAME NAMESRV: a 3 s e2e run (2 sync threads, 256 B) to a new topic, a
# new group: everything stored is received (received == sent, errors 0), with
# end-to-end percentiles in order (count == received, p50 <= p99 <= max).
e2e_and_check() {
    local name=$1 namesrv=$2 topic=RmqcBenchE2E_${1}_$RANDOM json=$RMQ_WORK/e2e-$1.json
    rmq_log "$name: mqbench e2e 3 s -> $namesrv topic $topic"
    timeout -k 5 "$(rmq_scaled 40)" "$mqbench" e2e -n "$namesrv" -t "$topic" -g "G$topic" -w 2 \
        -s 256 -d 3 -i 1 --json "$json" >"$RMQ_WORK/e2e-$name.out" 2>&1 ||
        { cat "$RMQ_WORK/e2e-$name.out" >&2; rmq_die "$name: mqbench e2e exited with $?"; }
    cat "$RMQ_WORK/e2e-$name.out" >&2
    grep -q '^\[ *[0-9.]*s\] receive TPS [0-9]* .*e2e latency ms p50 ' "$RMQ_WORK/e2e-$name.out" ||
        rmq_die "$name: no receive progress line"
    local sent errors received e2e count p50 p99 max
    sent=$(json_num "$json" messages)
    errors=$(json_num "$json" errors)
    received=$(grep -o '"received":{[^}]*}' "$json")
    e2e=$(grep -o '"e2e_latency_us":{[^}]*}' "$json")
    count=$(json_num <(echo "$e2e") count)
    p50=$(json_num <(echo "$e2e") p50)
    p99=$(json_num <(echo "$e2e") p99)
    max=$(json_num <(echo "$e2e") max)
    [ -n "$sent" ] && [ "$sent" -gt 0 ] || rmq_die "$name: nothing sent: $(cat "$json")"
    [ "$errors" = 0 ] || rmq_die "$name: $errors errors: $(cat "$json")"
    [ "$(json_num <(echo "$received") messages)" = "$sent" ] ||
        rmq_die "$name: sent $sent, $received"
    [ "$count" = "$sent" ] || rmq_die "$name: $count e2e samples for $sent messages"
    [ "$p50" -gt 0 ] && [ "$p50" -le "$p99" ] && [ "$p99" -le "$max" ] ||
        rmq_die "$name: e2e percentiles out of order: $e2e"
    rmq_log "ok: $name: e2e $sent sent and received, e2e p50 ${p50}us p99 ${p99}us max ${max}us"
}
e2e_and_check ours "$ns"

# 2. The Apache broker, registered with a second NameServer of ours.
rmq_ours_only && { rmq_log "PASS ($(rmq_elapsed) s)"; exit 0; }
ns2_port=$(rmq_free_port)
apache_port=$(rmq_free_port 2 1)
rmq_start_namesrv_under_test ns2 "$ns2_port"
rmq_start_apache_broker apache 127.0.0.1:$ns2_port "$apache_port" broker-a
rmq_wait_apache_registered 127.0.0.1:$ns2_port "127.0.0.1:$apache_port" wait-route TBW102 ||
    rmq_die "the Apache broker never registered with 127.0.0.1:$ns2_port"
rmq_check_loopback_only
bench_and_check apache 127.0.0.1:$ns2_port broker-a
e2e_and_check apache 127.0.0.1:$ns2_port
rmq_log "PASS ($(rmq_elapsed) s)"
