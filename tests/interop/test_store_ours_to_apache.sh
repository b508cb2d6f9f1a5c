#!/bin/bash
# Store compatibility, ours -> Apache (issue 3): a store directory written by our store
# is started by the Apache RocketMQ broker, and the official Java client reads every
# message in order from it and finds each one by key, unique key and offset message id.
#
#   1. write_store (tests/interop/store_compat) writes, with our store, topics.json (two
#      topics, 4 + 2 queues) and 1500 messages plus 15 batches of 16 (tags incl. multi-
#      byte and non-BMP ones, keys, UNIQ_KEYs, user properties, zlib-compressed bodies)
#      in 4 MB commit-log segments, 100-entry consume-queue files and 2000-entry index
#      files, closes it cleanly and writes the manifest. The store host in the records is
#      the address the broker will listen on.
#   2. An Apache broker with the same file sizes starts on that directory and registers
#      with a NameServer (ours if built, else Apache's).
#   3. org.rocketmqc.interop.StoreCompatConsume checks min/max offsets, consumes every
#      queue from offset 0 with DefaultLitePullConsumer (order, bodies, tags, keys,
#      properties, ids), consumes again with a tag filter (the broker filters on the tag
#      hash codes our store wrote), and looks every message up with viewMessage (offset
#      message id), queryMessage (key) and queryMessageByUniqKey through our IndexFile.
#   4. org.rocketmqc.interop.StoreCompatProduce appends 300 messages and 3 batches to the
#      same topics through the Apache broker (continuing our last commit-log segment,
#      index file and queue offsets).
#   5. The broker is stopped cleanly and verify_store checks the directory once more
#      with our store, our messages and the appended ones (a round trip ours -> Apache
#      -> ours).
#
# Env: RMQ_BUILD, RMQ_STORE_COMPAT_COUNT (1500).
# Exit: 0 pass, 77 skip (no java/mvn or the C programs not built), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init store_ours_to_apache 200

bin=$RMQ_BUILD/tests/interop/store_compat
[ -x "$bin/write_store" ] && [ -x "$bin/verify_store" ] ||
    rmq_skip "no $bin/write_store or verify_store (build the tree first)"

# stop_broker_cleanly: SIGTERM and wait for the Apache broker's graceful shutdown (about
# 10 s: it unregisters and its store pauses before the final flush), bounded by 60 s
# scaled, longer than rmq_kill's fixed 20 s.
stop_broker_cleanly() {
    local pid deadline
    pid=$(rmq_pid broker)
    kill -TERM "$pid" 2>/dev/null || true
    deadline=$((SECONDS + $(rmq_scaled 60)))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && rmq_die "the Apache broker did not stop on SIGTERM"
    rmq_kill broker TERM # already gone: only forgets the job
}

sizes=(--cl-size 4194304 --cq-size 2000 --index-slots 500 --index-num 2000)

ns_port=$(rmq_free_port)
broker_port=$(rmq_free_port 2 1)
ns=127.0.0.1:$ns_port
store=$RMQ_WORK/broker/store # where rmq_start_apache_broker puts the broker's store
manifest=$RMQ_WORK/manifest.tsv

"$bin/write_store" "${sizes[@]}" --count "${RMQ_STORE_COMPAT_COUNT:-1500}" \
    --store-host "127.0.0.1:$broker_port" "$store" "$manifest" >"$RMQ_WORK/write.out" 2>&1 ||
    rmq_die "write_store failed (see $RMQ_WORK/write.out)"
grep '^write_store:' "$RMQ_WORK/write.out" >&2
rmq_log "our store: $(ls "$store/commitlog" | wc -l) commit-log segments, $(ls "$store/index" | wc -l) index files"

if [ -n "${RMQ_NAMESRV_CMD:-}" ] || [ -x "$RMQ_BUILD/programs/mqnamesrv" ]; then
    rmq_start_namesrv_under_test ns "$ns_port"
else
    rmq_start_apache_namesrv ns "$ns_port"
fi
rmq_start_apache_broker broker "$ns" "$broker_port" broker-a \
    "mappedFileSizeCommitLog=4194304" "mappedFileSizeConsumeQueue=2000" \
    "maxHashSlotNum=500" "maxIndexNum=2000"
rmq_probe "$ns" wait-route OursCompatA 60000 >/dev/null ||
    rmq_die "the broker never registered OursCompatA (from our topics.json) with $ns"
rmq_check_loopback_only

rmq_run_java consume 150 org.rocketmqc.interop.StoreCompatConsume \
    "$ns" "$manifest" DefaultCluster "$(rmq_scaled 120)" ||
    rmq_die "StoreCompatConsume failed"

# The Apache broker appends to our topics: its writes continue our last commit-log
# segment, our last index file and our queues' offsets.
rmq_run_java produce 150 org.rocketmqc.interop.StoreCompatProduce \
    "$ns" "127.0.0.1:$broker_port" "$RMQ_WORK/appended.tsv" 300 "$(rmq_scaled 120)" OursCompat ||
    rmq_die "StoreCompatProduce (appending to our store) failed"

stop_broker_cleanly
rmq_log "broker stopped, verifying $store (ours + appended by Apache) with our store"
cat "$manifest" >"$RMQ_WORK/all.tsv"
grep -v '^#' "$RMQ_WORK/appended.tsv" >>"$RMQ_WORK/all.tsv"
"$bin/verify_store" "${sizes[@]}" --expect-abort no --reopen "$store" "$RMQ_WORK/all.tsv" \
    >"$RMQ_WORK/verify.out" 2>&1
rc=$?
grep '^verify_store:' "$RMQ_WORK/verify.out" >&2
[ $rc -eq 0 ] || rmq_die "verify_store failed (exit $rc, see $RMQ_WORK/verify.out)"
