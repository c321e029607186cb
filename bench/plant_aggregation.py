#!/usr/bin/env python3
"""Several photos of one plant: which rule combines their answers best? Measured on 10,000 images.

`orchard-cli predict --as-plant` and the window's "Diagnose as one plant" combine the
per-photo probabilities into one diagnosis (client/core/plantdiagnosis.cpp). Two rules are
candidates: the mean of the probabilities, and the mean of the log-probabilities
renormalised (a product of experts, the normalised geometric mean). This script measures
both, with the same arithmetic as the C++ code (probabilities floored at 1e-9, ties to the
lower label index), on the Fashion-MNIST test set (Debian's dataset-fashion-mnist) grouped
into "plants" of 3 and 5 (and 6, PlantVillage Nuru's number) images of the same class.

The default model (models/fashion-mnist/1/model.pt, TorchScript) scores every test image
once, preprocessed as its model.json says (scale, mean, std; the images already are 28 x 28).
Its single-image accuracy should come out as the manifest's 0.9202: that checks the
preprocessing. Each class's images are then shuffled (fixed seeds, --shuffles times) and cut
into groups of the given size; every group is one plant. Each rule is measured twice: with
every label's probability (what orchard-cli asks for, top_k 1000, which the server clamps to
the model's labels) and with only each photo's top 3, the rest of its mass spread evenly over
the labels it does not list (what the window has for photos predicted before, at its top-k).

Run with Debian's python3 (it has torch and numpy), from the repository root:

    /usr/bin/python3 bench/plant_aggregation.py

Prints a Markdown table (docs/cli.md, "Several photos of one plant") and, with --json, one
JSON object instead. CPU only, about half a minute.
"""
import argparse
import gzip
import json
import struct
import sys
from pathlib import Path

import numpy as np
import torch

DATASET = Path("/usr/share/datasets/fashion-mnist")
MODEL = Path("models/fashion-mnist/1")
FLOOR = 1e-9  # PlantDiagnosis::kProbabilityFloor


def read_idx(path):
    with gzip.open(path, "rb") as f:
        magic, count = struct.unpack(">II", f.read(8))
        dims = [struct.unpack(">I", f.read(4))[0] for _ in range((magic & 0xFF) - 1)]
        return np.frombuffer(f.read(), dtype=np.uint8).reshape([count] + dims)


def probabilities(model_dir):
    """Softmax probabilities of every test image, [10000, labels], and the true labels."""
    manifest = json.loads((model_dir / "model.json").read_text())
    spec = manifest["input"]
    images = read_idx(DATASET / "t10k-images-idx3-ubyte.gz").astype(np.float32)
    labels = read_idx(DATASET / "t10k-labels-idx1-ubyte.gz").astype(np.int64)
    x = (images * spec["scale"] - spec["mean"][0]) / spec["std"][0]
    model = torch.jit.load(str(model_dir / "model.pt"), map_location="cpu").eval()
    out = []
    with torch.inference_mode():
        for start in range(0, len(x), 1000):
            batch = torch.from_numpy(x[start:start + 1000]).unsqueeze(1)
            out.append(model(batch).float().softmax(1).numpy().astype(np.float64))
    return np.concatenate(out), labels, manifest["metrics"].get("top1")


def top_k_only(p, k):
    """Each row's top k kept; the rest of its mass spread evenly over the labels it leaves out."""
    order = np.argsort(-p, axis=1, kind="stable")
    kept = np.zeros_like(p, dtype=bool)
    np.put_along_axis(kept, order[:, :k], True, axis=1)
    listed = np.where(kept, p, 0.0)
    remaining = np.clip(1.0 - listed.sum(axis=1, keepdims=True), 0.0, None)
    spread = remaining / (p.shape[1] - k)
    return np.where(kept, p, spread)


def combine(group, rule):
    """group: [photos, labels] → the combined label index, as PlantDiagnosis::combine does."""
    g = np.maximum(group, FLOOR)
    if rule == "mean-log-probability":
        scores = np.log(g).mean(axis=0)
    else:
        scores = g.mean(axis=0)
    return int(np.argmax(scores))  # argmax takes the first maximum: ties go to the lower index


def groups_of(labels, size, seed):
    """Index arrays, each `size` test images of one class (a class's leftovers are dropped)."""
    rng = np.random.default_rng(seed)
    groups = []
    for label in np.unique(labels):
        members = rng.permutation(np.flatnonzero(labels == label))
        for start in range(0, len(members) - size + 1, size):
            groups.append(members[start:start + size])
    return groups


def measure(p, labels, sizes, shuffles):
    rules = ["mean-probability", "mean-log-probability"]
    views = {"all labels": p, "top-3 + spread": top_k_only(p, 3)}
    single = float((p.argmax(axis=1) == labels).mean())
    rows = []
    for size in sizes:
        right = {(view, rule): 0 for view in views for rule in rules}
        majority_of_single = 0
        total = 0
        differ = 0
        for seed in range(shuffles):
            for group in groups_of(labels, size, seed):
                truth = labels[group[0]]
                total += 1
                for view, q in views.items():
                    answers = {rule: combine(q[group], rule) for rule in rules}
                    for rule in rules:
                        right[(view, rule)] += answers[rule] == truth
                    if view == "all labels":
                        differ += answers[rules[0]] != answers[rules[1]]
                votes = np.bincount(p[group].argmax(axis=1), minlength=p.shape[1])
                majority_of_single += int(np.argmax(votes)) == truth
        rows.append({
            "photos": size,
            "groups": total,
            "single": single,
            "majority_vote": majority_of_single / total,
            **{f"{rule} ({view})": right[(view, rule)] / total for view in views for rule in rules},
            "rules_differ": differ,
        })
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=MODEL)
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 5, 6])
    parser.add_argument("--shuffles", type=int, default=10, help="how many shuffles of each class to group")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(2)

    p, labels, manifest_top1 = probabilities(args.model)
    rows = measure(p, labels, args.sizes, args.shuffles)
    if args.json:
        print(json.dumps({"manifest_top1": manifest_top1, "rows": rows}))
        return 0
    print(f"single-photo accuracy {rows[0]['single']:.4f} (model.json says {manifest_top1})")
    print()
    print("| photos per plant | plants | one photo | majority vote | mean p (all labels) | mean log p (all labels)"
          " | mean p (top-3 + spread) | mean log p (top-3 + spread) | plants where the rules differ |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for row in rows:
        cells = [row["single"], row["majority_vote"],
                 row["mean-probability (all labels)"], row["mean-log-probability (all labels)"],
                 row["mean-probability (top-3 + spread)"], row["mean-log-probability (top-3 + spread)"]]
        print(f"| {row['photos']} | {row['groups']} | " + " | ".join(f"{100 * c:.2f} %" for c in cells)
              + f" | {row['rules_differ']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
