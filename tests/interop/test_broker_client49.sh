#!/bin/bash
# Interop: the Java 4.9.x remoting client (rocketmq-client pinned in java49/pom.xml) on
# our mqnamesrv + mqbroker. tests/interop/java49 compiles the same ClientModes source as
# the 5.3 tests against 4.9.x; here it runs every phase (sync, async, oneway and batch
# sends; push, broadcasting, lite-pull subscribe and assign consumers; every message
# checked byte for byte, see ClientModes) with vipChannelEnabled=true, so the sends and
# offset calls of the old client go through our fast port (listenPort - 2): the JVM must
# hold connections to both ports (ss -tnp). 4.9.x clients default vipChannelEnabled to
# false (since 4.7.0; 4.3 and older defaulted to true), hence --vip.
#
# Exit: 0 pass, 77 skip (binaries not built, no ss), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_client49 120
command -v ss >/dev/null 2>&1 || rmq_skip "ss not found"

rmq_start_our_cluster autoCreateTopicEnable=true autoCreateSubscriptionGroup=true
rmq_check_loopback_only

topic=RmqcC49_$RANDOM
rmq_log "ClientModes (4.9 client) $ns $topic push,broadcast,lps,lpa --vip"
rmq_run_java_held client_modes49 90 rmq_conns_vip rmq_run_java49 org.rocketmqc.interop.ClientModes \
    "$ns" "$topic" "$(rmq_scaled 80)" push,broadcast,lps,lpa --vip ||
    rmq_die "ClientModes with the 4.9 client failed (see above)"
grep -q '^ClientModes: client V4_9_' "$RMQ_WORK/client_modes49.out" || rmq_die "the JVM did not run a 4.9.x client"
rmq_log "PASS"
