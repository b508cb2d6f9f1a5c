#!/bin/bash
# Interop: the old clients' fast port ("VIP channel"). Our broker listens on listenPort - 2
# as well; the official Java client (5.3) with vipChannelEnabled=true sends there and
# makes its offset calls there (MixAll.brokerVIPChannel), while heartbeats and pulls stay
# on the listen port. org.rocketmqc.interop.ClientModes --vip sends its whole message set
# (sync, async, oneway, batch) and reads it back with a push consumer and an assign-mode
# lite-pull consumer whose commitSync(offsets, true) the broker must then report, every
# message checked byte for byte (see ClientModes). While its clients are still open the
# JVM must hold connections to both ports (ss -tnp).
#
# Exit: 0 pass, 77 skip (binaries not built, no ss), other fail.
. "$(dirname "$0")/lib.sh"
rmq_init broker_vip_channel 120
command -v ss >/dev/null 2>&1 || rmq_skip "ss not found"

rmq_start_our_cluster autoCreateTopicEnable=true autoCreateSubscriptionGroup=true
rmq_check_loopback_only

topic=RmqcVip_$RANDOM
rmq_log "ClientModes $ns $topic push,lpa --vip"
rmq_run_java_held client_modes_vip 90 rmq_conns_vip rmq_run_java org.rocketmqc.interop.ClientModes \
    "$ns" "$topic" "$(rmq_scaled 80)" push,lpa --vip || rmq_die "ClientModes --vip failed (see above)"
rmq_log "PASS"
