# Shared shell harness for the interop tests. Source it from a test script, then call
# rmq_init first:
#
#   . "$(dirname "$0")/lib.sh"
#   rmq_init my_test 150          # name, overall limit in seconds
#
# What it gives a test:
#   - an overall time limit: the script re-runs itself under `timeout`, which on expiry
#     signals the script and every process it started (one process group); every wait
#     below is bounded as well. Limits scale with RMQ_TEST_TIMEOUT_MULTIPLIER.
#   - a private work directory ($RMQ_WORK) holding every config, store, log and output;
#     removed on success, kept (and its logs' tails printed) on failure or RMQ_KEEP_WORK=1.
#   - cleanup on every exit path (trap): every process started through rmq_spawn gets
#     SIGTERM, then SIGKILL after a grace period.
#   - free loopback ports, servers bound to 127.0.0.1 only.
#   - the Apache RocketMQ NameServer, broker and mqadmin from tests/interop/java (built
#     by scripts/install-java-deps.sh, called here when needed), and our probes.
#   - the "NameServer under test" hook (rmq_start_namesrv_under_test), chosen by
#     RMQ_NAMESRV_CMD:
#         unset   -> $RMQ_BUILD/programs/mqnamesrv if it exists, else the test is skipped
#         apache  -> the Apache NameServer (proves the harness itself)
#         other   -> a command line; the harness appends "-c FILE"
#     FILE is a Java properties file with listenPort, bindAddress=127.0.0.1, rocketmqHome
#     and kvConfigPath (both inside the work directory).
#
# Exit status convention: 0 pass, 77 skip (ctest SKIP_RETURN_CODE), anything else fail;
# 124 means the overall time limit was hit.

RMQ_INTEROP_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RMQ_ROOT=$(cd "$RMQ_INTEROP_DIR/../.." && pwd)
RMQ_BUILD=${RMQ_BUILD:-$RMQ_ROOT/build}
RMQ_JAVA_DIR=$RMQ_INTEROP_DIR/java
RMQ_JAVA49_DIR=$RMQ_INTEROP_DIR/java49
RMQ_SCRIPT_ARGS=("$@")

# Heaps: small on purpose (a 2-core box runs up to four JVMs at once).
RMQ_NAMESRV_HEAP=${RMQ_NAMESRV_HEAP:--Xms128m -Xmx256m}
RMQ_BROKER_HEAP=${RMQ_BROKER_HEAP:--Xms256m -Xmx512m -XX:MaxDirectMemorySize=512m}
RMQ_CLIENT_HEAP=${RMQ_CLIENT_HEAP:--Xms64m -Xmx256m}

declare -a RMQ_PIDS=()
declare -A RMQ_PID_OF=()
declare -A RMQ_PORTS_TAKEN=()
RMQ_WORK=

rmq_log() { printf '[%s %s] %s\n' "$(date +%T)" "${RMQ_TEST_NAME:-interop}" "$*" >&2; }
rmq_die() { rmq_log "FAIL: $*"; exit 1; }
rmq_skip() { rmq_log "SKIP: $*"; exit 77; }

# Seconds scaled by RMQ_TEST_TIMEOUT_MULTIPLIER (may be fractional), at least 1.
rmq_scaled() {
    awk -v s="$1" -v m="${RMQ_TEST_TIMEOUT_MULTIPLIER:-1}" 'BEGIN { v = int(s * m + 0.5); print (v < 1 ? 1 : v) }'
}

# rmq_init NAME LIMIT_SECONDS
rmq_init() {
    RMQ_TEST_NAME=$1
    local limit
    limit=$(rmq_scaled "$2")
    if [ -z "${RMQ_INTEROP_UNDER_TIMEOUT:-}" ]; then
        export RMQ_INTEROP_UNDER_TIMEOUT=1
        # timeout puts itself, this script and everything it starts into one process
        # group and signals the whole group when the limit is reached.
        exec timeout -k 15 "$limit" bash "$0" "${RMQ_SCRIPT_ARGS[@]}"
    fi
    command -v java >/dev/null 2>&1 || rmq_skip "java not found"
    command -v mvn >/dev/null 2>&1 || rmq_skip "mvn not found"
    RMQ_WORK=$(mktemp -d "${RMQ_TEST_TMPDIR:-${TMPDIR:-/tmp}}/rmq-interop-$RMQ_TEST_NAME.XXXXXX")
    trap rmq_cleanup EXIT
    trap 'rmq_log "terminated (overall limit ${limit}s?)"; exit 124' TERM
    trap 'rmq_log "interrupted"; exit 130' INT
    "$RMQ_ROOT/scripts/install-java-deps.sh" || rmq_die "scripts/install-java-deps.sh failed"
    RMQ_CP="$RMQ_JAVA_DIR/target/rocketmqc-interop.jar:$(cat "$RMQ_JAVA_DIR/target/classpath.txt")"
    RMQ_CP49="$RMQ_JAVA49_DIR/target/rocketmqc-interop49.jar:$(cat "$RMQ_JAVA49_DIR/target/classpath.txt")"
    RMQ_T0=$(date +%s.%N)
    rmq_log "work dir $RMQ_WORK, limit ${limit}s"
}

rmq_elapsed() { awk -v a="$RMQ_T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

rmq_cleanup() {
    local rc=$?
    trap - EXIT TERM INT
    local i pid
    # Reverse start order: clients and brokers before NameServers.
    for ((i = ${#RMQ_PIDS[@]} - 1; i >= 0; i--)); do
        kill -TERM "${RMQ_PIDS[i]}" 2>/dev/null || true
    done
    # A short grace period: a C server exits at once (and ASan can report), while the
    # Java servers' graceful shutdown takes many seconds that a test need not wait for.
    local deadline
    deadline=$(($(date +%s%N) / 1000000 + ${RMQ_KILL_GRACE_MS:-2000}))
    for pid in "${RMQ_PIDS[@]}"; do
        while kill -0 "$pid" 2>/dev/null && [ $(($(date +%s%N) / 1000000)) -lt $deadline ]; do
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    done
    # Background jobs a test started itself (clients under `timeout ... &`) when it
    # failed before waiting for them: without this the `wait` below would sit until
    # their own time limits.
    local jobs_left
    jobs_left=$(jobs -p)
    if [ -n "$jobs_left" ]; then
        # shellcheck disable=SC2086
        kill -TERM $jobs_left 2>/dev/null || true
        sleep 0.5
        # shellcheck disable=SC2086
        kill -KILL $jobs_left 2>/dev/null || true
    fi
    # A client started in the background (rmq_run_java ... &) outlives a kill of its
    # subshell: `timeout` and the JVM under it would run on until their own limit.
    # Everything such a test starts names the work dir on its command line.
    if [ -n "$RMQ_WORK" ]; then
        pkill -KILL -f -- "$RMQ_WORK/" 2>/dev/null || true
    fi
    # The shared JVM (rmq_shared_jvm) may have been started from a subshell.
    if [ -n "$RMQ_WORK" ] && [ -s "$RMQ_WORK/shared-jvm/pid" ]; then
        kill -KILL "$(cat "$RMQ_WORK/shared-jvm/pid")" 2>/dev/null || true
    fi
    wait 2>/dev/null || true
    if [ -n "$RMQ_WORK" ] && [ -d "$RMQ_WORK" ]; then
        if [ "$rc" -ne 0 ] && [ "$rc" -ne 77 ]; then
            rmq_dump_logs
            rmq_log "work dir kept: $RMQ_WORK"
        elif [ -n "${RMQ_KEEP_WORK:-}" ]; then
            rmq_log "work dir kept: $RMQ_WORK"
        else
            rm -rf "$RMQ_WORK"
        fi
    fi
    [ "$rc" -eq 0 ] && rmq_log "PASS in $(rmq_elapsed)s"
    exit "$rc"
}

rmq_dump_logs() {
    local f
    for f in "$RMQ_WORK"/*.out "$RMQ_WORK"/*/*.out; do
        [ -s "$f" ] || continue
        echo "----- tail of ${f#"$RMQ_WORK"/} -----" >&2
        tail -n 25 "$f" >&2
    done
}

# ---------------------------------------------------------------- ports, processes

rmq_port_busy() {
    [ -n "${RMQ_PORTS_TAKEN[$1]:-}" ] && return 0
    if command -v ss >/dev/null 2>&1; then
        [ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

# rmq_free_port [BELOW] [ABOVE]: prints a port P such that P-BELOW .. P+ABOVE are all
# free, chosen at random below the kernel's ephemeral range so that client sockets do
# not collide with it. A broker needs BELOW=2 (fast port) and ABOVE=1 (HA port).
rmq_free_port() {
    local below=${1:-0} above=${2:-0} p q ok tries
    for tries in $(seq 1 200); do
        p=$((20000 + below + RANDOM % 12000))
        ok=1
        for ((q = p - below; q <= p + above; q++)); do
            if rmq_port_busy "$q"; then ok=0; break; fi
        done
        if [ $ok -eq 1 ]; then
            for ((q = p - below; q <= p + above; q++)); do RMQ_PORTS_TAKEN[$q]=1; done
            echo "$p"
            return 0
        fi
    done
    rmq_die "no free port found"
}

# rmq_spawn NAME CMD...: start CMD in the background, stdout+stderr to $RMQ_WORK/NAME.out.
rmq_spawn() {
    local name=$1
    shift
    "$@" >"$RMQ_WORK/$name.out" 2>&1 </dev/null &
    RMQ_PIDS+=($!)
    RMQ_PID_OF[$name]=$!
}

rmq_pid() { echo "${RMQ_PID_OF[$1]}"; }

# rmq_kill NAME [SIGNAL]: signal a spawned process and wait (bounded) until it is gone.
rmq_kill() {
    local pid=${RMQ_PID_OF[$1]} sig=${2:-TERM} deadline=$((SECONDS + 20))
    disown "$pid" 2>/dev/null || true # no "Killed" job notice from bash
    kill -"$sig" "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
    if kill -0 "$pid" 2>/dev/null; then rmq_die "$1 (pid $pid) did not exit after SIG$sig"; fi
}

# rmq_wait_port PORT SECONDS [NAME]: wait until something listens on 127.0.0.1:PORT;
# fail early if the spawned process NAME died meanwhile.
rmq_wait_port() {
    local port=$1 name=${3:-} deadline
    deadline=$(($(date +%s) + $(rmq_scaled "$2")))
    while :; do
        if command -v ss >/dev/null 2>&1; then
            [ -n "$(ss -Htln "sport = :$port" 2>/dev/null)" ] && return 0
        else
            (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
        fi
        if [ -n "$name" ] && ! kill -0 "${RMQ_PID_OF[$name]}" 2>/dev/null; then
            rmq_die "$name exited before listening on port $port (see $RMQ_WORK/$name.out)"
        fi
        [ "$(date +%s)" -ge "$deadline" ] && rmq_die "nothing listens on 127.0.0.1:$port after $2 s ($name)"
        sleep 0.1
    done
}

# ---------------------------------------------------------------- Java

# rmq_java_args NAME HEAP: prints the java command prefix (JVM options, logging to
# $RMQ_WORK/NAME.log, class path) for callers to word-split: paths must not contain
# spaces. RMQ_JAVA_OPTS (e.g. set for one rmq_run_java) adds JVM options.
rmq_java_args() {
    local name=$1 heap=$2
    echo "java $heap ${RMQ_JAVA_OPTS:-} -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData" \
        "-Djava.net.preferIPv4Stack=true -Duser.home=$RMQ_WORK/home" \
        "-Drmq.logback.configurationFile=$RMQ_INTEROP_DIR/logback.xml" \
        "-Drmqc.log.file=$RMQ_WORK/$name.log -cp $RMQ_CP"
}

# rmq_run_java NAME SECONDS MAIN ARGS...: run a client JVM in the foreground, bounded.
rmq_run_java() {
    local name=$1 secs
    secs=$(rmq_scaled "$2")
    shift 2
    # shellcheck disable=SC2046
    timeout -k 5 "$secs" env ROCKETMQ_HOME="$RMQ_WORK" $(rmq_java_args "$name" "$RMQ_CLIENT_HEAP") "$@"
}

# rmq_run_java49 NAME SECONDS MAIN ARGS...: rmq_run_java with the Java 4.9.x client
# (tests/interop/java49: the classes it compiles, against rocketmq-client 4.9.x) on the
# class path instead of 5.3.
rmq_run_java49() { RMQ_CP=$RMQ_CP49 rmq_run_java "$@"; }

# rmq_run_java_held NAME SECONDS CHECK RUNNER MAIN ARGS...: RUNNER (rmq_run_java or
# rmq_run_java49) runs MAIN ARGS... --hold FILE in the background. MAIN must print a line
# ending in ": holding" once its work is done and then keep its clients (and so their
# connections) open until FILE exists. At that moment CHECK JVM_PID runs (a command, e.g.
# a function of the test using rmq_conns_to); its failure fails the test. Then the JVM
# is released; prints its output and returns its exit status. A program that exits
# without holding (it failed) is not checked: its own status tells.
rmq_run_java_held() {
    local name=$1 secs=$2 check=$3 runner=$4 release=$RMQ_WORK/$1.release pid jpid deadline rc=0
    shift 4
    rmq_spawn "$name" "$runner" "$name" "$secs" "$@" --hold "$release"
    pid=$(rmq_pid "$name")
    deadline=$(($(date +%s) + $(rmq_scaled "$secs")))
    while kill -0 "$pid" 2>/dev/null && ! grep -qs ': holding$' "$RMQ_WORK/$name.out" &&
        [ "$(date +%s)" -lt "$deadline" ]; do
        sleep 0.1
    done
    if grep -q ': holding$' "$RMQ_WORK/$name.out"; then
        # env execs java: the JVM is the process whose command line starts with java.
        jpid=$(pgrep -f -- "^java .*-Drmqc.log.file=$RMQ_WORK/$name.log" | head -n 1)
        [ -n "$jpid" ] || rmq_die "$name: no JVM process found while it holds"
        "$check" "$jpid" || { cat "$RMQ_WORK/$name.out"; rmq_die "$name: $check failed"; }
    fi
    touch "$release"
    wait "$pid" || rc=$?
    cat "$RMQ_WORK/$name.out"
    return "$rc"
}

# rmq_expect NAME PATTERN: the last mqadmin output ($out) must match the extended regex
# PATTERN; otherwise prints it and fails the test.
rmq_expect() {
    grep -Eq -- "$2" <<<"$out" || { printf '%s\n' "$out" >&2; rmq_die "$1: no /$2/"; }
    rmq_log "ok: $1"
}

# rmq_wait_line FILE PATTERN SECONDS: waits (polling every second, SECONDS times) until
# FILE has a line matching the basic regex PATTERN; otherwise prints FILE and fails.
rmq_wait_line() {
    local file=$1 pattern=$2 n=$3
    for _ in $(seq 1 "$n"); do
        grep -q -- "$pattern" "$file" && return 0
        sleep 1
    done
    grep -q -- "$pattern" "$file" || { cat "$file" >&2; rmq_die "no /$pattern/ in $file"; }
}

# rmq_conns_to PID PORT: how many established TCP connections process PID has to
# 127.0.0.1:PORT (ss -p; same user).
rmq_conns_to() {
    ss -Htnp state established "( dst 127.0.0.1 and dport = :$2 )" 2>/dev/null | grep -c "pid=$1," || true
}

# rmq_conns_vip PID: the CHECK of rmq_run_java_held for vipChannelEnabled=true clients:
# the JVM holds connections to both our broker's listen port ($broker_port, see
# rmq_start_our_cluster) and its fast port (listenPort - 2).
rmq_conns_vip() {
    local main fast fast_port=$((broker_port - 2))
    main=$(rmq_conns_to "$1" "$broker_port")
    fast=$(rmq_conns_to "$1" "$fast_port")
    rmq_log "JVM $1: $main connection(s) to listen port $broker_port, $fast to fast port $fast_port"
    [ "$fast" -ge 1 ] || { rmq_log "no connection to the fast port with vipChannelEnabled=true"; return 1; }
    [ "$main" -ge 1 ] || { rmq_log "no connection to the listen port"; return 1; }
}

# rmq_mqadmin ARGS...: Apache mqadmin (MQAdminStartup via our AdminRun), 60 s bound.
# Prints what mqadmin prints (stdout and stderr). Client JVMs log to
# $RMQ_WORK/<tool>$RMQ_LOG_TAG.log; set RMQ_LOG_TAG when running tools in parallel.
# After rmq_shared_jvm the command runs in the test's shared JVM instead.
rmq_mqadmin() {
    if [ -n "${RMQ_SHARED_JVM:-}" ] && [ -z "${RMQ_MQADMIN_MAIN:-}" ]; then
        rmq_shared_call 60 admin "$@" 2>&1
        return
    fi
    rmq_run_java "mqadmin${RMQ_LOG_TAG:-}" 60 "${RMQ_MQADMIN_MAIN:-org.rocketmqc.interop.AdminRun}" "$@" 2>&1
}

# rmq_probe ARGS...: org.rocketmqc.interop.NsProbe (see its header comment); in the shared
# JVM after rmq_shared_jvm.
rmq_probe() {
    if [ -n "${RMQ_SHARED_JVM:-}" ]; then
        rmq_shared_call 120 probe "$@"
        return
    fi
    rmq_run_java "probe${RMQ_LOG_TAG:-}" 120 org.rocketmqc.interop.NsProbe "$@"
}

# rmq_shared_jvm: from now on this test's rmq_mqadmin and rmq_probe commands run one after
# the other in one long-lived JVM (AdminRun --serve, see its header comment) instead of a
# JVM each: a JVM start costs about 1.5-2 s of both cores, many times a test's own work.
# Output and exit status are what the one-JVM-per-command path gives; commands may still
# be issued from subshells and in parallel (they are served in turn). The JVM is started
# on first use, logs to $RMQ_WORK/shared-jvm.log, and exits when the test does.
rmq_shared_jvm() { RMQ_SHARED_JVM=1; }

# rmq_shared_call SECONDS KIND ARGS...: one request to the shared JVM (started if needed);
# prints the command's output and returns its status. A command MQAdminStartup would end
# with System.exit (bad options) is answered "delegate" and run in a JVM of its own.
# RMQ_SHARED_JVM_TRACE=1 appends each command and its end time to shared-jvm/trace.
rmq_shared_call() {
    local secs=$1 kind=$2 dir=$RMQ_WORK/shared-jvm id pid rc deadline
    shift 2
    mkdir -p "$dir"
    pid=$(rmq_shared_jvm_start) || rmq_die "cannot start the shared JVM"
    id=$(printf '%s_%s_%s' "$(date +%s%N)" "$BASHPID" "$RANDOM")
    printf '%s\0' "$kind" "${RMQ_ADMIN_EXTRA:-}" "$@" >"$dir/reqtmp.$id"
    mv "$dir/reqtmp.$id" "$dir/req.$id"
    deadline=$(($(date +%s) + $(rmq_scaled "$secs")))
    while [ ! -e "$dir/rc.$id" ]; do
        if ! kill -0 "$pid" 2>/dev/null && [ ! -e "$dir/rc.$id" ]; then
            rm -f "$dir/req.$id"
            rmq_log "shared JVM (pid $pid) gone during '$kind $*' (see $RMQ_WORK/shared-jvm.out)"
            return 1
        fi
        if [ "$(date +%s)" -ge "$deadline" ]; then
            rmq_log "shared JVM: '$kind $*' took more than $secs s; stopping it"
            kill -KILL "$pid" 2>/dev/null
            return 124
        fi
        sleep 0.02
    done
    rc=$(cat "$dir/rc.$id")
    [ -z "${RMQ_SHARED_JVM_TRACE:-}" ] || echo "$(date +%T.%N) $kind $* -> $rc" >>"$dir/trace"
    if [ "$rc" = delegate ]; then
        rm -f "$dir/rc.$id" "$dir/out.$id"
        RMQ_SHARED_JVM= rmq_mqadmin "$@"
        return
    fi
    cat "$dir/out.$id"
    rm -f "$dir/rc.$id" "$dir/out.$id"
    return "$rc"
}

# rmq_shared_jvm_start: prints the pid of the shared JVM, starting it if it is not running
# (under a lock: callers may be parallel subshells, which is also why the pid lives in a
# file). It polls $RMQ_WORK/shared-jvm for requests and exits when this script does.
rmq_shared_jvm_start() {
    local dir=$RMQ_WORK/shared-jvm pid
    (
        flock -w 60 9 || exit 1
        pid=$(cat "$dir/pid" 2>/dev/null)
        if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
            # shellcheck disable=SC2046
            (cd "$RMQ_WORK" && exec env ROCKETMQ_HOME="$RMQ_WORK" \
                $(rmq_java_args shared-jvm "$RMQ_CLIENT_HEAP") \
                org.rocketmqc.interop.AdminRun --serve "$dir" $$) \
                >>"$RMQ_WORK/shared-jvm.out" 2>&1 </dev/null 9>&- &
            pid=$!
            echo "$pid" >"$dir/pid"
        fi
        echo "$pid"
    ) 9>"$dir/lock"
}

# ---------------------------------------------------------------- servers

# rmq_namesrv_conf DIR PORT: the properties file both kinds of NameServer get.
rmq_namesrv_conf() {
    local dir=$1 port=$2
    mkdir -p "$dir/home"
    cat >"$dir/namesrv.conf" <<EOF
listenPort=$port
bindAddress=127.0.0.1
rocketmqHome=$dir
kvConfigPath=$dir/kvConfig.json
EOF
    echo "$dir/namesrv.conf"
}

# rmq_start_apache_namesrv NAME PORT: Apache NameServer on 127.0.0.1:PORT; waits for it.
rmq_start_apache_namesrv() {
    local name=$1 port=$2 dir=$RMQ_WORK/$1 conf
    conf=$(rmq_namesrv_conf "$dir" "$port")
    # shellcheck disable=SC2046
    rmq_spawn "$name" env ROCKETMQ_HOME="$dir" $(rmq_java_args "$name" "$RMQ_NAMESRV_HEAP") \
        org.apache.rocketmq.namesrv.NamesrvStartup -c "$conf"
    rmq_wait_port "$port" 60 "$name"
    rmq_log "Apache NameServer $name on 127.0.0.1:$port (pid ${RMQ_PID_OF[$name]})"
}

# The NameServer under test, as chosen by RMQ_NAMESRV_CMD (see the top of this file).
# Call rmq_require_namesrv_under_test early, before starting anything expensive, so that
# a missing binary is a quick skip.
rmq_require_namesrv_under_test() {
    RMQ_NAMESRV_UNDER_TEST=${RMQ_NAMESRV_CMD:-}
    if [ -z "$RMQ_NAMESRV_UNDER_TEST" ]; then
        if [ -x "$RMQ_BUILD/programs/mqnamesrv" ]; then
            RMQ_NAMESRV_UNDER_TEST=$RMQ_BUILD/programs/mqnamesrv
        else
            rmq_skip "no $RMQ_BUILD/programs/mqnamesrv (set RMQ_NAMESRV_CMD=apache to test the harness)"
        fi
    fi
    rmq_log "NameServer under test: $RMQ_NAMESRV_UNDER_TEST"
}

# rmq_start_namesrv_under_test NAME PORT
rmq_start_namesrv_under_test() {
    local name=$1 port=$2 dir=$RMQ_WORK/$1 conf
    [ -n "${RMQ_NAMESRV_UNDER_TEST:-}" ] || rmq_require_namesrv_under_test
    if [ "$RMQ_NAMESRV_UNDER_TEST" = apache ]; then
        rmq_start_apache_namesrv "$name" "$port"
        return
    fi
    conf=$(rmq_namesrv_conf "$dir" "$port")
    # shellcheck disable=SC2086
    rmq_spawn "$name" env HOME="$dir/home" ROCKETMQ_HOME="$dir" $RMQ_NAMESRV_UNDER_TEST -c "$conf"
    rmq_wait_port "$port" 30 "$name"
    rmq_log "NameServer under test $name on 127.0.0.1:$port (pid ${RMQ_PID_OF[$name]})"
}

# rmq_ours_only: true (and logs it) when RMQ_INTEROP_OURS_ONLY=1. Tests that run the same
# checks of our C client first against our broker and then against the Apache broker
# skip the second run then: scripts/test.sh's round against the ASan+UBSan build of our
# servers sets it, since the Apache run reaches no server code of ours but the NameServer
# (covered by every test) and repeats the client paths of the first run.
rmq_ours_only() {
    [ "${RMQ_INTEROP_OURS_ONLY:-0}" = 1 ] || return 1
    rmq_log "RMQ_INTEROP_OURS_ONLY=1: the run against the Apache broker is skipped"
}

# rmq_wait_apache_registered NAMESRV_ADDRS BROKER_ADDR PROBE_WAIT ARGS...: waits (rmq_probe
# PROBE_WAIT ARGS... TIMEOUT_MS, e.g. wait-route TBW102) until the Apache broker at
# BROKER_ADDR has registered. Apache's broker (5.3.3) registers at start-up only with the
# NameServers its client already found reachable (BrokerOuterAPI.registerBrokerAll takes
# NettyRemotingClient.getAvailableNameSrvList, filled by an availability scan that
# connects asynchronously); when the scan loses that race the first registration waits
# for the 10 s timer. So after 2 s without it this sets brokerPermission to its value,
# 6 (updateBrokerConfig), which makes the broker register at once.
rmq_wait_apache_registered() {
    local ns=$1 addr=$2
    shift 2
    rmq_probe "$ns" "$@" 2000 && return 0
    rmq_log "Apache broker $addr not registered after 2 s: updateBrokerConfig brokerPermission=6"
    rmq_mqadmin updateBrokerConfig -b "$addr" -k brokerPermission -v 6 -n "$ns" >/dev/null
    rmq_probe "$ns" "$@" 60000
}

# rmq_start_apache_behind_ours: a second NameServer under test (ns2) and, registered with
# it, the Apache broker "apache" (broker-a); returns once that NameServer routes TBW102
# and every server listens on loopback only. Sets apache_ns (127.0.0.1:PORT of ns2) and
# apache_port.
rmq_start_apache_behind_ours() {
    local ns2_port
    ns2_port=$(rmq_free_port)
    apache_port=$(rmq_free_port 2 1)
    apache_ns=127.0.0.1:$ns2_port
    rmq_start_namesrv_under_test ns2 "$ns2_port"
    rmq_start_apache_broker apache "$apache_ns" "$apache_port" broker-a
    rmq_wait_apache_registered "$apache_ns" "127.0.0.1:$apache_port" wait-route TBW102 ||
        rmq_die "the Apache broker never registered with $apache_ns"
    rmq_check_loopback_only
}

# rmq_start_apache_broker NAME NAMESRV_ADDRS PORT [BROKER_NAME] [EXTRA_CONF_LINE...]
# Apache broker (ASYNC_MASTER, id 0, cluster DefaultCluster) on 127.0.0.1:PORT, fast
# port PORT-2 and HA port PORT+1 (loopback too, see LoopbackHAService), store in the
# work directory with 64 MiB CommitLog files, topics and groups auto-created. Waits for
# the port only; use rmq_probe ... wait-broker to wait for its registration.
rmq_start_apache_broker() {
    local name=$1 namesrv=$2 port=$3 bname=${4:-broker-a}
    shift 4 2>/dev/null || shift $#
    local dir=$RMQ_WORK/$name
    mkdir -p "$dir/home" "$dir/store"
    {
        echo "brokerClusterName=DefaultCluster"
        echo "brokerName=$bname"
        echo "brokerId=0"
        echo "brokerRole=ASYNC_MASTER"
        echo "flushDiskType=ASYNC_FLUSH"
        echo "namesrvAddr=$namesrv"
        echo "brokerIP1=127.0.0.1"
        echo "brokerIP2=127.0.0.1"
        echo "bindAddress=127.0.0.1"
        echo "listenPort=$port"
        echo "haListenPort=$((port + 1))"
        echo "storePathRootDir=$dir/store"
        echo "storePathCommitLog=$dir/store/commitlog"
        echo "mappedFileSizeCommitLog=67108864"
        echo "autoCreateTopicEnable=true"
        echo "autoCreateSubscriptionGroup=true"
        echo "rocketmqHome=$dir"
        local line
        for line in "$@"; do echo "$line"; done
    } >"$dir/broker.conf"
    # shellcheck disable=SC2046
    rmq_spawn "$name" env ROCKETMQ_HOME="$dir" $(rmq_java_args "$name" "$RMQ_BROKER_HEAP") \
        org.apache.rocketmq.broker.BrokerStartup -c "$dir/broker.conf"
    rmq_wait_port "$port" 90 "$name"
    rmq_log "Apache broker $name ($bname) on 127.0.0.1:$port (pid ${RMQ_PID_OF[$name]}) -> $namesrv"
}

# rmq_check_loopback_only: fail if any process we started listens on a non-loopback address.
rmq_check_loopback_only() {
    command -v ss >/dev/null 2>&1 || return 0
    local pid bad=""
    for pid in "${RMQ_PIDS[@]}"; do
        kill -0 "$pid" 2>/dev/null || continue
        bad+=$(ss -Htlnp 2>/dev/null | grep "pid=$pid," | awk '{print $4}' |
            grep -v -E '^(127\.[0-9.]+|\[::ffff:127\.[0-9.]+\]|\[::1\]):[0-9]+$' || true)
    done
    [ -z "$bad" ] || rmq_die "listening on non-loopback addresses: $bad"
}

# rmq_start_our_cluster [KEY=VALUE ...]: our mqnamesrv and one of our mqbrokers registered
# with it (broker name broker-c, 64 MB commit-log segments, store in $RMQ_WORK/broker),
# the extra lines appended to broker.conf. Skips (77) while the binaries are not built.
# Sets ns (host:port), ns_port, broker_port, baddr and bdir; the broker process is named
# "broker". Restart it with rmq_start_our_broker NAME after rmq_kill broker.
rmq_start_our_cluster() {
    local p
    for p in mqnamesrv mqbroker; do
        [ -x "$RMQ_BUILD/programs/$p" ] || rmq_skip "no $RMQ_BUILD/programs/$p"
    done
    RMQ_NAMESRV_UNDER_TEST=$RMQ_BUILD/programs/mqnamesrv
    ns_port=$(rmq_free_port)
    broker_port=$(rmq_free_port 2 1)
    ns=127.0.0.1:$ns_port
    baddr=127.0.0.1:$broker_port
    rmq_start_namesrv_under_test ns "$ns_port"
    bdir=$RMQ_WORK/broker
    mkdir -p "$bdir/home" "$bdir/store"
    {
        cat <<CONF
brokerClusterName=DefaultCluster
brokerName=broker-c
brokerId=0
namesrvAddr=$ns
brokerIP1=127.0.0.1
brokerIP2=127.0.0.1
bindAddress=127.0.0.1
listenPort=$broker_port
storePathRootDir=$bdir/store
storePathCommitLog=$bdir/store/commitlog
mappedFileSizeCommitLog=67108864
CONF
        for p in "$@"; do echo "$p"; done
    } >"$bdir/broker.conf"
    rmq_start_our_broker broker
    rmq_probe "$ns" wait-route TBW102 60000 || rmq_die "our broker never registered with $ns"
}

# rmq_start_our_broker NAME: (re)starts our broker on the configuration and store of
# rmq_start_our_cluster.
rmq_start_our_broker() {
    rmq_spawn "$1" env HOME="$bdir/home" "$RMQ_BUILD/programs/mqbroker" -c "$bdir/broker.conf"
    rmq_wait_port "$broker_port" 30 "$1"
    rmq_log "our broker $1 on $baddr (pid $(rmq_pid "$1")) -> $ns"
}
