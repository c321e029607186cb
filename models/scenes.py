#!/usr/bin/python3
"""Synthetic detection scenes from Fashion-MNIST items (issue 20's spec).

There is no leaf data on this machine, so the demonstration detector is trained and
measured on scenes made to one spec: training scenes from Fashion-MNIST *training* items,
test scenes from *test* items, each set from a fixed seed, so the same command makes the
same set on any machine:

- 640 x 480 RGB, saved as JPEG of quality 85-95;
- background, one of: a two-colour linear gradient at a random angle; low-frequency colour
  noise (a random grid of 3-8 x 4-11 colours upsampled bicubically); a flat colour (each
  channel 30-220) with 3-11 random lines, filled rectangles and filled ellipses in random
  colours; then Gaussian pixel noise with sigma from 0 to 8;
- 1-6 items; each item's 28 x 28 image resized (bilinear) to S x S, S from 40 to 140 px,
  placed fully inside the scene without overlapping another item's square, tinted with a
  random colour (each channel 140-255) and composited with the item's own intensity as
  alpha (out = bg * (1 - a) + tint * a, a = pixel / 255);
- an item's true box is the tight box of its pixels with a > 0.1; its label the class.

    /usr/bin/python3 models/scenes.py --split test --count 200 --out /tmp/scenes-test

writes scene_0000.jpg ... and boxes.json ({"scenes": [{"file", "boxes": [{"x", "y",
"width", "height", "label", "index"}]}]}). detect_train.py trains the fashion-detect pipeline on
scenes of the train split and measures it on those of the test split.
"""
from __future__ import annotations

import argparse
import gzip
import json
import struct
import sys
from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT = 640, 480
MIN_SIDE, MAX_SIDE = 40, 140
MAX_ITEMS = 6
ALPHA_THRESHOLD = 0.1
# Placing an item retries this often before the scene keeps the items it has: six squares
# of up to 140 px always fit in 640 x 480, but not wherever the first ones landed.
PLACEMENT_TRIES = 200

FASHION_LABELS = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                  "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"]
FASHION_DIR = Path("/usr/share/datasets/fashion-mnist")
# Fixed seeds per split: the test set never shares a random stream with the training set.
DEFAULT_SEEDS = {"train": 20260, "test": 20261}


def read_idx(path: Path) -> np.ndarray:
    """A gzip'd IDX file (the format Fashion-MNIST ships in)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load_items(split: str, data: Path = FASHION_DIR) -> tuple[np.ndarray, np.ndarray]:
    prefix = "train" if split == "train" else "t10k"
    return (read_idx(data / f"{prefix}-images-idx3-ubyte.gz"),
            read_idx(data / f"{prefix}-labels-idx1-ubyte.gz"))


def random_colour(rng: np.random.Generator, low: int, high: int) -> np.ndarray:
    return rng.integers(low, high + 1, size=3).astype(np.float32)


def gradient_background(rng: np.random.Generator) -> np.ndarray:
    first, second = random_colour(rng, 0, 255), random_colour(rng, 0, 255)
    angle = rng.uniform(0, 2 * np.pi)
    ys, xs = np.mgrid[0:HEIGHT, 0:WIDTH].astype(np.float32)
    along = xs * np.cos(angle) + ys * np.sin(angle)
    t = (along - along.min()) / max(float(along.max() - along.min()), 1e-6)
    return first * (1 - t[..., None]) + second * t[..., None]


def noise_background(rng: np.random.Generator) -> np.ndarray:
    rows, columns = int(rng.integers(3, 9)), int(rng.integers(4, 12))
    grid = rng.integers(0, 256, size=(rows, columns, 3)).astype(np.float32)
    return np.clip(cv2.resize(grid, (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC), 0, 255)


def shapes_background(rng: np.random.Generator) -> np.ndarray:
    canvas = np.empty((HEIGHT, WIDTH, 3), np.float32)
    canvas[:] = random_colour(rng, 30, 220)
    for _ in range(int(rng.integers(3, 12))):
        colour = tuple(float(c) for c in random_colour(rng, 0, 255))
        kind = int(rng.integers(0, 3))
        x1, x2 = sorted(int(v) for v in rng.integers(0, WIDTH, size=2))
        y1, y2 = sorted(int(v) for v in rng.integers(0, HEIGHT, size=2))
        if kind == 0:
            cv2.line(canvas, (x1, y1), (x2, y2), colour, int(rng.integers(1, 8)))
        elif kind == 1:
            cv2.rectangle(canvas, (x1, y1), (x2, y2), colour, -1)
        else:
            centre = ((x1 + x2) // 2, (y1 + y2) // 2)
            axes = (max((x2 - x1) // 2, 1), max((y2 - y1) // 2, 1))
            cv2.ellipse(canvas, centre, axes, float(rng.uniform(0, 180)), 0, 360, colour, -1)
    return canvas


def background(rng: np.random.Generator) -> np.ndarray:
    made = (gradient_background, noise_background, shapes_background)[int(rng.integers(0, 3))](rng)
    sigma = rng.uniform(0, 8)
    return made + rng.normal(0, sigma, size=made.shape).astype(np.float32)


def overlaps(square: tuple[int, int, int], placed: list[tuple[int, int, int]]) -> bool:
    x, y, side = square
    return any(x < px + ps and px < x + side and y < py + ps and py < y + side for px, py, ps in placed)


def make_scene(rng: np.random.Generator, images: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, list[dict]]:
    """One scene (uint8 RGB, HEIGHT x WIDTH) and its true boxes, in the scene's pixels."""
    scene = background(rng)
    placed: list[tuple[int, int, int]] = []
    boxes = []
    for _ in range(int(rng.integers(1, MAX_ITEMS + 1))):
        side = int(rng.integers(MIN_SIDE, MAX_SIDE + 1))
        for _ in range(PLACEMENT_TRIES):
            square = (int(rng.integers(0, WIDTH - side + 1)), int(rng.integers(0, HEIGHT - side + 1)), side)
            if not overlaps(square, placed):
                break
        else:
            continue
        placed.append(square)
        item = int(rng.integers(0, len(images)))
        alpha = cv2.resize(images[item].astype(np.float32), (side, side), interpolation=cv2.INTER_LINEAR) / 255.0
        x, y, _ = square
        region = scene[y:y + side, x:x + side]
        tint = random_colour(rng, 140, 255)
        scene[y:y + side, x:x + side] = region * (1 - alpha[..., None]) + tint * alpha[..., None]
        rows = np.flatnonzero((alpha > ALPHA_THRESHOLD).any(axis=1))
        columns = np.flatnonzero((alpha > ALPHA_THRESHOLD).any(axis=0))
        if rows.size == 0:  # an all-but-empty item: nothing a detector could be asked to find
            continue
        label = int(labels[item])
        boxes.append({"x": x + int(columns[0]), "y": y + int(rows[0]),
                      "width": int(columns[-1] - columns[0] + 1), "height": int(rows[-1] - rows[0] + 1),
                      "label": FASHION_LABELS[label], "index": label})
    return np.clip(scene, 0, 255).astype(np.uint8), boxes


def scene_stream(split: str, count: int, seed: int):
    """(file name, JPEG bytes, true boxes) for each scene of a set, in order.

    write_scenes() saves exactly these; detect_train.py evaluates on them in memory, so a
    set measured there is the set this script writes with the same arguments.
    """
    images, labels = load_items(split)
    rng = np.random.default_rng(seed)
    for number in range(count):
        scene, boxes = make_scene(rng, images, labels)
        quality = int(rng.integers(85, 96))
        # OpenCV writes BGR; the scene is RGB.
        ok, encoded = cv2.imencode(".jpg", cv2.cvtColor(scene, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, quality])
        if not ok:
            raise RuntimeError("OpenCV could not encode a scene as JPEG")
        yield f"scene_{number:04d}.jpg", encoded.tobytes(), boxes


def write_scenes(split: str, count: int, seed: int, out: Path) -> dict:
    out.mkdir(parents=True, exist_ok=True)
    scenes = []
    for name, jpeg, boxes in scene_stream(split, count, seed):
        (out / name).write_bytes(jpeg)
        scenes.append({"file": name, "boxes": boxes})
    manifest = {"split": split, "seed": seed, "width": WIDTH, "height": HEIGHT, "labels": FASHION_LABELS,
                "scenes": scenes}
    (out / "boxes.json").write_text(json.dumps(manifest, indent=1) + "\n")
    return manifest


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=("train", "test"), required=True)
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--seed", type=int, help="default: the split's fixed seed")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    seed = DEFAULT_SEEDS[args.split] if args.seed is None else args.seed
    manifest = write_scenes(args.split, args.count, seed, args.out)
    items = sum(len(scene["boxes"]) for scene in manifest["scenes"])
    print(f"scenes: {args.count} {args.split} scenes, {items} items, seed {seed}, in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
