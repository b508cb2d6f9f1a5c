#!/bin/bash
# Interop: when a registered Apache broker dies (kill -9, so its connections close
# without an UNREGISTER_BROKER), the NameServer under test must drop it at once: its
# cluster info and topic routes stop showing the broker within a few seconds, long
# before the 120 s registration expiry.
#
# Env: RMQ_NAMESRV_CMD (see lib.sh), RMQ_BROKER_GONE_LIMIT_MS (default 10000, scaled).
# Exit: 0 pass, 77 skip, other fail.
. "$(dirname "$0")/lib.sh"
rmq_init namesrv_broker_kill 150
rmq_shared_jvm
rmq_require_namesrv_under_test

ns_port=$(rmq_free_port)
broker_port=$(rmq_free_port 2 1)
ns=127.0.0.1:$ns_port
limit_ms=$(rmq_scaled "${RMQ_BROKER_GONE_LIMIT_MS:-10000}")

rmq_start_namesrv_under_test ns "$ns_port"
rmq_start_apache_broker broker "$ns" "$broker_port" broker-a
rmq_wait_apache_registered "$ns" "127.0.0.1:$broker_port" wait-route TBW102 ||
    rmq_die "broker never registered with $ns"
rmq_check_loopback_only

# Before: mqadmin sees the broker in the cluster and in a route.
out=$(rmq_mqadmin clusterList -n "$ns")
echo "$out"
grep -q "broker-a .*127.0.0.1:$broker_port" <<<"$out" || rmq_die "clusterList does not show broker-a before the kill"
out=$(rmq_mqadmin topicRoute -t TBW102 -n "$ns")
grep -q "127.0.0.1:$broker_port" <<<"$out" || { echo "$out"; rmq_die "topicRoute TBW102 does not show the broker"; }

rmq_log "kill -9 broker (pid $(rmq_pid broker))"
t_kill=$(date +%s%N)
rmq_kill broker KILL
rmq_probe "$ns" wait-no-broker broker-a "$limit_ms" || rmq_die "broker-a still in cluster info after ${limit_ms} ms"
rmq_probe "$ns" wait-no-route-broker TBW102 broker-a 2000 || rmq_die "broker-a still in the TBW102 route"
gone_ms=$((($(date +%s%N) - t_kill) / 1000000))
rmq_log "broker gone from cluster info and routes ${gone_ms} ms after the kill (probe start-up included)"

# After: the same through Apache mqadmin.
out=$(rmq_mqadmin clusterList -n "$ns")
echo "$out"
if grep -q "broker-a" <<<"$out"; then rmq_die "clusterList still shows broker-a"; fi
out=$(rmq_mqadmin topicRoute -t TBW102 -n "$ns")
echo "$out" | head -5
if grep -q "127.0.0.1:$broker_port" <<<"$out"; then rmq_die "topicRoute TBW102 still shows the broker"; fi
grep -q "No topic route info" <<<"$out" || rmq_die "topicRoute TBW102 did not report a missing route"
