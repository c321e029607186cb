#!/usr/bin/env python3
"""Orchard servers behind HAProxy on this machine (scripts/cluster.sh): what a second and a
third backend bring, what HAProxy costs, how sessions spread, and how fast clients of a
killed backend are served elsewhere.

Used by `scripts/bench.sh --scale-out`; writes the "Measured" section of docs/scale-out.md
and prints the results as one JSON object.

1. images/s with 1, 2 and 3 backends (--threads 2 each) behind HAProxy, from
   `orchard-cli bench --base64` (the original clients' JSON base64 bodies) with 12 closed-loop
   clients, each a connection of its own as in QA's saturation demo;
2. HAProxy's added latency: one client, one request at a time, straight to a backend and
   through HAProxy, alternated, the p50 of each; the difference is HAProxy's;
3. how the sessions spread: each backend's own count of the sessions it started
   (orchard_queue_wait_seconds_count in its /metrics) during step 1;
4. kill -9 of the backend serving a client that predicts in a loop: the time from the kill
   to the client's next answer, from another backend, reconnecting through HAProxy at once.

Standard library only; run with the build's orchard-cli and orchard-server.
"""
import argparse
import base64
import http.client
import json
import os
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

HEADER_LEN = 128
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def log(message):
    print(f"scale-out: {message}", file=sys.stderr, flush=True)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """scripts/cluster.sh start N PORT DIR ... stop DIR."""

    def __init__(self, count, server):
        self.count = count
        self.port = free_port()
        self.dir = tempfile.mkdtemp(prefix="orchard-cluster-")
        self.env = dict(os.environ, ORCHARD_SERVER=server, ORCHARD_DRAIN_SECONDS="0")

    def __enter__(self):
        subprocess.run([f"{ROOT}/scripts/cluster.sh", "start", str(self.count), str(self.port), self.dir],
                       env=self.env, check=True, stdout=sys.stderr)
        self.backends = []
        with open(f"{self.dir}/backends.txt", encoding="ascii") as lines:
            for line in lines:
                pid, port, http_port, agent_port = map(int, line.split())
                self.backends.append({"pid": pid, "port": port, "http_port": http_port, "agent_port": agent_port})
        return self

    def __exit__(self, *exc):
        subprocess.run([f"{ROOT}/scripts/cluster.sh", "stop", self.dir], env=self.env, stdout=sys.stderr)

    def metric(self, backend, name):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", backend["http_port"], timeout=5)
            connection.request("GET", "/metrics")
            page = connection.getresponse().read().decode()
        except OSError:
            return None
        match = re.search(rf"^{re.escape(name)} (\S+)$", page, re.MULTILINE)
        return float(match.group(1)) if match else None

    def sessions(self):
        """Sessions each backend started (its own count)."""
        return [int(self.metric(b, "orchard_queue_wait_seconds_count") or 0) for b in self.backends]

    def connections(self):
        """Connections HAProxy sent each backend so far (stot of "show stat"), waiting ones included."""
        with socket.socket(socket.AF_UNIX) as s:
            s.connect(f"{self.dir}/haproxy.sock")
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        rows = [line.split(",") for line in data.decode().splitlines()]
        names = rows[0][0][2:].split(",") + rows[0][1:] if rows else []
        column = names.index("stot")
        totals = {row[1]: int(row[column]) for row in rows[1:] if len(row) > column and row[0] == "orchard"}
        return [totals.get(f"orchard{i + 1}", 0) for i in range(self.count)]


def bench(cli, port, images, clients, *limit):
    out = subprocess.run([cli, "bench", "--port", str(port), "--clients", str(clients), "--base64", "--json",
                          "--images", images, *limit], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


# The protocol, for step 4: a 128-byte JSON header padded with spaces, then the body.
def header(fields):
    raw = json.dumps(fields).encode()
    return raw + b" " * (HEADER_LEN - len(raw))


def read_exactly(sock, count):
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise ConnectionError("closed")
        data += chunk
    return data


def read_frame(sock):
    fields = json.loads(read_exactly(sock, HEADER_LEN).decode())
    return fields, read_exactly(sock, int(fields["msg_len"]))


def connect_welcomed(port, deadline):
    """A new connection through HAProxy that has heard welcome, retried until deadline."""
    while True:
        try:
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            while True:
                fields, body = read_frame(sock)
                if fields["msg_type"] == "SERVER_MESSAGE" and json.loads(body).get("kind") == "welcome":
                    return sock
        except (OSError, ConnectionError, ValueError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.01)


def predict(sock, image, msg_id):
    body = json.dumps({"image": base64.b64encode(image).decode()}).encode()
    sock.sendall(header({"msg_type": "CLIENT_IMAGE", "msg_len": len(body), "msg_id": msg_id}) + body)
    while True:
        fields, _ = read_frame(sock)
        if fields["msg_type"] == "SERVER_PREDICTION":
            return


def failover_once(server, image):
    """Seconds from kill -9 of the client's backend to its next answer, from another one."""
    with Cluster(2, server) as cluster:
        sock = connect_welcomed(cluster.port, time.monotonic() + 10)
        for i in range(20):
            predict(sock, image, i)
        serving = [b for b in cluster.backends if (cluster.metric(b, "orchard_sessions_active") or 0) >= 1]
        if len(serving) != 1:
            raise RuntimeError(f"expected one backend with the session, found {len(serving)}")
        killed_at = time.monotonic()
        os.kill(serving[0]["pid"], signal.SIGKILL)
        try:
            predict(sock, image, 100)
            raise RuntimeError("answered by a killed backend")
        except (OSError, ConnectionError):
            pass
        sock.close()
        sock = connect_welcomed(cluster.port, time.monotonic() + 30)
        predict(sock, image, 101)
        seconds = time.monotonic() - killed_at
        sock.close()
        return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--images", default=f"{ROOT}/resources/samples")
    parser.add_argument("--seconds", type=float, default=10.0, help="per throughput level")
    parser.add_argument("--clients", type=int, default=12)
    parser.add_argument("--latency-requests", type=int, default=400)
    parser.add_argument("--rounds", type=int, default=3, help="latency and failover repetitions")
    parser.add_argument("--doc", help="docs/scale-out.md: its Measured section is rewritten")
    parser.add_argument("--commit", default="")
    args = parser.parse_args()

    result = {"cores": os.cpu_count(), "clients": args.clients, "seconds": args.seconds, "levels": []}
    image = open(sorted(os.path.join(args.images, f) for f in os.listdir(args.images))[0], "rb").read()

    for count in (1, 2, 3):
        with Cluster(count, args.server) as cluster:
            sessions, connections = cluster.sessions(), cluster.connections()
            level = bench(args.cli, cluster.port, args.images, args.clients, "--duration", str(args.seconds))
            sessions = [a - b for a, b in zip(cluster.sessions(), sessions)]
            connections = [a - b for a, b in zip(cluster.connections(), connections)]
            entry = {"backends": count, "images_per_s": level["images_per_s"], "p50_ms": level["latency_ms"]["p50"],
                     "p99_ms": level["latency_ms"]["p99"], "failed": level["failed"], "unserved": level["unserved"],
                     "connections": connections, "sessions": sessions}
            if count == 1:
                direct = bench(args.cli, cluster.backends[0]["port"], args.images, args.clients,
                               "--duration", str(args.seconds))
                entry["direct_images_per_s"] = direct["images_per_s"]
                # HAProxy's added latency: alternated so that drift hits both alike.
                direct_p50, proxied_p50 = [], []
                for _ in range(args.rounds):
                    for port, into in ((cluster.backends[0]["port"], direct_p50), (cluster.port, proxied_p50)):
                        one = bench(args.cli, port, args.images, 1, "--requests", str(args.latency_requests))
                        into.append(one["latency_ms"]["p50"])
                result["latency"] = {"direct_p50_ms": direct_p50, "haproxy_p50_ms": proxied_p50,
                                     "added_p50_ms": statistics.median(proxied_p50) - statistics.median(direct_p50)}
            result["levels"].append(entry)
            log(f"{count} backends: {entry}")

    result["failover_s"] = [failover_once(args.server, image) for _ in range(args.rounds)]
    log(f"failover: {result['failover_s']}")
    print(json.dumps(result))
    if args.doc:
        write_section(args.doc, render(result, args.commit))
    return 0


def render(result, commit):
    lines = [f"<!-- scale-out:begin (bench/scale_out.py; scripts/bench.sh --scale-out) -->",
             f"Measured by `scripts/bench.sh --scale-out` on this machine ({result['cores']} cores, every backend and "
             f"HAProxy and the clients on them){', commit ' + commit if commit else ''}: "
             f"{result['clients']} closed-loop clients sending the sample images as base64 JSON bodies, "
             f"{result['seconds']:.0f} s per level, each backend `--threads 2`.",
             "",
             "| backends | images/s | p50 ms | p99 ms | failed | clients never served | connections per backend (HAProxy) | sessions started per backend |",
             "|---:|---:|---:|---:|---:|---:|---|---|"]
    for level in result["levels"]:
        lines.append(f"| {level['backends']} | {level['images_per_s']:.0f} | {level['p50_ms']:.2f} | "
                     f"{level['p99_ms']:.2f} | {level['failed']} | {level['unserved']} | "
                     f"{' / '.join(map(str, level['connections']))} | {' / '.join(map(str, level['sessions']))} |")
    latency = result["latency"]
    one = result["levels"][0]
    lines += ["",
              f"Straight to the one backend, the same load made {one['direct_images_per_s']:.0f} images/s "
              f"(through HAProxy: {one['images_per_s']:.0f}).",
              "",
              f"HAProxy's added latency, one client, one request at a time: p50 "
              f"{statistics.median(latency['haproxy_p50_ms']):.3f} ms through HAProxy against "
              f"{statistics.median(latency['direct_p50_ms']):.3f} ms straight to the backend (medians of "
              f"{len(latency['direct_p50_ms'])} alternated runs; runs through HAProxy "
              f"{span(latency['haproxy_p50_ms'])} ms, straight {span(latency['direct_p50_ms'])} ms): "
              + (f"**{latency['added_p50_ms']:.3f} ms** added" if latency["added_p50_ms"] >= 0 else
                 f"**none measurable** ({latency['added_p50_ms']:.3f} ms: less than the runs differ among "
                 f"themselves)")
              + f", target ≤ 0.2 ms: **{'met' if latency['added_p50_ms'] <= 0.2 else 'missed'}**.",
              "",
              "kill -9 of the backend a client is predicting on, to that client's next answer from another backend "
              "(reconnecting through HAProxy at once): "
              + ", ".join(f"{s * 1000:.0f} ms" for s in result["failover_s"]) + ".",
              "<!-- scale-out:end -->"]
    return "\n".join(lines)


def span(values):
    return f"{min(values):.3f}–{max(values):.3f}"


def write_section(path, section):
    with open(path, encoding="utf-8") as doc:
        text = doc.read()
    begin, end = text.find("<!-- scale-out:begin"), text.find("<!-- scale-out:end -->")
    if begin < 0 or end < 0:
        raise SystemExit(f"{path} has no scale-out markers")
    text = text[:begin] + section + text[end + len("<!-- scale-out:end -->"):]
    with open(path, "w", encoding="utf-8") as doc:
        doc.write(text)


if __name__ == "__main__":
    sys.exit(main())
