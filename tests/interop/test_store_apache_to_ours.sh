#!/bin/bash
# Store compatibility, Apache -> ours (issue 3): a store directory written by the Apache
# RocketMQ broker is recovered and read by our store with every message, queue offset
# and key lookup intact.
#
#   1. An Apache broker with small files (4 MB commit-log segments, 100-entry consume-
#      queue files, 2000-entry index files, so each kind rolls over several times)
#      registers with a NameServer (ours if built, else Apache's).
#   2. org.rocketmqc.interop.StoreCompatProduce creates two topics and sends 1500
#      messages plus 15 batches of 16 with the Java client (tags incl. multi-byte and
#      non-BMP ones, keys, user properties, compressed large bodies) to chosen queues,
#      and writes the manifest of what the broker acknowledged.
#   3. The broker is stopped: SIGTERM (clean shutdown, no abort file: normal recovery)
#      or, with RMQ_STORE_COMPAT_STOP=kill (test_store_apache_to_ours_kill.sh), SIGKILL
#      (abort file left behind: abnormal recovery from the checkpoint).
#   4. verify_store (tests/interop/store_compat) opens the directory with our store and
#      checks every manifest message by topic/queue/offset, by physical offset and
#      through the IndexFile, plus min/max offsets; then closes, reopens and checks again.
#   5. The consume queues, index files and checkpoint are deleted and verify_store runs
#      once more: our store rebuilds them from the Apache commit log alone, and the
#      rebuilt consume-queue files must be byte-identical to the Apache broker's.
#
# Env: RMQ_BUILD, RMQ_STORE_COMPAT_STOP (term|kill), RMQ_STORE_COMPAT_COUNT (1500).
# Exit: 0 pass, 77 skip (no java/mvn or verify_store not built), other fail.
. "$(dirname "$0")/lib.sh"
stop_mode=${RMQ_STORE_COMPAT_STOP:-term}
rmq_init "store_apache_to_ours_$stop_mode" 200

verify=$RMQ_BUILD/tests/interop/store_compat/verify_store
[ -x "$verify" ] || rmq_skip "no $verify (build the tree first)"
case $stop_mode in term | kill) ;; *) rmq_die "RMQ_STORE_COMPAT_STOP must be term or kill" ;; esac

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

cl_size=4194304
cq_size=2000
index_slots=500
index_num=2000

ns_port=$(rmq_free_port)
broker_port=$(rmq_free_port 2 1)
ns=127.0.0.1:$ns_port
if [ -n "${RMQ_NAMESRV_CMD:-}" ] || [ -x "$RMQ_BUILD/programs/mqnamesrv" ]; then
    rmq_start_namesrv_under_test ns "$ns_port"
else
    rmq_start_apache_namesrv ns "$ns_port"
fi
rmq_start_apache_broker broker "$ns" "$broker_port" broker-a \
    "mappedFileSizeCommitLog=$cl_size" "mappedFileSizeConsumeQueue=$cq_size" \
    "maxHashSlotNum=$index_slots" "maxIndexNum=$index_num"
store=$RMQ_WORK/broker/store
rmq_probe "$ns" wait-broker broker-a 60000 >/dev/null || rmq_die "broker never registered with $ns"
rmq_check_loopback_only

manifest=$RMQ_WORK/manifest.tsv
t0=$(rmq_elapsed)
rmq_run_java produce 150 org.rocketmqc.interop.StoreCompatProduce \
    "$ns" "127.0.0.1:$broker_port" "$manifest" "${RMQ_STORE_COMPAT_COUNT:-1500}" "$(rmq_scaled 120)" ||
    rmq_die "StoreCompatProduce failed"
rmq_log "produced in $(awk -v a="$t0" -v b="$(rmq_elapsed)" 'BEGIN { printf "%.1f", b - a }')s:" \
    "$(ls "$store/commitlog" | wc -l) commit-log segments, $(ls "$store/index" | wc -l) index files"

if [ "$stop_mode" = kill ]; then
    rmq_kill broker KILL
    expect_abort=yes
else
    stop_broker_cleanly
    expect_abort=no
fi
rmq_log "broker stopped (SIG${stop_mode^^}), verifying $store with our store"

"$verify" --cl-size $cl_size --cq-size $cq_size --index-slots $index_slots \
    --index-num $index_num --expect-abort $expect_abort --reopen "$store" "$manifest" \
    >"$RMQ_WORK/verify.out" 2>&1
rc=$?
grep -E '^verify_store:|\[store\] recovery' "$RMQ_WORK/verify.out" >&2
[ $rc -eq 0 ] || rmq_die "verify_store failed (exit $rc, see $RMQ_WORK/verify.out)"

# Rebuild from the Apache commit log alone (the operator's way to repair queues and
# index): our dispatch must derive the same queue offsets, tag codes and index keys
# from the Apache records as the Apache broker did.
mv "$store/consumequeue" "$RMQ_WORK/consumequeue.apache"
rm -rf "$store/index" "$store/checkpoint"
rmq_log "consume queues, index and checkpoint removed: verifying the rebuild"
"$verify" --cl-size $cl_size --cq-size $cq_size --index-slots $index_slots \
    --index-num $index_num --expect-abort no "$store" "$manifest" >"$RMQ_WORK/rebuild.out" 2>&1
rc=$?
grep -E '^verify_store:|\[store\] recovery' "$RMQ_WORK/rebuild.out" >&2
[ $rc -eq 0 ] || rmq_die "verify_store after the rebuild failed (exit $rc, see $RMQ_WORK/rebuild.out)"
# The consume-queue files we rebuilt are byte for byte those the Apache broker wrote.
for topic in StoreCompatA StoreCompatB; do
    diff -r "$RMQ_WORK/consumequeue.apache/$topic" "$store/consumequeue/$topic" >&2 ||
        rmq_die "rebuilt consume queue of $topic differs from the Apache broker's"
done
rmq_log "rebuilt consume-queue files identical to the Apache broker's"
