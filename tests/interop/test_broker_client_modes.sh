#!/bin/bash
# Interop: every send and consume mode of the official Java remoting client (5.3) on our
# mqnamesrv + mqbroker, message by message (org.rocketmqc.interop.ClientModes, see its
# header). One JVM: a DefaultMQProducer sends one message set synchronously,
# asynchronously, one way and as a batch (several keys, tags, non-ASCII user properties,
# bodies from 1 byte to ~1 MiB, compressed ones over 4 KiB); then
#   push       a DefaultMQPushConsumer (fresh group, first offset) gets every message,
#   broadcast  two BROADCASTING push consumers in one group each get every message,
#   lps        a DefaultLitePullConsumer in subscribe mode reads each exactly once and
#              its auto commit reaches the broker,
#   lpa        one in assign mode (seek, poll, re-read after a seek back, commitSync),
# each comparing body, tags, keys, properties, compressed flag, msgId/UNIQ_KEY, offset
# msgId and queue/offset with what the producer sent and got back. While the clients are
# still open, the JVM must be connected to the broker's listen port and, with
# vipChannelEnabled off (the 5.x default), not to its fast port (listen port - 2).
#
# Exit: 0 pass, 77 skip (binaries not built, no ss), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_client_modes 120
command -v ss >/dev/null 2>&1 || rmq_skip "ss not found"

rmq_start_our_cluster autoCreateTopicEnable=true autoCreateSubscriptionGroup=true
rmq_check_loopback_only

fast_port=$((broker_port - 2))
sockets_plain() {
    local main fast
    main=$(rmq_conns_to "$1" "$broker_port")
    fast=$(rmq_conns_to "$1" "$fast_port")
    rmq_log "JVM $1: $main connection(s) to listen port $broker_port, $fast to fast port $fast_port"
    [ "$main" -ge 1 ] || { rmq_log "no connection to the listen port"; return 1; }
    [ "$fast" -eq 0 ] || { rmq_log "connected to the fast port with vipChannelEnabled=false"; return 1; }
}

topic=RmqcModes_$RANDOM
rmq_log "ClientModes $ns $topic push,broadcast,lps,lpa"
rmq_run_java_held client_modes 90 sockets_plain rmq_run_java org.rocketmqc.interop.ClientModes \
    "$ns" "$topic" "$(rmq_scaled 80)" push,broadcast,lps,lpa || rmq_die "ClientModes failed (see above)"
rmq_log "PASS"
