#!/bin/bash
# Interop: our mqadmin (tools/mqadmin) must print what Apache's mqadmin 5.3.3 prints for
# the broker-side commands, on one cluster of our mqnamesrv + our mqbroker, with a Java
# producer and push consumer kept running (org.rocketmqc.interop.KeepConsuming: 20
# messages on AdminTopic, groups AdminPG / AdminCG) so the connection commands have
# clients to report. The same command sequence runs first with Apache mqadmin, then with
# ours (each leaves the cluster as it found it); the normalised outputs must be
# identical, the diff is printed otherwise.
#
# Commands (help layouts are in tests/unit/tools/test_mqadmin_fmt.c): updateTopic
# without -b/-c (missing option group: message and usage), updateTopic -b and -c,
# sendMessage (to a chosen queue, and to any),
# topicStatus, brokerStatus -b, getBrokerConfig -b, updateBrokerConfig -b,
# updateSubGroup -b, deleteSubGroup -b, consumerConnection (a live group and an unknown
# one), consumerProgress (-g, -g -t, -g -s true, all groups), topicList -c (each topic's groups),
# producerConnection, deleteTopic,
# resetOffsetByTime (a group with offsets and no client: all queues, -f false, and one
# queue with -b -q -o; then, last, the live group: its consumer must receive the topic
# again; our broker resets on the server side, like 5.3's by default, and with
# RMQ_MQADMIN_BROKER=apache the Apache broker is run without it, so the offline group
# takes the tool's fallback path),
# queryMsgById (an offset id and a UNIQ_KEY id in one -i list; -g -d: an AdminTopic
# message consumed directly by the live consumer, and by a client id nobody has; -s true:
# a message of ResendTopic sent again),
# queryMsgByKey and
# queryMsgByOffset -f (one message on QueryTopic, sent by Apache's sendMessage before
# both runs; no consumer group, so the MessageTrack section is the "No Consumer" warning),
# consumeMessage (AdminTopic's 20 messages, sent by the Java producer: every queue with
# -c/-s, and one queue with -b/-i/-o/-c/-g; -g names the tools' own group: Java's pull
# consumer sends heartbeats as a member of its group, which would rebalance a live one).
#
# Normalisations (everything else must match byte for byte):
#   1. brokerStatus keeps the key column only: the values are the broker's counters at
#      the moment of each call.
#   2. getBrokerConfig's key lines are sorted: Java prints them in the iteration order of
#      a java.util.Properties (a hash table), which carries no meaning.
#   3. Java stack-trace frames ("\tat ...", "... N more") are dropped; the exception lines
#      themselves (class, code, remark) are kept.
#   4. sendMessage: the message id is dropped (a new message each run), and without -b/-i
#      the queue id too (the producer starts its round-robin at a random queue).
#   5. consumerProgress's "Consume TPS:" value is replaced: a rate the broker measures
#      over time, which may move between the two runs. Its row of the group's retry
#      queue is dropped: the Java consumer commits that empty queue's offset (0) only
#      when its first long poll there ends (15 s), which may fall between the two runs,
#      and the broker lists a queue only once the group has an offset for it.
#   6. Exit codes are not compared (ours exits 1 on failure, Java's always 0).
#   7. The offline group of the resetOffsetByTime commands is OffCG_A in the first run and
#      OffCG_O in the second (each run starts from a new group); both print as OffCG.
#   8. queryMsgById -g -d: the client's spentTimeMills (its listener's run time) is replaced.
#   9. queryMsgById -s true: the resent message's offset id and queue offset (each run
#      stores a new one) are replaced; its message id (the UNIQ_KEY, kept) is compared.
# Client ids and addresses need no normalisation: the same Java clients stay connected
# through both runs.
#
# Env: RMQ_BUILD; RMQ_MQADMIN_BROKER=apache runs the same against Apache's NameServer and
# broker (our mqadmin decoding the Apache broker's bodies). Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init mqadmin_compare_c_broker 240
rmq_shared_jvm

OUR_MQADMIN=$RMQ_BUILD/tools/mqadmin
[ -x "$OUR_MQADMIN" ] || rmq_skip "no $OUR_MQADMIN"

if [ "${RMQ_MQADMIN_BROKER:-ours}" = apache ]; then
    ns_port=$(rmq_free_port)
    broker_port=$(rmq_free_port 2 1)
    ns=127.0.0.1:$ns_port
    baddr=127.0.0.1:$broker_port
    bname=broker-a
    rmq_start_apache_namesrv ns "$ns_port"
    # Without the server-side reset (5.3's default) the broker refuses to reset the
    # offsets of a group with no client (CONSUMER_NOT_ONLINE) and resetOffsetByTime falls
    # back on its old client-side way, which the OffCG commands then compare.
    rmq_start_apache_broker broker "$ns" "$broker_port" $bname useServerSideResetOffset=false
    rmq_probe "$ns" wait-broker $bname 60000 || rmq_die "broker did not register"
else
    rmq_start_our_cluster
    bname=broker-c
fi
rmq_check_loopback_only

topic=AdminTopic
rmq_mqadmin updateTopic -b "$baddr" -t $topic -r 4 -w 4 -n "$ns" >/dev/null
rmq_probe "$ns" wait-route $topic 30000 || rmq_die "$topic never routed"
rmq_mqadmin updateSubGroup -b "$baddr" -g AdminCG -n "$ns" >/dev/null

# The message the query commands look up (queue 0, offset 0 of QueryTopic): its UNIQ_KEY
# id from sendMessage, its offset id from queryMsgByOffset (Apache's queryMsgById must
# then find the same message by it).
# (Set up with our mqadmin, which saves two JVM start-ups; only the queries are compared.)
"$OUR_MQADMIN" updateTopic -b "$baddr" -t QueryTopic -r 1 -w 1 -n "$ns" >/dev/null
rmq_probe "$ns" wait-route QueryTopic 30000 || rmq_die "QueryTopic never routed"
quniq=$("$OUR_MQADMIN" sendMessage -t QueryTopic -p "query me" -c TagQ -k "QK1 QK2" \
    -b $bname -i 0 -n "$ns" | awk '$3 == "SEND_OK" { print $4 }')
[ -n "$quniq" ] || rmq_die "sendMessage to QueryTopic failed"
# The broker's consume queue is written just after the send's answer: retry a moment.
for _ in $(seq 1 20); do
    qoffid=$("$OUR_MQADMIN" queryMsgByOffset -t QueryTopic -b $bname -i 0 -o 0 -n "$ns" |
        awk '$1 == "OffsetID:" { print $2 }')
    [ -n "$qoffid" ] && break
    sleep 0.2
done
[ -n "$qoffid" ] || rmq_die "queryMsgByOffset found no OffsetID"

# The message queryMsgById -s sends again (each run adds one to ResendTopic, which
# nothing else reads): its offset id.
"$OUR_MQADMIN" updateTopic -b "$baddr" -t ResendTopic -r 1 -w 1 -n "$ns" >/dev/null
for _ in $(seq 1 50); do
    "$OUR_MQADMIN" topicRoute -t ResendTopic -n "$ns" >/dev/null 2>&1 && break
    sleep 0.2
done
"$OUR_MQADMIN" sendMessage -t ResendTopic -p "send me again" -c TagR -k RK1 -n "$ns" >/dev/null ||
    rmq_die "sendMessage to ResendTopic failed"
for _ in $(seq 1 20); do
    roffid=$("$OUR_MQADMIN" queryMsgByOffset -t ResendTopic -b $bname -i 0 -o 0 -n "$ns" |
        awk '$1 == "OffsetID:" { print $2 }')
    [ -n "$roffid" ] && break
    sleep 0.2
done
[ -n "$roffid" ] || rmq_die "queryMsgByOffset found no ResendTopic message"

keep=$RMQ_WORK/keep.out
rmq_run_java keep 200 org.rocketmqc.interop.KeepConsuming "$ns" $topic AdminPG AdminCG 20 \
    "$(rmq_scaled 150)" >"$keep" 2>&1 &
keep_pid=$!
for _ in $(seq 1 "$(rmq_scaled 60)"); do
    grep -q 'KeepConsuming: ready' "$keep" && break
    sleep 1
done
grep -q 'KeepConsuming: ready' "$keep" || { cat "$keep" >&2; rmq_die "KeepConsuming not ready"; }

# queryMsgById -g -d: the live consumer's client id and an AdminTopic message.
kcid=$("$OUR_MQADMIN" consumerConnection -g AdminCG -n "$ns" | awk '$1 ~ /@/ { print $1; exit }')
[ -n "$kcid" ] || rmq_die "consumerConnection found no client of AdminCG"
aoffid=$("$OUR_MQADMIN" queryMsgByOffset -t $topic -b $bname -i 0 -o 0 -n "$ns" |
    awk '$1 == "OffsetID:" { print $2 }')
[ -n "$aoffid" ] || rmq_die "queryMsgByOffset found no AdminTopic message"

# wait_consumed N: until the live consumer has received at least N messages.
wait_consumed() {
    local n
    for _ in $(seq 1 "$(rmq_scaled 30)"); do
        n=$(grep -o 'consumed=[0-9]*' "$keep" | tail -1 | cut -d= -f2)
        [ "${n:-0}" -ge "$1" ] && return 0
        sleep 1
    done
    return 1
}

normalise() {
    sed -e '/^\s*at /d' -e '/^\s*\.\.\. [0-9]* more$/d' -e 's/^Consume TPS: .*/Consume TPS: (rate)/' \
        -e 's/OffCG_[AO]/OffCG/g' -e 's/spentTimeMills=[0-9]*/spentTimeMills=(ms)/' \
        -e '/^prepare resend msg/s/offsetMsgId=[0-9A-F]*, \(.*\)queueOffset=[0-9]*/offsetMsgId=(new), \1queueOffset=(new)/'
}

# sequence MQADMIN... : every command with one mqadmin; output on stdout.
sequence() {
    local -a adm=("$@")
    echo "### updateTopic without -b/-c"
    "${adm[@]}" updateTopic -t CmpTopic -n "$ns"
    echo "### updateTopic -b"
    "${adm[@]}" updateTopic -b "$baddr" -t CmpTopic -r 2 -w 3 -p 6 -n "$ns"
    # The broker registers the new topic with the NameServer right after answering;
    # the producer below needs that route (a JVM's start-up hides the race).
    rmq_probe "$ns" wait-route CmpTopic 30000 >/dev/null
    echo "### sendMessage -b -i (message id column dropped)"
    "${adm[@]}" sendMessage -t CmpTopic -p "hello world" -c TagA -k K1 -b $bname -i 2 -n "$ns" |
        awk '{ print $1, $2, $3 }'
    echo "### sendMessage (broker and status only)"
    "${adm[@]}" sendMessage -t CmpTopic -p body2 -n "$ns" | awk '{ print $1, $3 }'
    echo "### updateTopic -c"
    "${adm[@]}" updateTopic -c DefaultCluster -t CmpTopic2 -o false -n "$ns"
    rmq_probe "$ns" wait-route CmpTopic2 30000 >/dev/null # for topicList below
    echo "### topicStatus"
    "${adm[@]}" topicStatus -t $topic -n "$ns"
    echo "### queryMsgById (offset id, UNIQ_KEY id)"
    "${adm[@]}" queryMsgById -t QueryTopic -i "$qoffid,$quniq" -n "$ns"
    echo
    echo "### queryMsgById -g -d (the live consumer consumes one message directly)"
    "${adm[@]}" queryMsgById -t $topic -i "$aoffid" -g AdminCG -d "$kcid" -n "$ns"
    echo
    echo "### queryMsgById -g -d, a client that is not connected"
    "${adm[@]}" queryMsgById -t $topic -i "$aoffid" -g AdminCG -d 127.0.0.1@nobody -n "$ns"
    echo
    echo "### queryMsgById -s true (sent again, its UNIQ_KEY kept)"
    "${adm[@]}" queryMsgById -t ResendTopic -i "$roffid" -s true -n "$ns"
    echo
    echo "### queryMsgByKey"
    "${adm[@]}" queryMsgByKey -t QueryTopic -k QK2 -n "$ns"
    echo "### queryMsgByOffset -f"
    "${adm[@]}" queryMsgByOffset -t QueryTopic -b $bname -i 0 -o 0 -f UTF-8 -n "$ns"
    echo
    echo "### consumeMessage (every queue in HashSet order, -c, -s searched by time)"
    "${adm[@]}" consumeMessage -t $topic -c 7 -s 1 -n "$ns"
    echo "### consumeMessage -b -i -o -g -c (one queue)"
    "${adm[@]}" consumeMessage -t $topic -b $bname -i 2 -o 1 -c 2 -g TOOLS_CONSUMER -n "$ns"
    echo
    echo "### brokerStatus -b"
    "${adm[@]}" brokerStatus -b "$baddr" -n "$ns" | awk -F: '{ print $1 }'
    echo "### updateBrokerConfig -b"
    "${adm[@]}" updateBrokerConfig -b "$baddr" -k maxMessageSize -v 4194305 -n "$ns"
    echo "### getBrokerConfig -b"
    "${adm[@]}" getBrokerConfig -b "$baddr" -n "$ns" | LC_ALL=C sort
    echo "### updateSubGroup -b"
    "${adm[@]}" updateSubGroup -b "$baddr" -g CmpGroup -r 3 -q 2 -n "$ns"
    echo
    echo "### deleteSubGroup -b"
    "${adm[@]}" deleteSubGroup -b "$baddr" -g CmpGroup -n "$ns"
    echo "### consumerConnection"
    "${adm[@]}" consumerConnection -g AdminCG -n "$ns"
    echo "### consumerConnection unknown group"
    "${adm[@]}" consumerConnection -g NoSuchGroup -b "$baddr" -n "$ns"
    echo "### consumerProgress -g"
    "${adm[@]}" consumerProgress -g AdminCG -n "$ns" | grep -v '^%RETRY%AdminCG '
    echo "### consumerProgress -g -t"
    "${adm[@]}" consumerProgress -g AdminCG -t $topic -n "$ns"
    echo "### consumerProgress -g -s true (each queue's client, from its running info)"
    "${adm[@]}" consumerProgress -g AdminCG -s true -n "$ns" | grep -v '^%RETRY%AdminCG '
    echo "### consumerProgress"
    "${adm[@]}" consumerProgress -n "$ns"
    echo "### topicList -c"
    "${adm[@]}" topicList -c -n "$ns"
    echo "### producerConnection"
    "${adm[@]}" producerConnection -g AdminPG -t $topic -n "$ns"
    echo "### deleteTopic"
    "${adm[@]}" deleteTopic -t CmpTopic -c DefaultCluster -n "$ns"
    "${adm[@]}" deleteTopic -t CmpTopic2 -c DefaultCluster -n "$ns"
    echo "### resetOffsetByTime, a group with offsets and no client: all queues, -f false, -b -q -o"
    # (Set up with our mqadmin, not compared: the group and an offset on each queue.)
    "$OUR_MQADMIN" updateSubGroup -b "$baddr" -g "$offg" -n "$ns" >/dev/null
    for q in 0 1 2 3; do
        "$OUR_MQADMIN" resetOffsetByTime -g "$offg" -t $topic -s 0 -b "$baddr" -q $q -o 1 \
            -n "$ns" >/dev/null 2>&1
    done
    "${adm[@]}" resetOffsetByTime -g "$offg" -t $topic -s 0 -n "$ns"
    "${adm[@]}" resetOffsetByTime -g "$offg" -t $topic -s 4102444800000 -f false -n "$ns"
    "${adm[@]}" resetOffsetByTime -g "$offg" -t $topic -s 0 -b "$baddr" -q 1 -o 2 -n "$ns"
    # (Gone again with its offsets: topicList -c of the next run must not list it.)
    "$OUR_MQADMIN" deleteSubGroup -b "$baddr" -g "$offg" -r true -n "$ns" >/dev/null
    echo "### resetOffsetByTime (to the first message: the consumer gets all 20 again)"
    "${adm[@]}" resetOffsetByTime -g AdminCG -t $topic -s 0 -n "$ns"
}

apache_mqadmin() { rmq_mqadmin "$@"; }
our_mqadmin() { "$OUR_MQADMIN" "$@" 2>&1; }

# The live consumer's first 20 messages consumed and committed (every 5 s), as our run
# finds them after the wait below.
for _ in $(seq 1 "$(rmq_scaled 20)"); do
    "$OUR_MQADMIN" consumerProgress -g AdminCG -n "$ns" 2>/dev/null | grep -q '^Consume Diff Total: 0$' &&
        break
    sleep 0.5
done
rmq_log "command sequence with Apache mqadmin"
offg=OffCG_A
sequence apache_mqadmin 2>&1 | normalise >"$RMQ_WORK/apache.txt"
# The reset at its end makes the live consumer take the 20 messages again; wait for them
# and for its offset commit (every 5 s) so that our run sees the same progress.
# (20, one consumed directly, then the 20 again.)
wait_consumed 41 || { tail "$keep" >&2; rmq_die "the reset did not make the consumer re-consume"; }
sleep 6
rmq_log "command sequence with our mqadmin"
offg=OffCG_O
sequence our_mqadmin 2>&1 | normalise >"$RMQ_WORK/ours.txt"
# Our resetOffsetByTime must have the same effect: the consumer takes the 20 again.
wait_consumed 62 || { tail "$keep" >&2; rmq_die "our resetOffsetByTime did not make the consumer re-consume"; }
kill "$keep_pid" 2>/dev/null
wait "$keep_pid" 2>/dev/null

# Guard against comparing two empty or broken outputs.
grep -q "create topic to $baddr success" "$RMQ_WORK/apache.txt" || rmq_die "reference lacks updateTopic"
grep -q "^$bname 2 SEND_OK" "$RMQ_WORK/apache.txt" || rmq_die "reference lacks the sendMessage result"
grep -Eq "^$bname +3 +0 +[0-9]+" "$RMQ_WORK/apache.txt" || rmq_die "reference lacks topicStatus rows"
grep -q 'keep-consumer\|@' "$RMQ_WORK/apache.txt" || rmq_die "reference lacks consumer connections"
[ "$(grep -o "OffsetID: *$qoffid" "$RMQ_WORK/apache.txt" | wc -l)" = 3 ] || rmq_die "reference lacks the queried messages"
grep -q "^$quniq " "$RMQ_WORK/apache.txt" || rmq_die "reference lacks the queryMsgByKey row"
grep -q "^MSGID: .* MessageExt \[brokerName=$bname, queueId=2, .* BODY: " "$RMQ_WORK/apache.txt" ||
    rmq_die "reference lacks consumeMessage's messages"
grep -q "consumeResult=CR_SUCCESS" "$RMQ_WORK/apache.txt" || rmq_die "reference lacks the direct consume"
grep -Eq "^AdminTopic +$bname +0 +[0-9]+ +[0-9]+ +[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+ " "$RMQ_WORK/apache.txt" ||
    rmq_die "reference lacks consumerProgress -s true's client IP column"
grep -q "^reset consumer offset to 2$" "$RMQ_WORK/apache.txt" || rmq_die "reference lacks the per-queue reset"
grep -q "^prepare resend msg.*sendStatus=SEND_OK" "$RMQ_WORK/apache.txt" || rmq_die "reference lacks the resend"
if ! diff -u --label "Apache mqadmin" --label "our mqadmin" "$RMQ_WORK/apache.txt" \
    "$RMQ_WORK/ours.txt"; then
    rmq_die "mqadmin output differs (above: - Apache, + ours)"
fi
rmq_log "outputs identical ($(wc -l <"$RMQ_WORK/apache.txt") lines) in $(rmq_elapsed) s"
