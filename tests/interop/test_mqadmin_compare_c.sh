#!/bin/bash
# Interop: our mqadmin (tools/mqadmin) must print what Apache's mqadmin 5.3.3 prints, on
# the same cluster: one NameServer (Apache's; RMQ_MQADMIN_NAMESRV=ours uses the
# NameServer under test instead, see lib.sh) and one Apache broker. The same command
# sequence runs first with Apache mqadmin, then with ours (each leaves the cluster as
# it found it); the normalised outputs must be identical, the diff is printed otherwise.
#
# Commands: help/usage errors, clusterList, topicList, topicRoute (JSON and -l, and a
# missing topic), updateKvConfig/deleteKvConfig (read back with NsProbe),
# getNamesrvConfig, updateNamesrvConfig, wipeWritePerm/addWritePerm with topicRoute
# after each.
#
# Normalisations (everything else must match byte for byte):
#   1. clusterList keeps its first five columns (cluster, broker name, id, address,
#      version) and the last (activated); the others are the broker's statistics at the
#      moment of each call (TPS, timer progress, page-cache wait, hours since the
#      earliest message, disk use).
#   2. getNamesrvConfig's key lines are sorted: Java prints them in the iteration order
#      of a java.util.Properties (a ConcurrentHashMap), which carries no meaning.
#   3. Java stack-trace frames ("\tat ...", "... N more") are dropped; the exception lines
#      themselves (class, code, remark) are kept. Our mqadmin prints those two lines.
#   4. Our mqadmin exits 1 on failure where the Java tool always exits 0; exit codes are
#      not compared.
#
# Env: RMQ_BUILD, RMQ_MQADMIN_NAMESRV (apache | ours). Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init mqadmin_compare_c 240
rmq_shared_jvm

OUR_MQADMIN=$RMQ_BUILD/tools/mqadmin
[ -x "$OUR_MQADMIN" ] || rmq_skip "no $OUR_MQADMIN"

ns_port=$(rmq_free_port)
broker_port=$(rmq_free_port 2 1)
ns=127.0.0.1:$ns_port
broker=127.0.0.1:$broker_port

if [ "${RMQ_MQADMIN_NAMESRV:-apache}" = ours ]; then
    rmq_require_namesrv_under_test
    rmq_start_namesrv_under_test ns "$ns_port"
else
    rmq_start_apache_namesrv ns "$ns_port"
fi
rmq_start_apache_broker broker "$ns" "$broker_port" broker-a
rmq_probe "$ns" wait-broker broker-a 60000 || rmq_die "broker did not register"
rmq_check_loopback_only
rmq_mqadmin updateTopic -b "$broker" -t TopicTest -r 4 -w 4 -n "$ns" >/dev/null
rmq_probe "$ns" wait-route TopicTest 30000 || rmq_die "TopicTest never reached the NameServer"

normalise() {
    sed -e '/^\s*at /d' -e '/^\s*\.\.\. [0-9]* more$/d'
}

# sequence MQADMIN... : every command with one mqadmin; output on stdout.
sequence() {
    local -a adm=("$@")
    echo "### no arguments (first line; ours lists only the commands it has)"
    "${adm[@]}" | head -1
    echo "### help topicRoute"
    "${adm[@]}" help topicRoute
    echo "### help clusterList"
    "${adm[@]}" help clusterList
    echo "### help updateKvConfig"
    "${adm[@]}" help updateKvConfig
    echo "### help noSuchCommand"
    "${adm[@]}" help noSuchCommand
    echo "### noSuchCommand"
    "${adm[@]}" noSuchCommand
    echo "### topicRoute without -t"
    "${adm[@]}" topicRoute -n "$ns"
    echo "### updateKvConfig without -k -v"
    "${adm[@]}" updateKvConfig -s x -n "$ns"
    echo "### topicRoute -x"
    "${adm[@]}" topicRoute -x -t TopicTest -n "$ns"
    echo "### clusterList"
    "${adm[@]}" clusterList -n "$ns" | awk '{ print $1, $2, $3, $4, $5, $NF }'
    echo "### clusterList -c DefaultCluster"
    "${adm[@]}" clusterList -c DefaultCluster -n "$ns" | awk '{ print $1, $2, $3, $4, $5, $NF }'
    echo "### clusterList -c NoCluster"
    "${adm[@]}" clusterList -c NoCluster -n "$ns" | awk '{ print $1, $2, $3, $4, $5, $NF }'
    echo "### topicList"
    "${adm[@]}" topicList -n "$ns"
    echo "### topicRoute TopicTest"
    "${adm[@]}" topicRoute -t TopicTest -n "$ns"
    echo "### topicRoute TopicTest -l"
    "${adm[@]}" topicRoute --topic=TopicTest -l -n "$ns"
    echo "### topicRoute NoSuchTopic"
    "${adm[@]}" topicRoute -t NoSuchTopic -n "$ns"
    echo "### updateKvConfig"
    "${adm[@]}" updateKvConfig -s rmqc_ns -k key1 -v value1 -n "$ns"
    "${adm[@]}" updateKvConfig -s rmqc_ns -k key2 -v " value 2 " -n "$ns"
    rmq_probe "$ns" kv-list rmqc_ns
    echo "### deleteKvConfig"
    "${adm[@]}" deleteKvConfig -s rmqc_ns -k key1 -n "$ns"
    "${adm[@]}" deleteKvConfig --namespace rmqc_ns --key key2 -n "$ns"
    rmq_probe "$ns" kv-list rmqc_ns
    echo "### getNamesrvConfig"
    "${adm[@]}" getNamesrvConfig -n "$ns" | LC_ALL=C sort
    echo "### updateNamesrvConfig"
    "${adm[@]}" updateNamesrvConfig -k clusterTest -v false -n "$ns"
    echo "### wipeWritePerm"
    "${adm[@]}" wipeWritePerm -b broker-a -n "$ns"
    "${adm[@]}" topicRoute -t TopicTest -n "$ns"
    echo "### addWritePerm"
    "${adm[@]}" addWritePerm -b broker-a -n "$ns"
    "${adm[@]}" topicRoute -t TopicTest -n "$ns"
}

apache_mqadmin() { rmq_mqadmin "$@"; }
our_mqadmin() { "$OUR_MQADMIN" "$@" 2>&1; }

rmq_log "command sequence with Apache mqadmin"
sequence apache_mqadmin 2>&1 | normalise >"$RMQ_WORK/apache.txt"
rmq_log "command sequence with our mqadmin"
sequence our_mqadmin 2>&1 | normalise >"$RMQ_WORK/ours.txt"

# Guard against comparing two empty or broken outputs.
grep -q "broker-a" "$RMQ_WORK/apache.txt" || rmq_die "reference output lacks broker-a"
grep -q '"perm":4' "$RMQ_WORK/apache.txt" || rmq_die "reference output lacks the wiped perm"
grep -q 'CODE: 17' "$RMQ_WORK/apache.txt" || rmq_die "reference output lacks TOPIC_NOT_EXIST"
if ! diff -u --label "Apache mqadmin" --label "our mqadmin" "$RMQ_WORK/apache.txt" \
    "$RMQ_WORK/ours.txt"; then
    rmq_die "mqadmin output differs (above: - Apache, + ours)"
fi
rmq_log "outputs identical ($(wc -l <"$RMQ_WORK/apache.txt") lines)"
