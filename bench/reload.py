#!/usr/bin/env python3
"""New model versions taken live: what the farmers predicting meanwhile notice.

A repository with one model (a copy of --model, version 1) is served by orchard-server
with --model-control poll. Clients speak the original protocol (base64 text, no model
key: the default model, as seed 000's clients do), each in its own process, in a closed
loop. First a quiet phase (--seconds, no reload), then a reload phase of the same length
during which a new version is dropped into the repository --reloads times, evenly spaced
(copied under a hidden name, then renamed into place, as docs/models.md advises).

Reports, as one JSON object (and a summary on stderr): requests and failed requests in
each phase, p50/p99 latency of each phase and of the requests that ran within 2 s after a
swap, the versions that answered, how long each version took to be answering, and the
server's resident memory before the reloads, at its peak and after the last one.

Loopback only; bounded by time. Standard library only.
"""
import argparse
import base64
import json
import multiprocessing
import shutil
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from client_paths import Server  # noqa: E402
from seed_client import header, read_exactly  # noqa: E402

HEADER_LEN = 128


def log(message):
    print(f"reload: {message}", file=sys.stderr, flush=True)


def read_answer(sock):
    """The next frame that is not a SERVER_MESSAGE, as (type, body as JSON)."""
    while True:
        head = json.loads(read_exactly(sock, HEADER_LEN).strip())
        body = read_exactly(sock, head["msg_len"])
        if head["msg_type"] != "SERVER_MESSAGE":
            try:
                return head["msg_type"], json.loads(body)
            except ValueError:
                return head["msg_type"], {}


def client(port, photos, until, results):
    """Closed loop until the wall-clock time `until`: (sent, ms, ok, model_version) per request."""
    records = []
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=60) as sock:
            i = 0
            while time.time() < until:
                text = base64.b64encode(photos[i % len(photos)])  # per request, as the original
                sent = time.time()
                sock.sendall(header("CLIENT_IMAGE", len(text)) + text)
                kind, body = read_answer(sock)
                records.append((sent, (time.time() - sent) * 1000, kind == "SERVER_PREDICTION",
                                body.get("model_version")))
                i += 1
    except (OSError, ConnectionError, ValueError) as error:
        records.append((time.time(), 0.0, False, f"connection lost: {error}"))
    results.put(records)


def closed_loop(port, photos, clients, seconds):
    results = multiprocessing.Queue()
    until = time.time() + seconds
    workers = [multiprocessing.Process(target=client, args=(port, photos, until, results)) for _ in range(clients)]
    for worker in workers:
        worker.start()
    return workers, results


def gather(workers, results):
    records = []
    for _ in workers:
        records.extend(results.get(timeout=600))
    for worker in workers:
        worker.join()
    return sorted(records)


def percentile(values, fraction):
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def summary(records):
    latencies = [ms for _, ms, ok, _ in records if ok]
    return {
        "requests": len(records),
        "failed": sum(1 for _, _, ok, _ in records if not ok),
        "p50_ms": percentile(latencies, 0.50),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": statistics.fmean(latencies) if latencies else None,
    }


def resident_bytes(pid):
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


def drop_version(repository, model, version):
    """Copies the model folder in under a hidden name, then renames it into place: a scan
    never sees half a model."""
    staging = repository / "fashion-mnist" / f".incoming-{version}"
    shutil.copytree(model, staging)
    staging.rename(repository / "fashion-mnist" / str(version))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True, help="orchard-server executable")
    parser.add_argument("--model", required=True, help="a model folder (model.pt, model.json, README.md)")
    parser.add_argument("--images", required=True, help="folder of photos the clients send")
    parser.add_argument("--clients", type=int, default=4)
    # A session holds its worker for as long as it is connected: with fewer workers than
    # clients, the others would wait the whole phase in line (that is QA's demo, not this).
    parser.add_argument("--workers", type=int, help="default: as many as --clients")
    parser.add_argument("--seconds", type=float, default=60, help="length of each phase")
    parser.add_argument("--reloads", type=int, default=10)
    parser.add_argument("--poll-secs", type=int, default=1)
    parser.add_argument("--log", default="reload-server.log")
    parser.add_argument("--output", help="write the JSON here too")
    args = parser.parse_args()
    args.workers = args.workers or args.clients

    photos = [p.read_bytes() for p in sorted(Path(args.images).iterdir())
              if p.suffix.lower() in (".jpg", ".jpeg", ".png")][:8]
    if not photos:
        sys.exit(f"reload: no photos in {args.images}")
    with tempfile.TemporaryDirectory(prefix="orchard-reload-") as folder:
        repository = Path(folder)
        (repository / "fashion-mnist").mkdir()
        shutil.copytree(args.model, repository / "fashion-mnist" / "1")
        server = Server([args.server, "--headless", "--host", "127.0.0.1", "--port", "0",
                         "--threads", str(args.workers), "--intra-op-threads", "1",
                         "--model-repository", str(repository), "--model-control", "poll",
                         "--repository-poll-secs", str(args.poll_secs)], args.log)
        try:
            log(f"quiet phase: {args.clients} clients for {args.seconds:.0f} s")
            quiet = gather(*closed_loop(server.port, photos, args.clients, args.seconds))
            memory_before = resident_bytes(server.pid)
            memory_peak = memory_before

            log(f"reload phase: {args.clients} clients for {args.seconds:.0f} s, {args.reloads} new versions")
            workers, results = closed_loop(server.port, photos, args.clients, args.seconds)
            began = time.time()
            drops = []
            for k in range(args.reloads):
                at = began + (k + 0.5) * args.seconds / args.reloads
                while time.time() < at:
                    memory_peak = max(memory_peak, resident_bytes(server.pid))
                    time.sleep(0.05)
                drop_version(repository, args.model, k + 2)
                drops.append((k + 2, time.time()))
            reloading = gather(workers, results)
            time.sleep(2 * args.poll_secs)  # the last old version's requests are over: freed
            memory_after = resident_bytes(server.pid)
            server_log = Path(args.log).read_text(errors="replace")
        finally:
            server.stop()

    # When each version first answered, and the requests within 2 s after a swap.
    first_answer = {}
    for sent, _, ok, version in reloading:
        if ok and version not in first_answer:
            first_answer[version] = sent
    taken_after = [round(first_answer[v] - dropped, 2) for v, dropped in drops if v in first_answer]
    swaps = [first_answer[v] for v, _ in drops if v in first_answer]
    near_swaps = [r for r in reloading if any(0 <= r[0] - s < 2.0 for s in swaps)]
    result = {
        "clients": args.clients, "workers": args.workers, "seconds": args.seconds, "reloads": args.reloads,
        "photos": len(photos), "photo_bytes": statistics.fmean(len(p) for p in photos),
        "quiet": summary(quiet),
        "reloading": summary(reloading),
        "near_swaps": summary(near_swaps),
        "versions_answered": sorted({v for _, _, ok, v in reloading if ok and isinstance(v, int)}),
        "seconds_until_answering": taken_after,
        "loads_logged": server_log.count("loaded and warmed up in"),
        "load_failures_logged": server_log.count("failed to load"),
        "rss_before_mb": memory_before / 2**20, "rss_peak_mb": memory_peak / 2**20,
        "rss_after_mb": memory_after / 2**20,
    }
    text = json.dumps(result, indent=2)
    print(text)
    if args.output:
        Path(args.output).write_text(text + "\n")
    q, r = result["quiet"], result["reloading"]
    log(f"quiet: {q['requests']} requests, {q['failed']} failed, p50 {q['p50_ms']:.1f} ms, p99 {q['p99_ms']:.1f} ms")
    log(f"reloading: {r['requests']} requests, {r['failed']} failed, p50 {r['p50_ms']:.1f} ms, "
        f"p99 {r['p99_ms']:.1f} ms; versions {result['versions_answered']}")
    log(f"memory: {result['rss_before_mb']:.0f} MB before, {result['rss_peak_mb']:.0f} MB peak, "
        f"{result['rss_after_mb']:.0f} MB after")
    return 0 if r["failed"] == 0 and q["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
