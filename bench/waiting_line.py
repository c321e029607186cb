#!/usr/bin/env python3
"""A long waiting line: what 10,000 waiting clients cost a server, and how fast the line drains.

Run by `scripts/bench.sh --waiting-line` against a headless server started with
`--max-queued 10000` (the script never starts one itself):

1. reads the server's resident memory (VmRSS) at start;
2. occupies every worker with one connection each (each hears `welcome`);
3. connects --clients - 1 more sockets, which all wait (each hears `queued`), and samples
   RSS and the server's CPU time while they wait;
4. probes the line as its 10,000th client: connect -> first frame (`queued`), close, again
   and again (each probe's hang-up must be seen before the next arrives, or it hears BUSY);
5. closes everything and reads RSS once more;
6. drains: for each size in --drains, fills the line with that many quick clients (each
   closes as soon as it hears `welcome`), frees the workers, and times the line from the
   first worker freed to the last client welcomed, while a probe joins the line every
   --probe-interval seconds; counts every `queued` the line heard meanwhile.

A client that connects and closes at once leaves TIME_WAIT behind on its port; each phase
connects from its own loopback source address (127.N.0.2, .3, ..., N picked at random per
run) so that 28,000 local ports are enough for every phase, and for the next run. The
script raises its own open-file limit to the hard limit (it holds 10,000 sockets).
WAITING_LINE_TRACE=1 logs every probe of the drains (when, how long, how far the drain).

Prints one JSON object. Standard library only.
"""
import argparse
import errno
import json
import os
import random
import resource
import selectors
import socket
import sys
import time

# The process readings are the 500-waiting-clients probe's own.
from waiting_clients import cpu_seconds, vm_rss_kib  # noqa: E402  (bench/ is the script's folder)

HEADER_LEN = 128
WAVE = 250


def percentile(values, p):
    ordered = sorted(values)
    if not ordered:
        return None
    return ordered[min(len(ordered) - 1, int(round(p / 100.0 * (len(ordered) - 1))))]


def summary(values):
    return {"count": len(values), "p50_ms": percentile(values, 50), "p99_ms": percentile(values, 99),
            "max_ms": max(values) if values else None}


class Connection:
    """A non-blocking client socket and the frames it has heard."""

    def __init__(self, port, source):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind((source, 0))
        self.sock.setblocking(False)
        self.started = time.perf_counter()
        err = self.sock.connect_ex(("127.0.0.1", port))
        if err not in (0, errno.EINPROGRESS):
            raise OSError(err, os.strerror(err))
        self.buffer = b""
        self.kinds = []
        self.first_frame_ms = None
        self.closed = False  # by the server (end of stream), or by us
        self.registered = True

    def read(self):
        """Reads what is there; returns the kinds of the frames completed."""
        completed = []
        while True:
            try:
                chunk = self.sock.recv(65536)
            except BlockingIOError:
                break
            except ConnectionError:
                chunk = b""
            if not chunk:
                self.closed = True
                break
            self.buffer += chunk
        while len(self.buffer) >= HEADER_LEN:
            header = json.loads(self.buffer[:HEADER_LEN].strip())
            end = HEADER_LEN + header["msg_len"]
            if len(self.buffer) < end:
                break
            body, self.buffer = self.buffer[HEADER_LEN:end], self.buffer[end:]
            if header.get("msg_type") == "SERVER_MESSAGE":
                kind = json.loads(body).get("kind", "?")
            elif header.get("msg_type") == "SERVER_ERROR":
                kind = json.loads(body).get("code", "ERROR")
            else:
                kind = header.get("msg_type", "?")
            if self.first_frame_ms is None:
                self.first_frame_ms = (time.perf_counter() - self.started) * 1e3
            self.kinds.append(kind)
            completed.append(kind)
        return completed


class Line:
    """Many connections served by one selector."""

    def __init__(self, port, source):
        self.port = port
        self.source = source
        self.selector = selectors.DefaultSelector()
        self.connections = []

    def connect(self, count):
        made = []
        for _ in range(count):
            connection = Connection(self.port, self.source)
            self.selector.register(connection.sock, selectors.EVENT_READ, connection)
            made.append(connection)
        self.connections += made
        return made

    def connect_in_waves(self, count, seconds):
        """count connections, WAVE at a time, each wave answered before the next: a burst
        past the listen backlog (1024) loses SYNs, and with SYN cookies a client can think
        itself connected to a server that never heard of it."""
        made, kinds = [], {}
        for first in range(0, count, WAVE):
            wave = self.connect(min(WAVE, count - first))
            for kind, n in self.wait_first_frames(wave, seconds).items():
                kinds[kind] = kinds.get(kind, 0) + n
            made += wave
        return made, kinds

    def forget(self, connection):
        if connection.registered:
            self.selector.unregister(connection.sock)
            connection.registered = False
        connection.sock.close()
        connection.closed = True

    def pump(self, timeout, on_frame=None):
        for key, _ in self.selector.select(timeout):
            connection = key.data
            for kind in connection.read():
                if on_frame:
                    on_frame(connection, kind)
            if connection.closed and connection.registered:
                self.selector.unregister(connection.sock)
                connection.registered = False

    def wait_first_frames(self, connections, seconds):
        deadline = time.perf_counter() + seconds
        while any(c.first_frame_ms is None and not c.closed for c in connections) and time.perf_counter() < deadline:
            self.pump(0.1)
        kinds = {}
        for connection in connections:
            kind = connection.kinds[0] if connection.kinds else "closed"
            kinds[kind] = kinds.get(kind, 0) + 1
        return kinds

    def close_all(self):
        for connection in self.connections:
            self.forget(connection)
        self.connections = []
        self.selector.close()


def probe_once(line, seconds=10):
    """One newcomer: connect -> its first frame, in ms, and the frame's kind."""
    probe = line.connect(1)[0]
    deadline = time.perf_counter() + seconds
    while probe.first_frame_ms is None and not probe.closed and time.perf_counter() < deadline:
        line.pump(0.05)
    line.forget(probe)
    line.connections.remove(probe)
    return probe.first_frame_ms, (probe.kinds[0] if probe.kinds else "closed")


def hold_workers(line, workers):
    holders = line.connect(workers)
    kinds = line.wait_first_frames(holders, 10)
    if kinds.get("welcome") != workers:
        raise RuntimeError(f"the workers were not all free: {kinds}")
    return holders


def measure_waiting(args, source):
    pid = args.server_pid
    result = {"clients": args.clients, "workers": args.workers}
    result["rss_start_kib"] = vm_rss_kib(pid)
    line = Line(args.port, source)
    hold_workers(line, args.workers)
    started = time.perf_counter()
    waiting, result["waiting_first_frames"] = line.connect_in_waves(args.clients - 1, 30)
    result["all_answered_seconds"] = time.perf_counter() - started

    cpu_before, wall_before = cpu_seconds(pid), time.perf_counter()
    samples = []
    end = time.perf_counter() + args.settle
    while time.perf_counter() < end:
        samples.append(vm_rss_kib(pid))
        line.pump(0.25)
    result["cpu_percent_while_waiting"] = 100.0 * (cpu_seconds(pid) - cpu_before) / (time.perf_counter() - wall_before)
    result["rss_waiting_max_kib"] = max(samples)
    result["rss_growth_mib"] = (max(samples) - result["rss_start_kib"]) / 1024.0

    times, kinds = [], {}
    for _ in range(args.probes):
        ms, kind = probe_once(line)
        kinds[kind] = kinds.get(kind, 0) + 1
        if ms is not None:
            times.append(ms)
    result["probe_behind_line"] = dict(summary(times), first_frames=kinds)

    line.close_all()
    time.sleep(1.5)
    result["rss_after_close_kib"] = vm_rss_kib(pid)
    return result


def measure_drain(args, size, source):
    """size quick clients in line; the time from freeing the workers to the last welcome."""
    line = Line(args.port, source)
    holders = hold_workers(line, args.workers)
    clients, first = line.connect_in_waves(size, 30)
    if first.get("queued") != size:
        raise RuntimeError(f"drain of {size}: not everyone waits in line: {first}")
    queued_before = sum(c.kinds.count("queued") for c in clients)
    welcomed = [0]
    probes, probe_times, probe_kinds = [], [], {}

    def on_frame(connection, kind):
        if connection in probes:
            return
        if kind == "welcome":
            welcomed[0] += 1
            line.forget(connection)  # a quick client: served, gone

    started = time.perf_counter()
    for holder in holders:
        line.forget(holder)
    next_probe = started
    deadline = started + args.drain_timeout
    while welcomed[0] < size and time.perf_counter() < deadline:
        now = time.perf_counter()
        if now >= next_probe:
            probes.append(line.connect(1)[0])
            next_probe = now + args.probe_interval
        line.pump(0.01, on_frame)
        for probe in [p for p in probes if p.first_frame_ms is not None or p.closed]:
            if probe.first_frame_ms is not None:
                probe_times.append(probe.first_frame_ms)
                if os.environ.get("WAITING_LINE_TRACE"):
                    log(f"probe at {probe.started - started:.3f} s: {probe.first_frame_ms:.1f} ms, {welcomed[0]} welcomed")
            kind = probe.kinds[0] if probe.kinds else "closed"
            probe_kinds[kind] = probe_kinds.get(kind, 0) + 1
            probes.remove(probe)
            line.forget(probe)
    seconds = time.perf_counter() - started
    announcements = sum(c.kinds.count("queued") for c in clients) - queued_before
    line.close_all()
    return {"clients": size, "welcomed": welcomed[0], "seconds": seconds,
            "us_per_client": 1e6 * seconds / size, "announcements_while_draining": announcements,
            "announcements_per_client": announcements / size,
            "probe_while_draining": dict(summary(probe_times), first_frames=probe_kinds)}


def log(message):
    print(f"waiting_line.py: {message}", file=sys.stderr, flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description="10,000 waiting clients: memory, newcomer latency, drain time.")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--server-pid", type=int, required=True)
    parser.add_argument("--workers", type=int, required=True, help="the server's pool size")
    parser.add_argument("--clients", type=int, default=10000, help="the line to hold, probe included")
    parser.add_argument("--probes", type=int, default=200)
    parser.add_argument("--settle", type=float, default=3.0, help="seconds to sample while they wait")
    parser.add_argument("--drains", default="1000,2000,5000,10000", help="line lengths to drain")
    parser.add_argument("--probe-interval", type=float, default=0.02, help="seconds between probes while draining")
    parser.add_argument("--drain-timeout", type=float, default=300.0)
    args = parser.parse_args(argv)

    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    needed = max([args.clients] + [int(n) for n in args.drains.split(",") if n]) + args.workers + 64
    if hard < needed:
        raise SystemExit(f"waiting_line.py: needs {needed} open files, the hard limit is {hard}")

    network = random.randint(1, 254)
    sources = (f"127.{network}.0.{i}" for i in range(2, 250))
    result = {"waiting": measure_waiting(args, next(sources)), "drains": []}
    log(f"{args.clients} waiting: {json.dumps(result['waiting'])}")
    for size in (int(n) for n in args.drains.split(",") if n):
        time.sleep(1.0)
        result["drains"].append(measure_drain(args, size, next(sources)))
        log(f"drain of {size}: {json.dumps(result['drains'][-1])}")
    json.dump(result, sys.stdout)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
