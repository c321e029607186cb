#!/usr/bin/env bash
# A cluster on this machine for QA and demos: N orchard-server backends behind HAProxy,
# all on loopback (docs/scale-out.md).
#
#   scripts/cluster.sh start N PORT DIR [-- SERVER-OPTION...]
#       Starts N backends (free ports, --threads 2 unless an option says otherwise) and
#       HAProxy on 127.0.0.1:PORT from resources/haproxy/orchard.cfg.in; writes
#       DIR/backends.txt (one line per backend: "pid port http_port agent_port"),
#       DIR/haproxy.cfg, DIR/haproxy.pid and the logs (DIR/backend-I.log, DIR/haproxy.log);
#       returns once every backend is ready and HAProxy sees all of them up.
#   scripts/cluster.sh stop DIR
#       Stops the backends gracefully (SIGTERM: each drains, then shuts down) and HAProxy.
#
# HAProxy connects to the backends from 127.0.0.2 with a PROXY v2 header, and the backends
# trust that address only (--proxy-protocol --trusted-proxies 127.0.0.2): a client on
# 127.0.0.1 may still connect to a backend directly, as a benchmark does.
#
# Environment: ORCHARD_SERVER (default build/bin/orchard-server), ORCHARD_DRAIN_SECONDS
# (each backend's --drain-seconds, default 2), ORCHARD_CLUSTER_START_SECS (default 300).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
server=${ORCHARD_SERVER:-$root/build/bin/orchard-server}
drain_seconds=${ORCHARD_DRAIN_SECONDS:-2}
start_secs=${ORCHARD_CLUSTER_START_SECS:-300}
proxy_source=127.0.0.2

usage() {
    sed -n '4,12p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}

say() { echo "cluster: $*"; }
fail() { echo "cluster: $*" >&2; exit 1; }

# n free TCP ports on 127.0.0.1, all bound at once so that none repeats.
free_ports() {
    python3 - "$1" <<'PY'
import socket, sys
sockets = []
for _ in range(int(sys.argv[1])):
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    sockets.append(s)
print(" ".join(str(s.getsockname()[1]) for s in sockets))
PY
}

# The HTTP status of GET http://127.0.0.1:port/path, or 000 when nothing answers.
http_status() {
    python3 - "$1" "$2" <<'PY'
import http.client, sys
try:
    c = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=2)
    c.request("GET", sys.argv[2])
    print(c.getresponse().status)
except OSError:
    print("000")
PY
}

# "name status" for every server of backend "orchard", from HAProxy's admin socket.
haproxy_servers() {
    python3 - "$1" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.settimeout(2)
try:
    s.connect(sys.argv[1])
    s.sendall(b"show stat\n")
    data = b""
    while chunk := s.recv(65536):
        data += chunk
except OSError:
    sys.exit(0)
for line in data.decode().splitlines():
    fields = line.split(",")
    if len(fields) > 17 and fields[0] == "orchard" and fields[1] not in ("FRONTEND", "BACKEND"):
        print(fields[1], fields[17])
PY
}

start() {
    [ $# -ge 3 ] || usage
    local count=$1 port=$2 dir=$3
    shift 3
    [ "${1:-}" = "--" ] && shift
    [[ "$count" =~ ^[1-9][0-9]*$ ]] || fail "N must be a whole number of backends, 1 or more, not \"$count\""
    [[ "$port" =~ ^[1-9][0-9]*$ ]] && [ "$port" -le 65535 ] || fail "PORT must be a TCP port, not \"$port\""
    [ -x "$server" ] || fail "no orchard-server at $server (build first: scripts/build.sh, or set ORCHARD_SERVER)"
    command -v haproxy > /dev/null || fail "haproxy is not installed (scripts/setup.sh installs it)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    [ -e "$dir/backends.txt" ] && fail "$dir already holds a cluster: scripts/cluster.sh stop $dir"

    local threads=(--threads 2)
    for option in "$@"; do
        [[ "$option" == --threads* ]] && threads=()
    done
    local ports
    read -r -a ports <<< "$(free_ports $((3 * count)))"
    : > "$dir/backends.txt.new"
    local servers=""
    for ((i = 1; i <= count; i++)); do
        local p=${ports[$((3 * i - 3))]} h=${ports[$((3 * i - 2))]} a=${ports[$((3 * i - 1))]}
        "$server" --headless --host 127.0.0.1 --port "$p" --http-port "$h" --agent-port "$a" \
            --proxy-protocol --trusted-proxies "$proxy_source" --drain-seconds "$drain_seconds" \
            "${threads[@]}" "$@" > "$dir/backend-$i.log" 2>&1 &
        echo "$! $p $h $a" >> "$dir/backends.txt.new"
        servers+="    server orchard$i 127.0.0.1:$p check port $h agent-port $a"$'\n'
    done
    mv "$dir/backends.txt.new" "$dir/backends.txt"

    sed -e "s|@LISTEN@|127.0.0.1:$port|" -e "s|@STATE_DIR@|$dir|" -e "s|@SOURCE@|$proxy_source|" \
        "$root/resources/haproxy/orchard.cfg.in" | awk -v servers="$servers" '
            $0 == "@SERVERS@" { printf "%s", servers; next } { print }' > "$dir/haproxy.cfg"
    haproxy -c -q -f "$dir/haproxy.cfg" || fail "HAProxy refuses $dir/haproxy.cfg (above)"

    # Every backend ready: model loaded, workers warm, listening.
    local deadline=$((SECONDS + start_secs))
    local i=0
    while read -r pid p h a; do
        i=$((i + 1))
        until [ "$(http_status "$h" /health/ready)" = 200 ]; do
            kill -0 "$pid" 2> /dev/null || { cat "$dir/backend-$i.log" >&2; stop "$dir"; fail "backend $i (port $p) exited"; }
            [ $SECONDS -lt $deadline ] || { stop "$dir"; fail "backend $i (port $p) not ready after $start_secs s"; }
            sleep 0.2 # polling a process we cannot get a signal from, with a deadline
        done
    done < "$dir/backends.txt"

    haproxy -f "$dir/haproxy.cfg" -db > "$dir/haproxy.log" 2>&1 &
    echo $! > "$dir/haproxy.pid"
    # HAProxy up, and its health checks found every backend up.
    until [ "$(haproxy_servers "$dir/haproxy.sock" | grep -c ' UP$')" = "$count" ]; do
        kill -0 "$(cat "$dir/haproxy.pid")" 2> /dev/null || { cat "$dir/haproxy.log" >&2; stop "$dir"; fail "HAProxy exited"; }
        [ $SECONDS -lt $deadline ] || { stop "$dir"; fail "HAProxy does not see every backend up after $start_secs s"; }
        sleep 0.2
    done
    say "$count backends behind HAProxy on 127.0.0.1:$port (state in $dir)"
}

# Waits (bounded) for a process to end; true if it did.
wait_gone() {
    local pid=$1 deadline=$((SECONDS + $2))
    while kill -0 "$pid" 2> /dev/null; do
        [ $SECONDS -lt $deadline ] || return 1
        sleep 0.1
    done
}

stop() {
    [ $# -eq 1 ] || usage
    local dir=$1 pids=()
    [ -e "$dir/backends.txt" ] || fail "no cluster in $dir (no backends.txt)"
    while read -r pid _; do
        kill -TERM "$pid" 2> /dev/null && pids+=("$pid")
    done < "$dir/backends.txt"
    # Each drains for --drain-seconds, then shuts down gracefully (about 6 s at most).
    for pid in "${pids[@]}"; do
        wait_gone "$pid" $((drain_seconds + 30)) || { echo "cluster: backend $pid did not stop; killing it" >&2; kill -KILL "$pid" 2> /dev/null || true; }
    done
    if [ -e "$dir/haproxy.pid" ]; then
        local haproxy_pid
        haproxy_pid=$(cat "$dir/haproxy.pid")
        kill -USR1 "$haproxy_pid" 2> /dev/null || true # soft stop: ends when its sessions have
        wait_gone "$haproxy_pid" 10 || kill -TERM "$haproxy_pid" 2> /dev/null || true
        rm -f "$dir/haproxy.pid"
    fi
    rm -f "$dir/backends.txt"
    say "stopped"
}

case "${1:-}" in
start) shift; start "$@" ;;
stop) shift; stop "$@" ;;
*) usage ;;
esac
