#!/bin/bash
# Builds the Java side of the interop tests: tests/interop/java (our small test programs
# plus the pinned Apache RocketMQ 5.3 artifacts) and tests/interop/java49 (some of the
# same programs compiled against the Java 4.9.x client; its sources are java's), with
# Maven into the default repository (~/.m2). Idempotent and quiet: a project is left
# alone when its target/*.jar and target/classpath.txt are newer than its pom and every
# source file and every class-path entry still exists. It builds offline first, so after
# one successful online run it works without network.
#
# Usage: scripts/install-java-deps.sh [--force]
# Prints nothing on success unless it had to build; exit 0 on success.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
force=${1:-}

for tool in java mvn; do
    if ! command -v "$tool" >/dev/null 2>&1; then
        echo "install-java-deps: '$tool' not found (need Java 17 and Maven 3.8)" >&2
        exit 1
    fi
done

# is_fresh DIR JAR: is DIR's build up to date? Both projects compile java/src.
is_fresh() {
    local dir=$1 jar=$2 cpfile=$1/target/classpath.txt
    [ -s "$jar" ] && [ -s "$cpfile" ] || return 1
    # Anything edited after the last build?
    if [ -n "$(find "$dir/pom.xml" "$root/tests/interop/java/src" -newer "$jar" -print -quit)" ] ||
       [ -n "$(find "$dir/pom.xml" -newer "$cpfile" -print -quit)" ]; then
        return 1
    fi
    # A wiped or moved ~/.m2 leaves a class-path file pointing at nothing.
    local entry
    local IFS=:
    for entry in $(cat "$cpfile"); do
        [ -e "$entry" ] || return 1
    done
    return 0
}

# build DIR JAR_NAME
build() {
    local dir=$1 jar=$1/target/$2
    mkdir -p "$dir/target"
    (
        # Several interop tests may start at once (ctest -j): one build at a time.
        exec 9>"$dir/target/.install.lock"
        flock -w 600 9
        if [ "$force" != "--force" ] && is_fresh "$dir" "$jar"; then
            exit 0
        fi
        cd "$dir"
        local log=$dir/target/install.log
        echo "install-java-deps: building $dir (log: $log)" >&2
        # Offline first (works once ~/.m2 holds everything), then online.
        if ! mvn -B -q -o package >"$log" 2>&1; then
            if ! mvn -B -q package >"$log" 2>&1; then
                cat "$log" >&2
                echo "install-java-deps: Maven build of $dir failed" >&2
                exit 1
            fi
        fi
        # Maven leaves an up-to-date jar untouched; mark both outputs as built now.
        touch "$jar" "$dir/target/classpath.txt"
        is_fresh "$dir" "$jar" || { echo "install-java-deps: $dir: build produced no jar/class path" >&2; exit 1; }
        echo "install-java-deps: ok ($jar)" >&2
    )
}

build "$root/tests/interop/java" rocketmqc-interop.jar
build "$root/tests/interop/java49" rocketmqc-interop49.jar
