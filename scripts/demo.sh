#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job: an Orchard server with the
# default model (monitor window) and the desktop client connected to it with the sample
# images loaded, ready to Predict. Without a display it runs the server headless and
# `orchard-cli predict` on the samples instead, and says so.
#
# Environment: ORCHARD_DEMO_PORT (default 5050).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
"$root/scripts/setup.sh"
"$root/scripts/build.sh" "$root/build"
bin="$root/build/bin"
cd "$root"
samples="resources/samples"
port=${ORCHARD_DEMO_PORT:-5050}

server_pid=""
cleanup() {
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true # graceful: clients are told
        wait "$server_pid" 2>/dev/null || true
    fi
}
trap cleanup EXIT

have_display() {
    [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]
}

server_log="$root/build/demo-server.log"
if have_display; then
    echo "demo: starting orchard-server with its monitor window on port $port (log: ${server_log#$root/})"
    "$bin/orchard-server" --port "$port" > "$server_log" 2>&1 &
else
    echo "demo: no display found; starting orchard-server headless on port $port (log: ${server_log#$root/})"
    "$bin/orchard-server" --headless --host 127.0.0.1 --port "$port" > "$server_log" 2>&1 &
fi
server_pid=$!

# Wait until the server says it listens (or has died: the port may be taken).
for _ in $(seq 1 300); do
    grep -q "listening on" "$server_log" && break
    if ! kill -0 "$server_pid" 2>/dev/null; then
        echo "demo: orchard-server did not start (is port $port in use? set ORCHARD_DEMO_PORT)" >&2
        exit 1
    fi
    sleep 0.1
done

if have_display; then
    echo "demo: opening orchard-client with the $samples images; click Predict All (Ctrl+Shift+P)"
    "$bin/orchard-client" --host 127.0.0.1 --port "$port" "$samples"
else
    echo "demo: running 'orchard-cli predict' on the samples instead of the desktop client:"
    "$bin/orchard-cli" predict --host 127.0.0.1 --port "$port" "$samples"
    echo "demo: done; the server's event log is in ${server_log#$root/}"
fi
