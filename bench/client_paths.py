#!/usr/bin/env python3
"""The paths real clients take, measured against issue 13's targets (docs/performance.md).

Run by scripts/bench.sh inside its main run (so that every figure is taken minutes apart
on the same machine), with Debian's python3. Four measurements, each in rounds that take
turns so that other load on the machine lands on all sides alike:

  seed-style   clients written to the original protocol (bench/seed_client.py: base64 text,
               one request at a time, each client its own process) against Orchard and
               against the seed design (bench/reference/seed_server.py): images/s.
  body-forms   one client, the same photos pre-encoded, sent as binary, base64 text and
               base64 JSON to Orchard: p50 latency of each.
  first        a fresh server's first request against its steady p50 (warm workers).
  downscale    the Orchard client (`orchard-cli predict`, the client library the GUI uses)
               with and without its downscaled copies: bytes the server read per photo,
               server CPU per photo, photos/s.

Servers listen on 127.0.0.1 with --port 0; every loop is bounded by a request count.
Prints one JSON object.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def log(message):
    print(f"client_paths: {message}", file=sys.stderr, flush=True)


class Server:
    """A server process on 127.0.0.1 with its port read from its "listening on ... port N" line."""

    def __init__(self, command, log_path):
        self.log_path = log_path
        self.log_file = open(log_path, "w")
        self.process = subprocess.Popen(command, stdout=self.log_file, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        self.port = None
        while time.monotonic() < deadline and self.process.poll() is None:
            match = re.search(r"listening on \S+ port (\d+)", Path(log_path).read_text(errors="replace"))
            if match:
                self.port = int(match.group(1))
                break
            time.sleep(0.05)
        if self.port is None:
            self.stop()
            raise RuntimeError(f"the server did not start: {' '.join(map(str, command))}\n"
                               + Path(log_path).read_text(errors="replace"))

    @property
    def pid(self):
        return self.process.pid

    def cpu_seconds(self):
        fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS  # utime + stime

    def bytes_read(self):
        """Bytes the process read through read(2)/recv(2) and the like: what clients sent it."""
        for line in Path(f"/proc/{self.pid}/io").read_text().splitlines():
            if line.startswith("rchar:"):
                return int(line.split()[1])
        return 0

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log_file.close()


def seed_client(port, images, clients, requests, body="text", encode_once=False):
    command = [sys.executable, str(HERE / "seed_client.py"), "--port", str(port), "--images", str(images),
               "--clients", str(clients), "--requests", str(requests), "--body", body]
    if encode_once:
        command.append("--encode-once")
    result = subprocess.run(command, capture_output=True, text=True, timeout=900)
    if not result.stdout.strip():
        raise RuntimeError(f"seed_client.py failed: {result.stderr}")
    return json.loads(result.stdout)


def model_label(folder):
    """"apple-leaf-untrained version 1" for REPO/<name>/<version>, else the folder's name."""
    path = Path(folder)
    return f"{path.parent.name} version {path.name}" if path.name.isdigit() else path.name


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def orchard_command(args, model, workers, *extra):
    return [args.server, "--headless", "--host", "127.0.0.1", "--port", "0", "--threads", str(workers),
            "--intra-op-threads", "1", "--max-queued", "1000", "--model", str(model), *extra]


def seed_style(args, workers):
    """Seed-style clients against Orchard and the seed design, taking turns."""
    orchard = Server(orchard_command(args, args.model, workers), args.work / "orchard-seed-style.log")
    seed = Server([sys.executable, args.seed_server, "--host", "127.0.0.1", "--port", "0", "--workers",
                   str(workers), "--intra-op-threads", "1", "--model", str(args.model)],
                  args.work / "seed-server-seed-style.log")
    rounds = []
    try:
        for i in range(args.rounds):
            order = ("orchard", "seed") if i % 2 == 0 else ("seed", "orchard")
            runs = {}
            for who in order:
                server = orchard if who == "orchard" else seed
                requests = args.seed_style_requests if who == "orchard" else max(2, args.seed_style_requests // 5)
                runs[who] = seed_client(server.port, args.photos, args.seed_style_clients, requests)
            rounds.append(runs)
            log(f"seed-style round {i + 1}: Orchard {runs['orchard']['images_per_second']:.1f}, seed design "
                f"{runs['seed']['images_per_second']:.1f} images/s")
    finally:
        orchard.stop()
        seed.stop()
    ratios = [r["orchard"]["images_per_second"] / r["seed"]["images_per_second"] for r in rounds
              if r["seed"]["images_per_second"]]
    return {
        "clients": args.seed_style_clients, "workers": workers, "rounds": rounds,
        "orchard_images_per_s": median(r["orchard"]["images_per_second"] for r in rounds),
        "seed_images_per_s": median(r["seed"]["images_per_second"] for r in rounds),
        "orchard_p50_ms": median(r["orchard"]["p50_ms"] for r in rounds),
        "seed_p50_ms": median(r["seed"]["p50_ms"] for r in rounds),
        "ratio": median(ratios), "ratio_low": min(ratios, default=None), "ratio_high": max(ratios, default=None),
        "errors": sum(r[w]["errors"] for r in rounds for w in r),
    }


def body_forms(args, workers):
    """p50 of one client per body form, the photos encoded before the clock starts."""
    server = Server(orchard_command(args, args.model, workers), args.work / "orchard-body-forms.log")
    forms = ("binary", "text", "json")
    rounds = []
    try:
        for i in range(args.rounds):
            runs = {}
            for body in (forms if i % 2 == 0 else tuple(reversed(forms))):
                runs[body] = seed_client(server.port, args.photos, 1, args.body_requests, body, encode_once=True)
            rounds.append(runs)
            log(f"body forms round {i + 1}: p50 " + ", ".join(f"{b} {runs[b]['p50_ms']:.2f} ms" for b in forms))
    finally:
        server.stop()
    result = {"requests": args.body_requests, "rounds": rounds, "errors": sum(r[b]["errors"] for r in rounds for b in r)}
    for body in forms:
        result[f"{body}_p50_ms"] = median(r[body]["p50_ms"] for r in rounds)
        result[f"{body}_bytes"] = rounds[0][body]["bytes_per_photo"] if rounds else None
    for body in ("text", "json"):
        ratios = [r[body]["p50_ms"] / r["binary"]["p50_ms"] for r in rounds if r["binary"]["p50_ms"]]
        result[f"{body}_ratio"] = median(ratios)
        result[f"{body}_ratio_low"] = min(ratios, default=None)
        result[f"{body}_ratio_high"] = max(ratios, default=None)
    return result


def first_request(args, workers):
    """A fresh server's first request (one photo, binary) against its steady p50."""
    starts = []
    one = args.work / "first-photo"
    one.mkdir(exist_ok=True)
    photo = sorted(Path(args.photos).glob("*.jpg"))[0]
    shutil.copy(photo, one / photo.name)
    for i in range(args.first_starts):
        server = Server(orchard_command(args, args.field_model, workers), args.work / f"orchard-first-{i}.log")
        try:
            first = seed_client(server.port, one, 1, 1, "binary", encode_once=True)
            steady = seed_client(server.port, one, 1, args.first_steady_requests, "binary", encode_once=True)
        finally:
            server.stop()
        warm = re.search(r"warmed up (\d+) worker threads? in ([\d.]+) ms", Path(server.log_path).read_text())
        starts.append({"first_ms": first["first_ms"], "steady_p50_ms": steady["p50_ms"],
                       "warm_up_ms": float(warm.group(2)) if warm else None})
        log(f"first request, start {i + 1}: {first['first_ms']:.2f} ms; steady p50 {steady['p50_ms']:.2f} ms"
            + (f"; warm-up {warm.group(2)} ms" if warm else ""))
    return {
        "starts": starts, "photo": photo.name, "model": model_label(args.field_model),
        "first_ms": median(s["first_ms"] for s in starts),
        "steady_p50_ms": median(s["steady_p50_ms"] for s in starts),
        "excess_ms": median(s["first_ms"] - s["steady_p50_ms"] for s in starts),
        "excess_max_ms": max(s["first_ms"] - s["steady_p50_ms"] for s in starts),
        "warm_up_ms": median(s["warm_up_ms"] for s in starts),
    }


def downscale(args, workers):
    """orchard-cli predict on the photos, with its downscaled copies and with --send-originals."""
    server = Server(orchard_command(args, args.field_model, workers), args.work / "orchard-downscale.log")
    folder = Path(tempfile.mkdtemp(prefix="downscale-", dir=args.work))
    photos = sorted(Path(args.photos).glob("*.jpg"))
    files = []
    for i in range(args.downscale_photos):
        target = folder / f"photo_{i:03d}.jpg"
        os.link(photos[i % len(photos)], target)
        files.append(str(target))
    rounds = []
    try:
        for i in range(args.rounds):
            runs = {}
            for mode in (("copies", "originals") if i % 2 == 0 else ("originals", "copies")):
                command = [args.cli, "predict", "--host", "127.0.0.1", "--port", str(server.port), "--json",
                           "--no-history"]  # a benchmark is not a diagnosis to keep
                if mode == "originals":
                    command.append("--send-originals")
                cpu, read = server.cpu_seconds(), server.bytes_read()
                began = time.monotonic()
                result = subprocess.run(command + files, capture_output=True, text=True, timeout=900)
                seconds = time.monotonic() - began
                answered = sum(1 for line in result.stdout.splitlines() if '"label"' in line)
                runs[mode] = {
                    "photos": len(files), "answered": answered, "exit": result.returncode,
                    "seconds": seconds, "photos_per_s": len(files) / seconds,
                    "server_cpu_ms_per_photo": (server.cpu_seconds() - cpu) * 1000 / len(files),
                    "bytes_per_photo": (server.bytes_read() - read) / len(files),
                }
            rounds.append(runs)
            log(f"downscale round {i + 1}: " + "; ".join(
                f"{m} {r['bytes_per_photo'] / 1024:.0f} KiB, {r['server_cpu_ms_per_photo']:.2f} ms CPU, "
                f"{r['photos_per_s']:.1f} photos/s" for m, r in runs.items()))
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    result = {"photos": len(files), "model": model_label(args.field_model), "rounds": rounds,
              "failed": sum(r[m]["photos"] - r[m]["answered"] for r in rounds for m in r)}
    for mode in ("copies", "originals"):
        for key in ("bytes_per_photo", "server_cpu_ms_per_photo", "photos_per_s"):
            result[f"{mode}_{key}"] = median(r[mode][key] for r in rounds)
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--server", required=True, help="orchard-server")
    parser.add_argument("--cli", required=True, help="orchard-cli")
    parser.add_argument("--seed-server", required=True, help="bench/reference/seed_server.py")
    parser.add_argument("--model", required=True, help="the default model (seed-style, body forms)")
    parser.add_argument("--field-model", required=True, help="the timing model (first request, downscale)")
    parser.add_argument("--photos", required=True, type=Path, help="folder of ~900 KB 2048x1365 JPEG photos")
    parser.add_argument("--work", required=True, type=Path, help="folder for logs")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seed-style-clients", type=int, default=4)
    parser.add_argument("--seed-style-requests", type=int, default=60, help="per Orchard client (seed: a fifth)")
    parser.add_argument("--body-requests", type=int, default=30)
    parser.add_argument("--first-starts", type=int, default=5)
    parser.add_argument("--first-steady-requests", type=int, default=30)
    parser.add_argument("--downscale-photos", type=int, default=24)
    parser.add_argument("--only", default="seed-style,body-forms,first,downscale")
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)

    sections = {"seed-style": seed_style, "body-forms": body_forms, "first": first_request, "downscale": downscale}
    result = {"workers": args.workers, "photos": {
        "count": len(list(args.photos.glob("*.jpg"))),
        "mean_bytes": statistics.mean(p.stat().st_size for p in args.photos.glob("*.jpg")),
    }}
    for name in args.only.split(","):
        log(f"{name}")
        result[name.replace("-", "_")] = sections[name](args, args.workers)
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
