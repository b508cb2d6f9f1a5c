# Shared set-up for the broker benchmarks (sourced by run.sh and official.sh): our
# mqnamesrv, and one broker at a time (Apache's, with the JVM options of its
# distribution's runbroker.sh, or ours) on the same broker.conf. Expects BUILD to be set
# and bench/lib.sh (WORK, PIDS, free_port, wait_port, mem_kb) to be sourced.

CP=$(cat tests/interop/java/target/classpath.txt 2>/dev/null || true) # the Apache broker's
FLUSH=${FLUSH:-ASYNC_FLUSH}

# Starts our NameServer; sets ns_port.
start_namesrv() {
    ns_port=$(free_port)
    printf 'listenPort=%s\nbindAddress=127.0.0.1\nkvConfigPath=%s/kv.json\n' "$ns_port" "$WORK" > "$WORK/ns.conf"
    "$BUILD"/programs/mqnamesrv -c "$WORK/ns.conf" > "$WORK/ns.log" 2>&1 &
    PIDS+=($!)
    wait_port "$ns_port"
}

broker_conf() { # broker_conf NAME PORT
    rm -rf "$WORK/$1"
    mkdir -p "$WORK/$1/store"
    cat > "$WORK/$1/broker.conf" <<CONF
brokerClusterName=BenchCluster
brokerName=bench-$1
brokerId=0
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$2
namesrvAddr=127.0.0.1:$ns_port
storePathRootDir=$WORK/$1/store
storePathCommitLog=$WORK/$1/store/commitlog
flushDiskType=$FLUSH
brokerRole=ASYNC_MASTER
autoCreateTopicEnable=true
CONF
}

# start_broker apache|rocketmq-c: a fresh store; sets broker_pid and broker_port and
# waits until it listens and has registered (its route must be there for Java clients).
start_broker() {
    broker_port=$(free_port)
    if [ "$1" = apache ]; then
        broker_conf apache "$broker_port"
        ROCKETMQ_HOME=$WORK/apache java -server -Xms8g -Xmx8g -XX:+UseG1GC -XX:G1HeapRegionSize=16m \
            -XX:G1ReservePercent=25 -XX:InitiatingHeapOccupancyPercent=30 -XX:SoftRefLRUPolicyMSPerMB=0 \
            -XX:-OmitStackTraceInFastThrow -XX:+AlwaysPreTouch -XX:MaxDirectMemorySize=15g \
            -XX:-UseLargePages -Duser.home="$WORK/apache" \
            -cp "$CP" org.apache.rocketmq.broker.BrokerStartup -c "$WORK/apache/broker.conf" \
            > "$WORK/apache.log" 2>&1 &
    else
        broker_conf ours "$broker_port"
        HOME=$WORK/ours "$BUILD"/programs/mqbroker -c "$WORK/ours/broker.conf" > "$WORK/ours.log" 2>&1 &
    fi
    broker_pid=$!
    PIDS+=($broker_pid)
    wait_port "$broker_port"
}

stop_broker() {
    kill "$broker_pid" 2>/dev/null || true
    wait "$broker_pid" 2>/dev/null || true
}
