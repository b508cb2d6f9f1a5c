#!/bin/bash
# Interop: the Node.js client ali-ons (pinned in tests/interop/node/package.json, which
# talks remoting with its own route, heartbeat, pull and offset code and its own header
# types: numbers and booleans in ext fields, signed requests) against our mqnamesrv +
# mqbroker (tests/interop/node/alions.js does the client side):
#   1. mqadmin creates topic A (ali-ons cannot auto-create: it treats the NameServer's
#      TOPIC_NOT_EXIST as an error); at the same time the Java producer
#      (org.rocketmqc.interop.ManifestSend) sends RMQ_ALIONS_COUNT messages to topic J;
#   2. an ali-ons Producer sends RMQ_ALIONS_COUNT messages to A with tags, keys and
#      bodies of 1 B to 12 KiB (over 4 KiB ali-ons deflates them: COMPRESSED flag);
#   3. two ali-ons push Consumers in fresh groups, one on A and one on J, must each
#      receive every message exactly once: keys, tags, body length and SHA-256 compared
#      with the producers' manifests (so J checks Java producer -> ali-ons consumer,
#      zlib-compressed bodies included, byte for byte). The consumer on A refuses every
#      40th message once and must get it back through %RETRY%<group> with
#      reconsumeTimes 1 (broker with 1 s delay levels); ali-ons subscribes to that topic
#      only if its route exists right after its first heartbeat;
#   4. after a clean broker stop, consumerOffset.json must hold the ali-ons consumers'
#      committed offsets (sent one-way, with numeric header values): one past the end of
#      every queue.
#
# Env: RMQ_ALIONS_COUNT (default 200); RMQ_ALIONS_BROKER=apache runs the same against
# Apache's NameServer and broker (harness self-check).
# Exit: 0 pass, 77 skip (no node/npm, binaries not built, no java/mvn), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_alions 120
rmq_shared_jvm

for tool in node npm; do
    command -v $tool >/dev/null 2>&1 || rmq_skip "$tool not found"
done
"$RMQ_ROOT/scripts/install-node-deps.sh" || rmq_die "scripts/install-node-deps.sh failed"
alions=$RMQ_INTEROP_DIR/node/alions.js
count=${RMQ_ALIONS_COUNT:-200}

# One-second delay levels: a message sent back is retried after 1 s, not 10.
delays="messageDelayLevel=1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s 1s"
if [ "${RMQ_ALIONS_BROKER:-ours}" = apache ]; then
    ns_port=$(rmq_free_port)
    broker_port=$(rmq_free_port 2 1)
    ns=127.0.0.1:$ns_port
    rmq_start_apache_namesrv ns "$ns_port"
    rmq_start_apache_broker broker "$ns" "$broker_port" broker-c "$delays"
    bdir=$RMQ_WORK/broker
    rmq_probe "$ns" wait-route TBW102 60000 || rmq_die "the Apache broker never registered"
else
    rmq_start_our_cluster autoCreateTopicEnable=true autoCreateSubscriptionGroup=true "$delays"
fi
rmq_check_loopback_only

ta=AlionsA_$RANDOM
tj=AlionsJ_$RANDOM
run=$RANDOM
rmq_mqadmin updateTopic -c DefaultCluster -t "$ta" -r 4 -w 4 -n "$ns" >"$RMQ_WORK/update_topic.out" &
admin_pid=$!
rmq_run_java manifest_send 60 org.rocketmqc.interop.ManifestSend "$ns" "$tj" "$count" \
    "$RMQ_WORK/sent_j.tsv" >"$RMQ_WORK/manifest_send.out" 2>&1 ||
    { cat "$RMQ_WORK/manifest_send.out" >&2; rmq_die "ManifestSend failed"; }
rmq_log "$(grep 'ManifestSend:' "$RMQ_WORK/manifest_send.out")"
wait $admin_pid || { cat "$RMQ_WORK/update_topic.out" >&2; rmq_die "mqadmin updateTopic failed"; }
grep -q 'success' "$RMQ_WORK/update_topic.out" ||
    { cat "$RMQ_WORK/update_topic.out" >&2; rmq_die "mqadmin updateTopic $ta: no success"; }
rmq_probe "$ns" wait-route "$ta" 30000 || rmq_die "$ta never routed"

# node_run NAME SECONDS ARGS...: alions.js in the foreground, output to NAME.out.
node_run() {
    local name=$1 secs
    secs=$(rmq_scaled "$2")
    shift 2
    timeout -k 5 "$secs" node "$alions" "$@" >"$RMQ_WORK/$name.out" 2>&1
}

node_run alions_produce 60 produce "$ns" "$ta" "$count" "$RMQ_WORK/sent_a.tsv" ||
    { cat "$RMQ_WORK/alions_produce.out" >&2; rmq_die "ali-ons producer failed"; }
rmq_log "$(grep 'alions produce:' "$RMQ_WORK/alions_produce.out")"

# Both consumers at once, each in a fresh group.
limit=$(rmq_scaled 20)
node_run alions_consume_a 60 consume "$ns" "$ta" "alions_cg_a_$run" "$count" "$limit" \
    "$RMQ_WORK/recv_a.tsv" 40 &
pa=$!
node_run alions_consume_j 60 consume "$ns" "$tj" "alions_cg_j_$run" "$count" "$limit" \
    "$RMQ_WORK/recv_j.tsv" &
pj=$!
rc_a=0 rc_j=0
wait $pa || rc_a=$?
wait $pj || rc_j=$?
for x in a j; do
    rmq_log "topic $x: $(grep 'alions consume:' "$RMQ_WORK/alions_consume_$x.out" || echo 'no summary')"
done

# compare X WHAT: sent_X.tsv and recv_X.tsv must hold the same lines.
compare() {
    local sent=$RMQ_WORK/sent_$1.tsv recv=$RMQ_WORK/recv_$1.tsv
    [ -s "$sent" ] && [ -s "$recv" ] || rmq_die "$2: manifest missing"
    if ! diff <(sort "$sent") <(sort "$recv") >"$RMQ_WORK/diff_$1.txt"; then
        head -20 "$RMQ_WORK/diff_$1.txt" >&2
        rmq_die "$2: received messages differ from the sent ones ($(grep -c '^<' "$RMQ_WORK/diff_$1.txt") missing or altered, $(grep -c '^>' "$RMQ_WORK/diff_$1.txt") unexpected)"
    fi
    rmq_log "ok: $2: $(wc -l <"$recv") messages, keys, tags and bodies identical"
}
compare a "ali-ons producer -> ali-ons consumer"
compare j "Java producer -> ali-ons consumer"
[ $rc_a -eq 0 ] || { cat "$RMQ_WORK/alions_consume_a.out" >&2; rmq_die "ali-ons consumer on $ta failed"; }
[ $rc_j -eq 0 ] || { cat "$RMQ_WORK/alions_consume_j.out" >&2; rmq_die "ali-ons consumer on $tj failed"; }
zc=$(awk -F'\t' '$3 >= 4096' "$RMQ_WORK/sent_a.tsv" | wc -l)
[ "$zc" -gt 0 ] || rmq_die "no body over 4 KiB was sent"
rmq_log "ok: bodies of 4 KiB or more (compressed by the clients) among them: $zc per topic"

# Committed offsets: one past the last message of every queue, summing to COUNT.
rmq_kill broker TERM
off=$bdir/store/config/consumerOffset.json
[ -s "$off" ] || rmq_die "no consumerOffset.json after a clean stop"
for x in a j; do
    topic=$ta
    [ $x = j ] && topic=$tj
    sum=$(tr -d ' \n\t' <"$off" | grep -o "\"$topic@alions_cg_${x}_$run\":{[^}]*}" |
        grep -o ':[0-9]*' | awk -F: '{ s += $2 } END { print s + 0 }')
    [ "$sum" = "$count" ] || { cat "$off" >&2; rmq_die "committed offsets of $topic sum to $sum, want $count"; }
    rmq_log "ok: committed offsets of $topic sum to $count"
done
rmq_log "PASS"
