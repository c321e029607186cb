#!/usr/bin/env python3
"""Does sending a smaller copy change the diagnosis? Measured on 10,000 photos.

The 10,000 Fashion-MNIST test images (Debian's dataset-fashion-mnist) become 1024 x 1024
JPEG "photos" (upscaled with cubic interpolation, quality 92), written once into --out.
A fresh headless orchard-server with the default model then diagnoses all of them twice
through the real client library, `orchard-cli predict --json`: once as the client sends
them by default (copies at twice the model's input, made by PhotoDownscaler), once with
--send-originals. The report is the top-1 agreement between the two runs and the accuracy
of each against the data set's labels.

Run with Debian's python3 (it has cv2 and numpy):

    /usr/bin/python3 bench/agreement.py --cli build/bin/orchard-cli --server build/bin/orchard-server \
        --model models/fashion-mnist/1 --out build/bench/agreement

Prints one JSON object. Loopback only.
"""
import argparse
import gzip
import json
import os
import socket
import struct
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np

DATASET = Path("/usr/share/datasets/fashion-mnist")
SIDE = 1024
QUALITY = 92


def read_idx(path):
    with gzip.open(path, "rb") as f:
        magic, count = struct.unpack(">II", f.read(8))
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range((magic & 0xFF) - 1)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape([count] + dims)


def make_photos(out, limit):
    """The photos and their labels; written only if the folder does not have them yet."""
    images = read_idx(DATASET / "t10k-images-idx3-ubyte.gz")[:limit]
    labels = read_idx(DATASET / "t10k-labels-idx1-ubyte.gz")[:limit]
    out.mkdir(parents=True, exist_ok=True)
    names = [f"test_{i:05d}.jpg" for i in range(len(images))]
    for name, image in zip(names, images):
        path = out / name
        if not path.exists():
            photo = cv2.resize(image, (SIDE, SIDE), interpolation=cv2.INTER_CUBIC)
            cv2.imwrite(str(path), photo, [cv2.IMWRITE_JPEG_QUALITY, QUALITY])
    return {str(out / name): int(label) for name, label in zip(names, labels)}


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def predict(cli, port, folder, extra):
    """{file: label index} for every line orchard-cli printed, and the seconds it took."""
    started = time.monotonic()
    run = subprocess.run([cli, "predict", "--json", "--no-history", "--top-k", "1", "--port", str(port), *extra, str(folder)],
                         capture_output=True, text=True, check=False)
    seconds = time.monotonic() - started
    answers = {}
    for line in run.stdout.splitlines():
        answer = json.loads(line)
        if "index" in answer:
            answers[answer["file"]] = answer["index"]
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)
    return answers, seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--server", required=True)
    parser.add_argument("--model", required=True)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--limit", type=int, default=10000)
    args = parser.parse_args()

    labels = make_photos(args.out, args.limit)
    port = free_port()
    server = subprocess.Popen([args.server, "--headless", "--host", "127.0.0.1", "--port", str(port),
                               "--threads", str(os.cpu_count() or 2), "--model", args.model],
                              stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        copies, copies_s = predict(args.cli, port, args.out, [])
        originals, originals_s = predict(args.cli, port, args.out, ["--send-originals"])
    finally:
        server.terminate()
        server.wait(timeout=30)

    both = [f for f in labels if f in copies and f in originals]
    agree = sum(copies[f] == originals[f] for f in both)
    result = {
        "photos": len(labels), "answered_copies": len(copies), "answered_originals": len(originals),
        "agreement": round(agree / len(both), 5) if both else 0.0,
        "disagreements": len(both) - agree,
        "accuracy_copies": round(sum(copies[f] == labels[f] for f in both) / len(both), 4) if both else 0.0,
        "accuracy_originals": round(sum(originals[f] == labels[f] for f in both) / len(both), 4) if both else 0.0,
        "seconds_copies": round(copies_s, 1), "seconds_originals": round(originals_s, 1),
        "photo_side": SIDE, "jpeg_quality": QUALITY, "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    json.dump(result, sys.stdout)
    print()
    return 0 if len(both) == len(labels) else 1


if __name__ == "__main__":
    sys.exit(main())
