#!/usr/bin/env python3
"""Calibrates photo quality and "not sure": the rates Orchard's own code gives, on real sets.

Everything is measured by Orchard itself, through `orchard-cli classify --json --top-k 10`
on folders (the engine, PhotoQuality and the manifest's thresholds, exactly as a server
runs them); this script only makes the images and counts. The sets, written once into --out:

  fmnist/            the 10,000 Fashion-MNIST test images as 28 x 28 PNGs (the model's own kind)
  fmnist_photo/      the first --photos of them as 1024 x 1024 JPEG "photos" (bench/agreement.py's)
  fmnist_photo_blur/ the same, Gaussian-blurred with sigma = 0.5 % of the long side before saving
  field/             --field synthetic 2048 x 1365 field JPEGs (bench/make_field_images.py)
  field_blur/        the same, blurred with sigma = 0.5 % of the long side (10.2 px)
  field_dark/        the same, scaled to a mean luminance of 10 % (under the 15 % of "dark")
  small/             --small Fashion-MNIST images shrunk to 20 x 20 (under the 28 x 28 input)

Printed: one JSON object with, per set, the share flagged at all and per warning, the
sharpness and brightness percentiles (to choose thresholds from), and for fmnist the
accuracy above and below each confidence threshold, the smallest threshold whose answers
above it are at least --target right, and what the manifest's own min_confidence gives.

Run with Debian's python3 (cv2, numpy), from the repository root:

    /usr/bin/python3 bench/calibrate_quality.py --cli build/bin/orchard-cli \\
        --model models/fashion-mnist/1 --out build/bench/quality
"""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import cv2
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import agreement  # noqa: E402  (the data set reader and the photo maker, shared)

WARNINGS = ("blurry", "dark", "overexposed", "small")
BLUR_SHARE = 0.005  # sigma as a share of the long side
DARK_LUMINANCE = 0.10


def blur(image):
    return cv2.GaussianBlur(image, (0, 0), BLUR_SHARE * max(image.shape[:2]))


def derive(source, out, transform, extension=".jpg", quality=92):
    """out/<name> = transform(source/<name>) for every image, once."""
    out.mkdir(parents=True, exist_ok=True)
    for path in sorted(source.iterdir()):
        target = out / (path.stem + extension)
        if target.exists():
            continue
        image = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
        params = [cv2.IMWRITE_JPEG_QUALITY, quality] if extension == ".jpg" else []
        cv2.imwrite(str(target), transform(image), params)


def darken(image):
    gray = cv2.cvtColor(image, cv2.COLOR_BGR2GRAY) if image.ndim == 3 else image
    factor = DARK_LUMINANCE * 255.0 / max(1.0, float(gray.mean()))
    return cv2.convertScaleAbs(image, alpha=factor)


def make_sets(out, photos, field, small):
    images = agreement.read_idx(agreement.DATASET / "t10k-images-idx3-ubyte.gz")
    labels = agreement.read_idx(agreement.DATASET / "t10k-labels-idx1-ubyte.gz")
    fmnist = out / "fmnist"
    fmnist.mkdir(parents=True, exist_ok=True)
    truth = {}
    for i, (image, label) in enumerate(zip(images, labels)):
        path = fmnist / f"test_{i:05d}.png"
        if not path.exists():
            cv2.imwrite(str(path), image)
        truth[path.name] = int(label)
    agreement.make_photos(out / "fmnist_photo", photos)
    derive(out / "fmnist_photo", out / "fmnist_photo_blur", blur)
    small_dir = out / "small"
    small_dir.mkdir(parents=True, exist_ok=True)
    for i in range(small):
        path = small_dir / f"small_{i:05d}.png"
        if not path.exists():
            cv2.imwrite(str(path), cv2.resize(images[i], (20, 20), interpolation=cv2.INTER_AREA))
    if not (out / "field" / f"field_{field - 1:02d}.jpg").exists():
        subprocess.run([sys.executable, str(Path(__file__).parent / "make_field_images.py"), "--out",
                        str(out / "field"), "--count", str(field)], check=True, stdout=subprocess.DEVNULL)
    derive(out / "field", out / "field_blur", blur, quality=90)
    derive(out / "field", out / "field_dark", darken, quality=90)
    return truth


def classify(cli, model, folder):
    """Every answer orchard-cli classify printed for the folder, by file name."""
    run = subprocess.run([cli, "classify", "--json", "--top-k", "10", "--model", str(model), str(folder)],
                         capture_output=True, text=True, check=False)
    answers = {}
    for line in run.stdout.splitlines():
        answer = json.loads(line)
        if "index" in answer:
            answers[Path(answer["file"]).name] = answer
    if run.returncode != 0:
        print(run.stderr, file=sys.stderr)
    return answers


def percentiles(values):
    if not values:
        return {}
    return {f"p{p}": round(float(np.percentile(values, p)), 4) for p in (1, 5, 50, 95, 99)}


def summary(answers):
    count = len(answers)
    warnings = [answer.get("quality", {}).get("warnings", []) for answer in answers.values()]
    return {
        "images": count,
        "flagged": round(sum(bool(w) for w in warnings) / count, 4) if count else 0.0,
        **{word: round(sum(word in w for w in warnings) / count, 4) if count else 0.0 for word in WARNINGS},
        "sharpness": percentiles([a["quality"]["sharpness"] for a in answers.values() if "quality" in a]),
        "brightness": percentiles([a["quality"]["brightness"] for a in answers.values() if "quality" in a]),
    }


def confidence_table(answers, truth, target):
    """Accuracy above and below each threshold; the smallest threshold meeting target above."""
    rows = [(a["confidence"], a["index"] == truth[name]) for name, a in answers.items() if name in truth]
    table = []
    chosen = None
    for threshold in [round(t, 2) for t in np.arange(0.30, 1.0, 0.05)]:
        above = [right for confidence, right in rows if confidence >= threshold]
        below = [right for confidence, right in rows if confidence < threshold]
        row = {"min_confidence": threshold, "share_below": round(len(below) / len(rows), 4),
               "accuracy_above": round(sum(above) / len(above), 4) if above else None,
               "accuracy_below": round(sum(below) / len(below), 4) if below else None}
        table.append(row)
        if chosen is None and above and sum(above) / len(above) >= target:
            chosen = row
    return {"overall_accuracy": round(sum(r for _, r in rows) / len(rows), 4), "target": target,
            "chosen": chosen, "table": table}


def manifest_split(answers, truth):
    """What the manifest's own min_confidence gives: the reply's "uncertain"."""
    sure = [a["index"] == truth[n] for n, a in answers.items() if n in truth and not a.get("uncertain")]
    unsure = [a["index"] == truth[n] for n, a in answers.items() if n in truth and a.get("uncertain")]
    total = len(sure) + len(unsure)
    return {"share_uncertain": round(len(unsure) / total, 4) if total else 0.0,
            "accuracy_sure": round(sum(sure) / len(sure), 4) if sure else None,
            "accuracy_uncertain": round(sum(unsure) / len(unsure), 4) if unsure else None}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cli", required=True)
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--photos", type=int, default=2000, help="Fashion-MNIST photos (and blurred ones)")
    parser.add_argument("--field", type=int, default=40, help="field photos (and blurred and dark ones)")
    parser.add_argument("--small", type=int, default=200)
    parser.add_argument("--target", type=float, default=0.95, help="accuracy wanted above min_confidence")
    args = parser.parse_args()

    started = time.monotonic()
    truth = make_sets(args.out, args.photos, args.field, args.small)
    sets = ["fmnist", "fmnist_photo", "fmnist_photo_blur", "field", "field_blur", "field_dark", "small"]
    answers = {name: classify(args.cli, args.model, args.out / name) for name in sets}
    result = {name: summary(answers[name]) for name in sets}
    # The same photos under the built-in defaults (a model.json without "quality"): what a
    # farm's own leaf model gets unless it says otherwise.
    defaults = args.out / "defaults-model"
    defaults.mkdir(parents=True, exist_ok=True)
    manifest = json.loads((args.model / "model.json").read_text())
    manifest.pop("quality", None)
    (defaults / "model.json").write_text(json.dumps(manifest, indent=2))
    if not (defaults / "model.pt").exists():
        (defaults / "model.pt").symlink_to((args.model / "model.pt").resolve())
    result["defaults"] = {name: summary(classify(args.cli, defaults, args.out / name))
                          for name in ("fmnist", "field", "field_blur", "field_dark")}
    result["confidence"] = confidence_table(answers["fmnist"], truth, args.target)
    result["manifest_uncertain"] = manifest_split(answers["fmnist"], truth)
    # A 28 x 28 image blurred with sigma 0.5 % of its side (0.14 px): how many pixels change at all.
    images = agreement.read_idx(agreement.DATASET / "t10k-images-idx3-ubyte.gz")[:1000]
    changed = np.mean([np.mean(blur(image) != image) for image in images])
    result["fmnist_28px_blur_changes_pixels"] = round(float(changed), 4)
    result["model"] = str(args.model)
    result["seconds"] = round(time.monotonic() - started, 1)
    result["date"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
