#!/usr/bin/python3
"""Check an exported Orchard model folder independently of models/train.py.

Why a separate script: train.py both trains and measures, so a bug in its
preprocessing would be invisible to its own numbers.  This file re-implements
the engine's preprocessing contract from the manifest alone (the way the C++
engine sees it), loads ``model.pt`` in a fresh process, and checks that

* ``model.pt`` is under the size limit and ``model.json`` has the schema keys;
* top-1 on the Fashion-MNIST test set matches ``metrics.top1`` (``--test-set``);
* every sample PNG is 28x28 8-bit grayscale and how many of them the model
  classifies correctly when read from disk with OpenCV (``--samples``).

Usage (Debian's interpreter, which has torch):

    /usr/bin/python3 tests/training/verify_model.py models/fashion-mnist/1 \
        --test-set /usr/share/datasets/fashion-mnist --samples resources/samples

Exit status 0 when every check passes.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import struct
import sys
from pathlib import Path

import cv2
import numpy as np
import torch

REQUIRED_KEYS = ["name", "version", "labels", "input", "metrics"]
INPUT_KEYS = ["channels", "height", "width", "color", "mean", "std", "scale", "resize"]
METRIC_KEYS = ["dataset", "split", "samples", "top1", "trained_epochs", "train_seconds"]


def to_input_tensor(image: np.ndarray, spec: dict) -> torch.Tensor:
    """The engine's contract, written from the manifest only."""
    color = spec["color"]
    if color == "gray" and image.ndim == 3:
        image = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    elif color == "rgb":
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    width, height = spec["width"], spec["height"]
    if spec["resize"] == "area":
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    elif spec["resize"] == "linear":
        image = cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
    else:
        raise SystemExit(f"verify: resize {spec['resize']!r} not covered by this checker")
    if image.ndim == 2:
        image = image[:, :, None]
    x = image.astype(np.float32) * np.float32(spec["scale"])
    x = (x - np.array(spec["mean"], np.float32)) / np.array(spec["std"], np.float32)
    return torch.from_numpy(np.ascontiguousarray(x.transpose(2, 0, 1)))[None]


def read_idx(path: Path) -> np.ndarray:
    with gzip.open(path, "rb") as f:
        data = f.read()
    ndim = data[3]
    shape = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    return np.frombuffer(data, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model_dir")
    parser.add_argument("--test-set", help="Fashion-MNIST folder: re-measure top-1 on t10k")
    parser.add_argument("--samples", help="folder of <label slug>_<n>.png sample images")
    parser.add_argument("--max-bytes", type=int, default=2 * 1024 * 1024)
    args = parser.parse_args()

    folder = Path(args.model_dir)
    failures: list[str] = []
    manifest = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    failures += [f"manifest lacks {k}" for k in REQUIRED_KEYS if k not in manifest]
    failures += [f"input lacks {k}" for k in INPUT_KEYS if k not in manifest["input"]]
    failures += [f"metrics lacks {k}" for k in METRIC_KEYS if k not in manifest["metrics"]]
    spec, labels = manifest["input"], manifest["labels"]
    if not len(spec["mean"]) == len(spec["std"]) == spec["channels"]:
        failures.append("mean/std length differs from channels")

    size = (folder / "model.pt").stat().st_size
    print(f"model.pt: {size} bytes")
    if size >= args.max_bytes:
        failures.append(f"model.pt is {size} bytes, limit {args.max_bytes}")

    torch.set_num_threads(2)
    model = torch.jit.load(str(folder / "model.pt"))
    model.eval()

    if args.test_set:
        data = Path(args.test_set)
        images = read_idx(data / "t10k-images-idx3-ubyte.gz")
        truth = read_idx(data / "t10k-labels-idx1-ubyte.gz").astype(np.int64)
        with torch.no_grad():
            batch = torch.cat([to_input_tensor(img, spec) for img in images])
            logits = torch.cat([model(batch[i:i + 1000]) for i in range(0, len(batch), 1000)])
        if logits.shape != (len(images), len(labels)):
            failures.append(f"output shape {tuple(logits.shape)}, expected {(len(images), len(labels))}")
        top1 = float((logits.argmax(1).numpy() == truth).mean())
        print(f"test top-1 re-measured: {top1:.4f}; manifest says {manifest['metrics']['top1']}")
        if abs(top1 - manifest["metrics"]["top1"]) > 1e-4:
            failures.append("re-measured top-1 differs from manifest")
        if manifest["metrics"]["samples"] != len(images):
            failures.append("metrics.samples differs from the test-set size")

    if args.samples:
        slugs = {re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_"): i for i, label in enumerate(labels)}
        files = sorted(Path(args.samples).glob("*.png"))
        hits = 0
        for path in files:
            raw = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
            if raw is None or raw.shape != (28, 28) or raw.dtype != np.uint8:
                failures.append(f"{path.name}: not 28x28 8-bit gray ({None if raw is None else raw.shape})")
                continue
            slug = path.stem.rsplit("_", 1)[0]
            if slug not in slugs:
                failures.append(f"{path.name}: no label with slug {slug!r}")
                continue
            image = cv2.imdecode(np.fromfile(str(path), np.uint8), cv2.IMREAD_GRAYSCALE)
            with torch.no_grad():
                probs = torch.softmax(model(to_input_tensor(image, spec)), 1)[0]
            guess = int(probs.argmax())
            ok = guess == slugs[slug]
            hits += ok
            print(f"  {path.name:22s} -> {labels[guess]:12s} p={float(probs[guess]):.3f} {'ok' if ok else 'WRONG'}")
        print(f"samples: {hits}/{len(files)} correct")
        if len(files) != 2 * len(labels):
            failures.append(f"{len(files)} sample PNGs, expected {2 * len(labels)}")

    for failure in failures:
        print("FAIL:", failure)
    print("OK" if not failures else f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
