#!/bin/bash
# Runs the Apache NameServer as an ordinary command, so that the harness's generic
# RMQ_NAMESRV_CMD path (command + "-c FILE") can be exercised without our binary:
#
#   RMQ_NAMESRV_CMD=tests/interop/apache-namesrv.sh tests/interop/test_namesrv_*.sh
#
# RMQ_SELFTEST_EXTRA_CONF, if set, is appended to the -c file first (one "key=value" per
# line). A deliberately different value there must make test_namesrv_mqadmin_compare.sh
# fail, which shows that its comparison catches differences.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
conf=
prev=
for a in "$@"; do
    [ "$prev" = "-c" ] && conf=$a
    prev=$a
done
if [ -n "${RMQ_SELFTEST_EXTRA_CONF:-}" ] && [ -n "$conf" ]; then
    printf '%s\n' "$RMQ_SELFTEST_EXTRA_CONF" >>"$conf"
fi
cp="$here/java/target/rocketmqc-interop.jar:$(cat "$here/java/target/classpath.txt")"
dir=$(dirname "${conf:-$PWD/x}")
exec java -Xms128m -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData \
    -Djava.net.preferIPv4Stack=true -Duser.home="$dir/home" \
    -Drmq.logback.configurationFile="$here/logback.xml" -Drmqc.log.file="$dir/namesrv.log" \
    -cp "$cp" org.apache.rocketmq.namesrv.NamesrvStartup "$@"
