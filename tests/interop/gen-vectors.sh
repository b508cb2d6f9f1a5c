#!/bin/bash
# Regenerates tests/vectors/ (or OUTPUT_DIR) with org.rocketmqc.interop.VectorGen (the
# Apache RocketMQ classes pinned in tests/interop/java/pom.xml). The output is
# deterministic: running this again must leave `git status tests/vectors` clean unless
# the pinned version changed (test_vectors_current.sh checks that).
#
# Usage: tests/interop/gen-vectors.sh [OUTPUT_DIR]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
"$root/scripts/install-java-deps.sh"
cp="$here/java/target/rocketmqc-interop.jar:$(cat "$here/java/target/classpath.txt")"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
timeout 120 java -XX:+UseSerialGC -Drmq.logback.configurationFile="$here/logback.xml" \
    -Drmqc.log.file="$log" -cp "$cp" org.rocketmqc.interop.VectorGen "${1:-$root/tests/vectors}"
