#!/bin/bash
# Interop: Apache mqadmin must see the same thing through the NameServer under test as
# through the Apache NameServer. Both run side by side; one Apache broker registers with
# both (namesrvAddr=a;b); the same command sequence runs against each NameServer; the
# normalised outputs must be identical (the diff is printed otherwise).
#
# Commands: clusterList, topicList, topicRoute -t TopicTest (after updateTopic),
# updateKvConfig/deleteKvConfig (read back with GET_KV_CONFIG and GET_KVLIST_BY_NAMESPACE
# through NsProbe: mqadmin 5.3 has no getKvConfig command), updateOrderConf put/get/delete
# (mqadmin's own GET_KV_CONFIG path, namespace ORDER_TOPIC_CONFIG), getNamesrvConfig,
# wipeWritePerm/addWritePerm -b broker-a, with topicRoute after each.
#
# Normalisations (everything else must match byte for byte):
#   1. Each NameServer's own address (127.0.0.1:PORT) -> <NAMESRV>, and its listen port
#      alone (getNamesrvConfig's listenPort) -> <PORT>: the two must differ.
#   2. Each NameServer's work directory -> <NSDIR>: getNamesrvConfig shows rocketmqHome,
#      kvConfigPath and configStorePath, which point into per-server directories by
#      construction (same file names inside).
#   3. clusterList keeps its first five columns (cluster, broker name, id, address,
#      version). The rest (TPS, timer progress, page-cache wait, hours since start, disk
#      use) comes from the broker's runtime statistics at the moment of each call, not
#      from the NameServer.
#   4. topicList and getNamesrvConfig lines are sorted: the order is Java hash-set /
#      hash-map iteration order, which carries no meaning.
#   5. getNamesrvConfig drops the keys in IGNORED_CONFIG_KEYS below: Netty and Java
#      thread-pool tuning knobs of the Java implementation (selector/worker threads,
#      socket buffer sizes, write-buffer water marks, pooled allocators, epoll, executor
#      queue sizes...) that a C server has no counterpart for. Every other key, including
#      the behavioural ones (scan intervals, idle time-outs, enable flags), must exist in
#      both with the same value.
#   6. Java stack-trace frames ("\tat ...", "... N more") are dropped; the exception lines
#      themselves (class, code, remark) are kept.
#
# Env: RMQ_NAMESRV_CMD (see lib.sh). Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init namesrv_mqadmin_compare 240
rmq_shared_jvm
rmq_require_namesrv_under_test

IGNORED_CONFIG_KEYS=(
    serverWorkerThreads serverCallbackExecutorThreads serverSelectorThreads
    serverOnewaySemaphoreValue serverAsyncSemaphoreValue
    serverSocketSndBufSize serverSocketRcvBufSize serverSocketBacklog
    writeBufferHighWaterMark writeBufferLowWaterMark
    serverNettyWorkerGroupEnable serverPooledByteBufAllocatorEnable useEpollNativeSelector
    enableShutdownGracefully shutdownWaitTimeSeconds
    defaultThreadPoolNums defaultThreadPoolQueueCapacity
    clientRequestThreadPoolNums clientRequestThreadPoolQueueCapacity
    unRegisterBrokerQueueCapacity
)

ref_port=$(rmq_free_port)
sut_port=$(rmq_free_port)
broker_port=$(rmq_free_port 2 1)
ref=127.0.0.1:$ref_port
sut=127.0.0.1:$sut_port
broker=127.0.0.1:$broker_port

rmq_start_apache_namesrv ref "$ref_port"
rmq_start_namesrv_under_test sut "$sut_port"
rmq_start_apache_broker broker "$ref;$sut" "$broker_port" broker-a
rmq_probe "$ref;$sut" wait-broker broker-a 60000 || rmq_die "broker did not register with both NameServers"
rmq_check_loopback_only

# The broker creates the topic and registers it with both NameServers at once.
rmq_mqadmin updateTopic -b "$broker" -t TopicTest -r 4 -w 4 -n "$ref"
rmq_probe "$ref;$sut" wait-route TopicTest 30000 || rmq_die "TopicTest never reached both NameServers"

# normalise ADDR DIR PORT: stdin -> stdout, rules 1, 2 and 6.
normalise() {
    sed -e "s#$1#<NAMESRV>#g" -e "s#$2#<NSDIR>#g" -e '/^\s*at /d' -e '/^\s*\.\.\. [0-9]* more$/d'
}

# config_lines PORT: getNamesrvConfig body -> sorted "key=value" lines (rules 1, 4, 5).
config_lines() {
    local ignore
    ignore="^($(IFS='|'; echo "${IGNORED_CONFIG_KEYS[*]}"))="
    sed -n 's/^\([A-Za-z0-9_.][A-Za-z0-9_.]*\) *= *\(.*\)$/\1=\2/p' | sed -e "s/^listenPort=$1\$/listenPort=<PORT>/" |
        grep -E -v "$ignore" | LC_ALL=C sort
}

# sequence ADDR DIR PORT OUT: run every command against one NameServer.
sequence() {
    local ns=$1 dir=$2 port=$3 out=$4
    local RMQ_LOG_TAG=-${out##*/}
    RMQ_LOG_TAG=${RMQ_LOG_TAG%.txt}
    {
        echo "### clusterList"
        rmq_mqadmin clusterList -n "$ns" | awk '{ print $1, $2, $3, $4, $5 }'
        echo "### topicList"
        rmq_mqadmin topicList -n "$ns" | LC_ALL=C sort
        echo "### topicRoute TopicTest"
        rmq_mqadmin topicRoute -t TopicTest -n "$ns"
        echo "### topicRoute TopicTest -l"
        rmq_mqadmin topicRoute -t TopicTest -l -n "$ns"
        echo "### topicRoute NoSuchTopic"
        rmq_mqadmin topicRoute -t NoSuchTopic -n "$ns"

        echo "### updateKvConfig"
        rmq_mqadmin updateKvConfig -s rmqc_ns -k key1 -v value1 -n "$ns"
        rmq_mqadmin updateKvConfig -s rmqc_ns -k key2 -v "value 2" -n "$ns"
        echo "### getKvConfig (GET_KV_CONFIG / GET_KVLIST_BY_NAMESPACE)"
        rmq_probe "$ns" kv-get rmqc_ns key1
        rmq_probe "$ns" kv-list rmqc_ns
        echo "### deleteKvConfig"
        rmq_mqadmin deleteKvConfig -s rmqc_ns -k key1 -n "$ns"
        rmq_probe "$ns" kv-get rmqc_ns key1
        rmq_probe "$ns" kv-list rmqc_ns
        rmq_mqadmin deleteKvConfig -s rmqc_ns -k key2 -n "$ns"
        rmq_probe "$ns" kv-list rmqc_ns
        echo "### updateOrderConf put/get/delete/get"
        rmq_mqadmin updateOrderConf -t TopicTest -m put -v "broker-a:4" -n "$ns"
        echo
        rmq_mqadmin updateOrderConf -t TopicTest -m get -n "$ns"
        echo
        rmq_mqadmin updateOrderConf -t TopicTest -m delete -n "$ns"
        echo
        rmq_mqadmin updateOrderConf -t TopicTest -m get -n "$ns"
        echo

        echo "### getNamesrvConfig"
        rmq_mqadmin getNamesrvConfig -n "$ns" >"$out.config"
        grep -v ' = \|=  ' "$out.config" | sed '/^$/d'
        config_lines "$port" <"$out.config"

        echo "### wipeWritePerm"
        rmq_mqadmin wipeWritePerm -b broker-a -n "$ns"
        rmq_mqadmin topicRoute -t TopicTest -n "$ns"
        echo "### addWritePerm"
        rmq_mqadmin addWritePerm -b broker-a -n "$ns"
        rmq_mqadmin topicRoute -t TopicTest -n "$ns"
    } 2>&1 | normalise "$ns" "$dir" >"$out"
}

# The two sequences touch different NameServers (the broker is only read), so they run
# side by side: JVM start-up dominates and the box has two cores.
rmq_log "command sequences against $ref (Apache) and $sut (under test)"
sequence "$ref" "$RMQ_WORK/ref" "$ref_port" "$RMQ_WORK/ref.txt" &
ref_job=$!
sequence "$sut" "$RMQ_WORK/sut" "$sut_port" "$RMQ_WORK/sut.txt"
wait "$ref_job"

# Guard against comparing two empty or broken outputs.
grep -q "broker-a" "$RMQ_WORK/ref.txt" || rmq_die "reference output lacks broker-a: $(cat "$RMQ_WORK/ref.txt")"
grep -q '"perm":4' "$RMQ_WORK/ref.txt" || rmq_die "reference output lacks the wiped perm"
if ! diff -u --label "Apache NameServer" --label "NameServer under test" \
    "$RMQ_WORK/ref.txt" "$RMQ_WORK/sut.txt"; then
    rmq_die "mqadmin output differs (above: - Apache, + under test)"
fi
rmq_log "outputs identical ($(wc -l <"$RMQ_WORK/ref.txt") lines)"
