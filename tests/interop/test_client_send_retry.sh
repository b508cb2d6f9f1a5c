#!/bin/bash
# Interop: our C producer (librocketmq) retries a failed sync send on another broker
# (retryTimesWhenSendFailed), as Java's DefaultMQProducerImpl.sendDefaultImpl does for
# the response codes of DefaultMQProducer.retryResponseCodes.
#
# Two of our brokers (broker-a, broker-b) in one cluster behind our NameServer, with
# autoCreateTopicEnable=false. tests/interop/client_retry/send_retry.c creates a 4-queue
# topic on both, sends one message (the producer caches the two-broker route and keeps it:
# pollNameServerInterval=600000), deletes the topic on broker-a only
# (DELETE_TOPIC_IN_BROKER), then sends N messages. broker-a now answers TOPIC_NOT_EXIST
# (17) while its queues stay in the producer's route, so about half the sends first pick
# a broker-a queue (as in Java, a retry skips the failed broker's queues, so with 4+4
# queues about one send in five does). Checks: every send succeeds and its SendResult
# names broker-b; broker-a refused at least one of them (its log line for
# TOPIC_NOT_EXIST), so those were retried; the topic's max offsets on broker-b add up to
# N plus the first message if it went there; broker-a no longer has the topic.
#
# Exit: 0 pass, 77 skip (binaries not built, no java/mvn for the harness), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init client_send_retry 60

prog=$RMQ_BUILD/tests/interop/client_retry/send_retry
for p in "$RMQ_BUILD/programs/mqnamesrv" "$RMQ_BUILD/programs/mqbroker" "$prog"; do
    [ -x "$p" ] || rmq_skip "no $p"
done
n=${RMQ_SEND_RETRY_N:-20}

ns_port=$(rmq_free_port)
ns=127.0.0.1:$ns_port
rmq_require_namesrv_under_test
rmq_start_namesrv_under_test ns "$ns_port"

# start_broker NAME PORT: our broker NAME (its brokerName too) on PORT, registered with $ns.
start_broker() {
    local name=$1 port=$2 dir=$RMQ_WORK/$1
    mkdir -p "$dir/home" "$dir/store"
    cat >"$dir/broker.conf" <<CONF
brokerClusterName=DefaultCluster
brokerName=$name
brokerId=0
namesrvAddr=$ns
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
bindAddress=127.0.0.1
listenPort=$port
storePathRootDir=$dir/store
storePathCommitLog=$dir/store/commitlog
mappedFileSizeCommitLog=67108864
autoCreateTopicEnable=false
CONF
    rmq_spawn "$name" env HOME="$dir/home" "$RMQ_BUILD/programs/mqbroker" -c "$dir/broker.conf"
    rmq_wait_port "$port" 30 "$name"
    rmq_log "our broker $name on 127.0.0.1:$port"
}
port_a=$(rmq_free_port 2 1)
port_b=$(rmq_free_port 2 1)
start_broker broker-a "$port_a"
start_broker broker-b "$port_b"
rmq_check_loopback_only

topic=RmqcSendRetry_$RANDOM
out=$RMQ_WORK/send_retry.out
log=$RMQ_WORK/send_retry.log
rmq_log "send_retry: $n sends to $topic after deleting it on broker-a"
timeout -k 5 "$(rmq_scaled 40)" "$prog" -n "$ns" -t "$topic" -a "127.0.0.1:$port_a" \
    -b "127.0.0.1:$port_b" -c "$n" >"$out" 2>"$log" ||
    { cat "$out"; tail -20 "$log"; rmq_die "send_retry exited with $?"; }
cat "$out"

grep -qx 'brokers: A=broker-a B=broker-b' "$out" || rmq_die "route did not name both brokers"
grep -qx 'deleted on A' "$out" || rmq_die "the topic was not deleted on broker-a"
grep -qx "done: $n sent, 0 failed" "$out" || rmq_die "not every send succeeded"
ok=$(grep -cE '^sent [1-9][0-9]* broker=broker-b queue=[0-3] offset=[0-9]+$' "$out")
[ "$ok" -eq "$n" ] || rmq_die "$ok of $n sends after the deletion report broker-b"
# broker-a logs each send it refuses; every send succeeded, so each of those was retried.
retries=$(grep -c "the topic $topic not exist, producer: " "$RMQ_WORK/broker-a.out")
[ "$retries" -ge 1 ] || rmq_die "no send reached broker-a after the deletion: nothing was retried"
rmq_log "ok: $n sends on broker-b, $retries of them retried after broker-a answered TOPIC_NOT_EXIST"

# What broker-b stored: the N messages, plus the first one if it went there.
first_b=$(grep -c '^sent 0 broker=broker-b ' "$out")
grep -qx "stats B sum=$((n + first_b))" "$out" ||
    rmq_die "broker-b's max offsets do not add up to $((n + first_b))"
grep -qx 'stats A err=TOPIC_NOT_EXIST' "$out" || rmq_die "broker-a still has the topic"
rmq_log "ok: broker-b holds $((n + first_b)) messages of the topic, broker-a none"
rmq_log "PASS"
