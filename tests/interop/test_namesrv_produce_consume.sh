#!/bin/bash
# Interop: an Apache RocketMQ broker registers with the NameServer under test, and the
# official Java client (DefaultMQProducer + DefaultMQPushConsumer, routes from that
# NameServer only) sends and receives 1000 messages (org.rocketmqc.interop.ProduceConsume).
#
# Env: RMQ_NAMESRV_CMD (see lib.sh), RMQ_PC_COUNT (default 1000).
# Exit: 0 pass, 77 skip (no NameServer under test), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init namesrv_produce_consume 180
rmq_require_namesrv_under_test

ns_port=$(rmq_free_port)
broker_port=$(rmq_free_port 2 1)
ns=127.0.0.1:$ns_port

rmq_start_namesrv_under_test ns "$ns_port"
rmq_start_apache_broker broker "$ns" "$broker_port" broker-a
# The producer's first send needs the route of TBW102 (topic auto-creation template),
# which exists once the broker's first registration has been accepted.
rmq_wait_apache_registered "$ns" "127.0.0.1:$broker_port" wait-route TBW102 ||
    rmq_die "broker never registered with $ns"
rmq_check_loopback_only

topic=RmqcInterop_$RANDOM
rmq_log "ProduceConsume $ns $topic ${RMQ_PC_COUNT:-1000}"
rmq_run_java produce_consume 150 org.rocketmqc.interop.ProduceConsume \
    "$ns" "$topic" "${RMQ_PC_COUNT:-1000}" "$(rmq_scaled 120)" ||
    rmq_die "ProduceConsume failed"
