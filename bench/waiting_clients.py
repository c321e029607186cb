#!/usr/bin/env python3
"""Holds many connections waiting for a server's workers and measures what that costs it.

Used by scripts/bench.sh for the "500 connected clients waiting for workers" target:

1. reads the server's resident memory (VmRSS in /proc/PID/status) at start;
2. occupies every worker with one connection each (each hears `welcome`);
3. probes: connects a fresh socket, times connect -> its first frame (`queued`), closes it,
   a number of times, with the line empty: the baseline;
4. connects --clients more sockets, which all wait in line (each hears `queued`);
5. samples RSS and the server's CPU time for --settle seconds while they wait;
6. probes again, now behind the whole line;
7. closes everything and reads RSS once more.

Why the probe measures the monitor window's responsiveness: an Orchard server accepts
connections, keeps its waiting line and writes `queued` on the thread that owns the
server object, which is the GUI thread that paints the monitor window when it has one
(headless: the main thread). A connection that must wait is answered from that event loop
and nowhere else, so connect -> `queued` is that event loop's latency, measured from
outside without adding anything to the server.

Prints one JSON object. Standard library only.
"""
import argparse
import json
import os
import socket
import subprocess
import sys
import time

HEADER_LEN = 128


def vm_rss_kib(pid):
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for process {pid}")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    # utime and stime are fields 14 and 15 of stat(5); fields[0] here is field 3.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def read_frame(sock, timeout=None):
    """One whole frame (header JSON, body bytes); None when the server closed first.

    timeout: seconds for this read; None keeps the socket's own."""
    if timeout is not None:
        sock.settimeout(timeout)
    data = b""
    while len(data) < HEADER_LEN:
        chunk = sock.recv(HEADER_LEN - len(data))
        if not chunk:
            return None
        data += chunk
    header = json.loads(data.strip())
    body = b""
    while len(body) < header["msg_len"]:
        chunk = sock.recv(header["msg_len"] - len(body))
        if not chunk:
            return None
        body += chunk
    return header, body


def kind_of(frame):
    if frame is None:
        return "closed"
    header, body = frame
    if header.get("msg_type") == "SERVER_MESSAGE":
        return json.loads(body).get("kind", "?")
    if header.get("msg_type") == "SERVER_ERROR":
        return json.loads(body).get("code", "ERROR")
    return header.get("msg_type", "?")


def connect(port):
    sock = socket.create_connection(("127.0.0.1", port), timeout=10)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return sock


def probe(port, count, pause):
    """connect -> first frame, in milliseconds, `count` times; also what that frame was."""
    times, kinds = [], {}
    for _ in range(count):
        start = time.perf_counter()
        sock = connect(port)
        frame = read_frame(sock, 10)
        times.append((time.perf_counter() - start) * 1e3)
        kinds[kind_of(frame)] = kinds.get(kind_of(frame), 0) + 1
        sock.close()
        time.sleep(pause)
    times.sort()
    return {"count": count, "p50_ms": times[len(times) // 2], "max_ms": times[-1],
            "mean_ms": sum(times) / len(times), "first_frames": kinds}


def main(argv=None):
    parser = argparse.ArgumentParser(description="Hold connections waiting for workers; measure RSS and responsiveness.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True, help="the server's pool size")
    parser.add_argument("--clients", type=int, default=500, help="connections to keep waiting")
    parser.add_argument("--probes", type=int, default=20)
    parser.add_argument("--settle", type=float, default=5.0, help="seconds to sample while they wait")
    parser.add_argument("--mode", default="", help="a label copied into the output (headless, window)")
    parser.add_argument("--during", default="", help="a shell command to run while they wait (a screenshot)")
    args = parser.parse_args(argv)
    pid = args.server_pid

    result = {"mode": args.mode, "workers": args.workers, "clients": args.clients}
    result["rss_start_kib"] = vm_rss_kib(pid)

    holders = [connect(args.port) for _ in range(args.workers)]
    result["holders_first_frames"] = [kind_of(read_frame(sock, 10)) for sock in holders]
    # Let the monitor settle after the sessions started, so the probe sees an idle loop.
    time.sleep(0.5)
    result["probe_empty_line"] = probe(args.port, args.probes, 0.3)
    time.sleep(0.5)  # let the probes' hang-ups leave the line (seen at once) and the loop go quiet

    started = time.perf_counter()
    waiting = []
    for _ in range(args.clients):
        waiting.append(connect(args.port))
    result["connect_seconds"] = time.perf_counter() - started
    kinds = {}
    for sock in waiting:
        kind = kind_of(read_frame(sock, 30))
        kinds[kind] = kinds.get(kind, 0) + 1
    result["waiting_first_frames"] = kinds
    result["all_answered_seconds"] = time.perf_counter() - started

    # While they wait: resident memory and the server's CPU use. Waiting sockets hear
    # nothing more until the line moves, so drain nothing; they are only held open.
    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    rss_samples = []
    end = time.perf_counter() + args.settle
    while time.perf_counter() < end:
        rss_samples.append(vm_rss_kib(pid))
        time.sleep(0.25)
    result["cpu_percent_while_waiting"] = 100.0 * (cpu_seconds(pid) - cpu_before) / (time.perf_counter() - wall_before)
    result["rss_waiting_max_kib"] = max(rss_samples)
    result["rss_growth_mib"] = (max(rss_samples) - result["rss_start_kib"]) / 1024.0

    result["probe_full_line"] = probe(args.port, args.probes, 0.3)
    if args.during:
        time.sleep(0.5)  # the probes' hang-ups leave the line first
        result["during_exit_status"] = subprocess.run(args.during, shell=True, check=False).returncode

    for sock in waiting + holders:
        sock.close()
    time.sleep(1.5)
    result["rss_after_close_kib"] = vm_rss_kib(pid)
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
