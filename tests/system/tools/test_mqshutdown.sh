#!/bin/bash
# mqshutdown against a real mqnamesrv + mqbroker on free loopback ports: the broker stops
# cleanly (abort file removed, consumer offsets persisted, NameServer no longer lists it),
# then the NameServer; a second call finds nothing and exits 1. Processes are picked by
# their -c file, so servers of concurrent tests are never touched.
#
# usage: test_mqshutdown.sh PROGRAMS_DIR MQSHUTDOWN
set -u
bin=$1 shutdown=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/rmq-mqshutdown.XXXXXX")
pids=()
cleanup() {
    for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null; done
    rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; tail -20 "$work"/*.log >&2; exit 1; }

free_port() { # a port with nothing listening, and port-2 free too (the broker's fast port)
    local p
    for _ in $(seq 200); do
        p=$((20000 + RANDOM % 30000))
        (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null && continue
        (echo >/dev/tcp/127.0.0.1/$((p - 2))) 2>/dev/null && continue
        echo "$p"; return 0
    done
    return 1
}
wait_log() { # wait_log FILE TEXT
    for _ in $(seq 300); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    return 1
}

ns_port=$(free_port) && br_port=$(free_port) || fail "no free port"
printf 'listenPort=%s\nbindAddress=127.0.0.1\nkvConfigPath=%s/kv.json\n' "$ns_port" "$work" >"$work/ns.conf"
cat >"$work/broker.conf" <<CONF
brokerName=shutdown-test
listenPort=$br_port
bindAddress=127.0.0.1
brokerIP1=127.0.0.1
namesrvAddr=127.0.0.1:$ns_port
storePathRootDir=$work/store
CONF
"$bin/mqnamesrv" -c "$work/ns.conf" >"$work/ns.log" 2>&1 &
pids+=($!)
wait_log "$work/ns.log" "boot success" || fail "mqnamesrv did not start"
"$bin/mqbroker" -c "$work/broker.conf" >"$work/broker.log" 2>&1 &
broker_pid=$!
pids+=($broker_pid)
wait_log "$work/broker.log" "boot success" || fail "mqbroker did not start"
[ -e "$work/store/abort" ] || fail "no abort file while the broker runs"

out=$("$shutdown" broker -c "$work/broker.conf" -w 30) || fail "mqshutdown broker: $out"
echo "$out"
grep -qx "The mqbroker($broker_pid) is running..." <<<"$out" || fail "unexpected output: $out"
kill -0 "$broker_pid" 2>/dev/null && fail "broker still running"
[ -e "$work/store/abort" ] && fail "abort file left: not a clean stop"
[ -e "$work/store/config/consumerOffset.json" ] || fail "consumer offsets not persisted"
grep -q "unregister broker from name server 127.0.0.1:$ns_port OK" "$work/broker.log" || fail "broker did not unregister (log)"

out=$("$shutdown" namesrv -c "$work/ns.conf" -w 30) || fail "mqshutdown namesrv: $out"
echo "$out"
out=$("$shutdown" broker -c "$work/broker.conf")
[ $? = 1 ] && [ "$out" = "No mqbroker running." ] || fail "second call: '$out'"
"$shutdown" bogus >/dev/null 2>&1
[ $? = 2 ] || fail "usage error must exit 2"
echo PASS
