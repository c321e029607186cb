#!/usr/bin/env python3
"""Writes deterministic 2048 x 1365 "field photo" JPEGs for benchmarking Orchard.

They are synthetic: a textured green leaf with veins and brown lesions on a blurred
soil-and-grass background, with camera-like sensor noise, saved as JPEG quality 90.
What matters for timing is what matters for a real photo of that size: the pixel
count, the JPEG's entropy (about half a megabyte, like a real 2048 x 1365 photo at
quality 90) and the decode path. They are not leaves and carry no diagnosis.

Same seed, same files (NumPy's PCG64 and OpenCV's encoder are deterministic):

    /usr/bin/python3 bench/make_field_images.py --out build/bench/field --count 8
"""
import argparse
import sys
from pathlib import Path

import cv2
import numpy as np

WIDTH, HEIGHT = 2048, 1365


def make_photo(rng: np.random.Generator) -> np.ndarray:
    # Background: soil and grass, low-frequency colour blobs (blurred noise).
    small = rng.integers(40, 140, size=(HEIGHT // 32 + 1, WIDTH // 32 + 1, 3), dtype=np.uint8)
    small[..., 1] = np.clip(small[..., 1].astype(int) + 30, 0, 255)  # greener
    image = cv2.resize(small, (WIDTH, HEIGHT), interpolation=cv2.INTER_CUBIC)
    image = cv2.GaussianBlur(image, (0, 0), 6)

    # The leaf: an ellipse at a random angle, mid green with a lighter midrib and veins.
    centre = (int(WIDTH * rng.uniform(0.4, 0.6)), int(HEIGHT * rng.uniform(0.4, 0.6)))
    axes = (int(WIDTH * rng.uniform(0.28, 0.36)), int(HEIGHT * rng.uniform(0.22, 0.3)))
    angle = float(rng.uniform(-35, 35))
    mask = np.zeros((HEIGHT, WIDTH), np.uint8)
    cv2.ellipse(mask, centre, axes, angle, 0, 360, 255, -1)
    leaf = np.empty_like(image)
    leaf[:] = (int(rng.integers(30, 60)), int(rng.integers(120, 170)), int(rng.integers(40, 80)))  # BGR
    texture = rng.normal(0, 14, size=(HEIGHT // 4, WIDTH // 4, 1)).astype(np.float32)
    texture = cv2.resize(texture, (WIDTH, HEIGHT), interpolation=cv2.INTER_LINEAR)[..., None]
    leaf = np.clip(leaf.astype(np.float32) + texture, 0, 255).astype(np.uint8)
    rad = np.deg2rad(angle)
    direction = np.array([np.cos(rad), np.sin(rad)])
    start = (np.array(centre) - direction * axes[0]).astype(int)
    end = (np.array(centre) + direction * axes[0]).astype(int)
    cv2.line(leaf, tuple(int(v) for v in start), tuple(int(v) for v in end), (90, 200, 120), 9)
    for t in np.linspace(-0.8, 0.8, 12):
        base = np.array(centre) + direction * axes[0] * t
        for side in (-1, 1):
            vein_angle = rad + side * np.deg2rad(50)
            tip = base + np.array([np.cos(vein_angle), np.sin(vein_angle)]) * axes[1] * 0.9
            cv2.line(leaf, tuple(int(v) for v in base), tuple(int(v) for v in tip), (70, 185, 100), 4)
    # Lesions: brown rust-like spots with darker rims.
    for _ in range(int(rng.integers(15, 40))):
        angle_p = rng.uniform(0, 2 * np.pi)
        radius_p = rng.uniform(0, 0.85)
        point = (int(centre[0] + np.cos(angle_p) * axes[0] * radius_p),
                 int(centre[1] + np.sin(angle_p) * axes[1] * radius_p))
        size = int(rng.integers(6, 28))
        cv2.circle(leaf, point, size + 4, (20, 60, 90), -1)
        cv2.circle(leaf, point, size, (30, 100, 170), -1)
    image = np.where(mask[..., None] > 0, leaf, image)

    # Sensor noise, so the JPEG has a real photo's entropy.
    noise = rng.normal(0, 4, size=image.shape).astype(np.float32)
    return np.clip(image.astype(np.float32) + noise, 0, 255).astype(np.uint8)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", required=True, help="folder to write field_NN.jpg into")
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--quality", type=int, default=90)
    args = parser.parse_args(argv)

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    sizes = []
    for index in range(args.count):
        photo = make_photo(rng)
        ok, encoded = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, args.quality])
        if not ok:
            print("make_field_images: OpenCV could not encode a JPEG", file=sys.stderr)
            return 1
        path = out / f"field_{index:02d}.jpg"
        path.write_bytes(encoded.tobytes())
        sizes.append(len(encoded))
    print(f"make_field_images: wrote {args.count} {WIDTH}x{HEIGHT} JPEGs to {out} "
          f"({min(sizes) // 1024}-{max(sizes) // 1024} KiB, quality {args.quality}, seed {args.seed})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
