#!/usr/bin/env bash
# The full test suite, as CI runs it (.ci/run calls exactly this):
#   1. install missing system packages and the Java/Node artifacts the interop tests use
#   2. release build with -Werror; formatting check
#   3. quick tier: unit tests and fuzz-corpus replay
#   4. the same under ASan+UBSan, and the unit tests under valgrind
#   5. libFuzzer smoke run of every fuzz target
#   6. full tier: system and interop tests (real servers on loopback, official clients),
#      then the interop tests again against the ASan+UBSan build of our servers (but
#      the JVM-bound ones labelled interop_once)
# Environment: CI=true shortens the fuzz and crash loops; RMQ_SKIP_INTEROP=1 skips stage 6;
# RMQ_TEST_TIMEOUT_MULTIPLIER scales per-test limits.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
JOBS=$(nproc)
FUZZ_SECONDS=${RMQ_FUZZ_SECONDS:-$([ "${CI:-}" = true ] && echo 10 || echo 30)}
passed=0 failed=0 skipped=0
failures=()

stage() { echo; echo "=== $* ($(date +%H:%M:%S))"; }

# Runs ctest with the given arguments in build dir $1 and adds its counts to the totals.
run_ctest() {
    local dir=$1 name=$2; shift 2
    local log; log=$(mktemp)
    (cd "$dir" && ctest --output-on-failure "$@") 2>&1 | tee "$log"
    local total fail skip
    total=$(sed -n 's/.*tests passed, [0-9]* tests failed out of \([0-9]*\).*/\1/p' "$log" | tail -1)
    fail=$(sed -n 's/.*tests passed, \([0-9]*\) tests failed out of.*/\1/p' "$log" | tail -1)
    skip=$(grep -c '\*\*\*Skipped\|Not Run (Disabled)' "$log" || true)
    rm -f "$log"
    if [ -z "$total" ]; then
        if [ "$*" != "${*/-L/}" ]; then echo "($name: no tests)"; return 0; fi
        failures+=("$name: ctest did not run"); failed=$((failed + 1)); return 1
    fi
    passed=$((passed + total - fail - skip)); failed=$((failed + fail)); skipped=$((skipped + skip))
    [ "$fail" -eq 0 ] || failures+=("$name: $fail failed")
}

check() { # check NAME CMD...: one pass/fail step outside ctest
    local name=$1; shift
    if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); failures+=("$name"); fi
}

stage "dependencies"
scripts/install-deps.sh || { echo "dependency installation failed"; exit 1; }
# The Node.js client of the interop tests (ali-ons); without node/npm that test skips.
if command -v node >/dev/null && command -v npm >/dev/null; then
    scripts/install-node-deps.sh || { echo "node dependency installation failed"; exit 1; }
fi

stage "release build"
cmake -S . -B build -G Ninja -DRMQ_WERROR=ON >/dev/null && ninja -C build -j "$JOBS" ||
    { echo "build failed"; echo "summary: 0 passed, 1 failed"; exit 1; }
check "clang-format" bash -c 'git ls-files "*.c" "*.h" | xargs -r clang-format --dry-run -Werror'

stage "quick tier (unit + fuzz corpus replay)"
run_ctest build quick -L quick -j "$JOBS"

stage "ASan + UBSan build, quick tier"
cmake -S . -B build-asan -G Ninja -DRMQ_WERROR=ON -DRMQ_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug \
    >/dev/null && ninja -C build-asan -j "$JOBS" >/dev/null
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1
run_ctest build-asan asan -L quick -j "$JOBS"

stage "valgrind, unit tests"
vg_fail=0
for t in $(find build/src -maxdepth 2 -type f -name 'unit_*' -perm -u+x | sort); do
    if ! RMQ_TEST_UNDER_VALGRIND=1 valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
            "$t" >/dev/null 2>/tmp/vg.$$; then
        echo "valgrind: $t"; cat /tmp/vg.$$; vg_fail=1
    fi
done
rm -f /tmp/vg.$$
check "valgrind" test $vg_fail -eq 0

stage "libFuzzer smoke (${FUZZ_SECONDS}s per target)"
CC=clang cmake -S . -B build-fuzz -G Ninja -DRMQ_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null &&
    ninja -C build-fuzz -j "$JOBS" >/dev/null
# fuzz_one BINARY WORKDIR DICT...: runs one target; on a finding prints the log and the
# reproducer, which stays in WORKDIR.
fuzz_one() {
    local bin=$1 work=$2; shift 2
    if "$bin" -max_total_time="$FUZZ_SECONDS" -rss_limit_mb=2048 -artifact_prefix="$work/" \
            "$@" "$work/corpus" >"$work/log" 2>&1; then
        return 0
    fi
    tail -40 "$work/log"
    for a in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
        [ -f "$a" ] && { echo "reproducer $a:"; xxd "$a" | head -40; }
    done
    return 1
}
for f in $(find build-fuzz/tests -maxdepth 2 -type f -name 'fuzz_*' -perm -u+x | sort); do
    name=$(basename "$f")
    work=$(mktemp -d)
    mkdir -p "$work/corpus"
    corpus=$(find tests/fuzz -type d -path "*/corpus/$name" | head -1)
    [ -n "$corpus" ] && cp -r "$corpus"/. "$work/corpus"/
    dict=()
    d=$(find tests/fuzz -name "$name.dict" | head -1)
    [ -n "$d" ] && dict=(-dict="$d")
    case $name in fuzz_json|fuzz_frame|fuzz_protocol_bodies) dict=(-dict=tests/fuzz/json.dict) ;; esac
    check "fuzz $name" fuzz_one "$f" "$work" "${dict[@]}"
    echo "$name: $(grep -o 'Done [0-9]* runs' "$work/log" || echo 'FAILED (work dir kept: '"$work"')')"
    grep -q 'Done [0-9]* runs' "$work/log" && rm -rf "$work"
done

if [ "${RMQ_SKIP_INTEROP:-0}" != 1 ]; then
    stage "full tier: system and interop tests"
    if scripts/install-java-deps.sh; then
        run_ctest build full -L full
        stage "interop tests against the ASan+UBSan servers"
        reports=$ROOT/build-asan/asan-reports
        rm -rf "$reports"; mkdir -p "$reports"
        # This round points the mqadmin comparison at our NameServer too. The client tests
        # skip their second run against the Apache broker (RMQ_INTEROP_OURS_ONLY, see
        # tests/interop/lib.sh): it reaches no server code of ours but the NameServer.
        RMQ_MQADMIN_NAMESRV=ours RMQ_INTEROP_OURS_ONLY=1 \
            ASAN_OPTIONS=detect_leaks=1:log_path=$reports/asan \
            UBSAN_OPTIONS=print_stacktrace=1:log_path=$reports/ubsan \
            run_ctest build-asan asan-interop -L interop -LE interop_once
        if [ -n "$(ls -A "$reports")" ]; then
            for r in "$reports"/*; do echo "--- $r"; head -60 "$r"; done
            failures+=("sanitizer reports from servers under interop load"); failed=$((failed + 1))
        else
            passed=$((passed + 1))
        fi
    else
        failures+=("java dependencies"); failed=$((failed + 1))
    fi
fi

echo
for f in "${failures[@]}"; do echo "FAILED: $f"; done
echo "summary: $passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
