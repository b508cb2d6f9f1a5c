# Shared by the benchmark scripts (sourced from the repository root, before anything is
# started): a work directory WORK, removed at exit after the processes in PIDS are
# killed, and helpers for ports and process memory. A script that needs a gentler stop
# defines its own handler and traps EXIT again after sourcing this.
WORK=$(mktemp -d)
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill -9 "$p" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
# wait_port PORT: until 127.0.0.1:PORT accepts, WAIT_PORT_TRIES (default 600) x 0.1 s.
wait_port() {
    for _ in $(seq "${WAIT_PORT_TRIES:-600}"); do
        (echo >/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0
        sleep 0.1
    done
    return 1
}
mem_kb() { awk -v k="$2" '$1 == k":" {print $2}' /proc/"$1"/status; } # mem_kb PID VmRSS|RssAnon|...
