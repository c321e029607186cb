#!/usr/bin/python3
"""Train and export Orchard's TorchScript models.

Orchard's server runs a TorchScript file with LibTorch and reads a small JSON
manifest (``model.json``) next to it that says how to turn a photo into the
model's input tensor.  This script is the only place those two files are made,
so it is the place that must keep training and inference in step.

Modes (run with Debian's interpreter, ``/usr/bin/python3``, which has torch):

``fashion-mnist``
    The default model shipped with Orchard.  Our package sources carry no plant
    data set, so the demo model is trained on Debian's ``dataset-fashion-mnist``
    (clothing photos).  It proves the whole pipeline end to end.
``fgvc7``
    Plant Pathology 2020 (FGVC7) apple-leaf layout: ``DIR/images/*.jpg`` and
    ``DIR/train.csv`` with one-hot columns healthy, multiple_diseases, rust, scab.
``folders``
    Any folder-per-class data set: ``DIR/<class>/*.jpg``; labels are the sorted
    folder names.
``export-untrained``
    A torchvision architecture with seeded random weights, for timing the
    server only, or (``--arch fashionnet``) the default model's small network,
    a second model for tests.  No data is read; its predictions are
    meaningless and its manifest says so.

Where models go: a model repository (``REPO/<name>/<version>/``, docs/models.md).
``--out`` names the model's folder in it, ``REPO/<name>``; every mode writes the
next version, ``REPO/<name>/<highest version + 1>/`` (``--version N``: exactly N),
never overwrites a version that exists and prints the folder it wrote:

    /usr/bin/python3 models/train.py fgvc7 --data /data/plant-pathology-2020 --out models/apple-leaf
    /usr/bin/python3 models/train.py export-untrained --out /tmp/repo/second --arch fashionnet --labels a,b

Preprocessing contract (the C++ engine reproduces it exactly, so every image
this script trains on goes through :func:`preprocess`, which mirrors it):
decode with OpenCV -> convert to the manifest ``color`` -> resize to
(width, height) per ``resize`` -> float32 * ``scale`` -> per channel
``(x - mean[c]) / std[c]`` -> NCHW.  The model returns raw logits
``[N, num_labels]``; the engine applies softmax itself.
"""

from __future__ import annotations

import argparse
import csv
import errno
import gzip
import json
import os
import random
import re
import shutil
import struct
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import cv2
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

DEFAULT_SEED = 42
MANIFEST_VERSION = "1.0.0"

FASHION_LABELS = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]
FASHION_DESCRIPTION = (
    "Demonstration class from Fashion-MNIST (clothing images); "
    "no agronomic advice. Deploy a leaf model for real diagnoses."
)

APPLE_LABELS = ["healthy", "multiple_diseases", "rust", "scab"]
APPLE_DESCRIPTIONS = {
    "healthy": (
        "No disease detected. Keep scouting weekly through the growing season, "
        "prune for good airflow and rake up fallen leaves in autumn to keep "
        "scab and rust spores from overwintering."
    ),
    "multiple_diseases": (
        "More than one disease appears to be present. Send a sample or photos "
        "to your local extension service or a plant clinic for a confirmed "
        "diagnosis before choosing a spray programme, and remove badly "
        "affected leaves and fallen debris meanwhile."
    ),
    "rust": (
        "Looks like cedar apple rust. The fungus alternates with junipers "
        "(eastern red cedar): remove nearby junipers or their orange galls "
        "where practical, and apply a protectant fungicide (e.g. myclobutanil "
        "or mancozeb, as labelled) from pink bud until about a month after "
        "petal fall; consider rust-resistant varieties for new plantings."
    ),
    "scab": (
        "Looks like apple scab. Rake up and destroy or shred fallen leaves to "
        "cut next spring's spores, prune to open the canopy, and begin "
        "protectant fungicide sprays at green tip, repeating through wet "
        "spring weather as the label directs; scab-resistant varieties help."
    ),
}
UNTRAINED_WARNING = "FOR TIMING ONLY — untrained weights, predictions are meaningless"

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
SCALE_8BIT = 1.0 / 255.0
IMAGE_EXTENSIONS = {".jpg", ".jpeg", ".png", ".bmp", ".tif", ".tiff", ".webp"}


# --------------------------------------------------------------------------
# Reproducibility and threads
# --------------------------------------------------------------------------

def seed_everything(seed: int) -> None:
    """Seed every RNG we touch so a rerun gives the same weights.

    Deterministic algorithms cost nothing measurable on CPU, so they are on;
    ``warn_only`` keeps an exotic op from aborting a long training run.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    torch.use_deterministic_algorithms(True, warn_only=True)


def configure_threads(requested: int | None) -> int:
    """Use all cores by default.

    Debian's torch starts with one intra-op thread here even on a 2-core box;
    two threads measurably shorten an epoch, so default to ``os.cpu_count()``.
    """
    threads = requested or os.cpu_count() or 1
    torch.set_num_threads(threads)
    return torch.get_num_threads()


def log(message: str) -> None:
    """Print progress immediately, so a background run's log can be polled."""
    print(message, flush=True)


# --------------------------------------------------------------------------
# Preprocessing (mirror of the C++ engine)
# --------------------------------------------------------------------------

@dataclass
class InputSpec:
    """The ``input`` block of the manifest; one source of truth for both sides."""

    channels: int
    height: int
    width: int
    color: str            # "gray" | "rgb" | "bgr"
    mean: list[float]
    std: list[float]
    scale: float = SCALE_8BIT
    resize: str = "area"  # "area" | "linear" | "letterbox"

    def to_json(self) -> dict:
        return {
            "channels": self.channels,
            "height": self.height,
            "width": self.width,
            "color": self.color,
            "mean": [float(m) for m in self.mean],
            "std": [float(s) for s in self.std],
            "scale": self.scale,
            "resize": self.resize,
        }


def decode_image(path: Path, channels: int) -> np.ndarray:
    """Decode like ``cv::imdecode``: IMREAD_GRAYSCALE for 1 channel, else IMREAD_COLOR (BGR).

    ``np.fromfile`` + ``imdecode`` (rather than ``imread``) copes with non-ASCII
    paths and is literally the call the C++ engine makes on uploaded bytes.
    """
    flag = cv2.IMREAD_GRAYSCALE if channels == 1 else cv2.IMREAD_COLOR
    image = cv2.imdecode(np.fromfile(str(path), dtype=np.uint8), flag)
    if image is None:
        raise ValueError(f"cannot decode image: {path}")
    return image


def convert_color(image: np.ndarray, color: str) -> np.ndarray:
    """Convert OpenCV's decoded BGR (or gray) image to the manifest colour order."""
    if color == "gray":
        return image if image.ndim == 2 else cv2.cvtColor(image, cv2.COLOR_BGR2GRAY)
    if color == "rgb":
        return cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
    if color == "bgr":
        return image
    raise ValueError(f"unknown color {color!r}")


def resize_image(image: np.ndarray, width: int, height: int, mode: str) -> np.ndarray:
    """Resize exactly as the engine does.

    ``letterbox``: scale = min(width / w, height / h); new size
    nw = round(w * scale), nh = round(h * scale), clamped to [1, width] and
    [1, height]; shrink (scale < 1) with INTER_AREA, otherwise INTER_LINEAR;
    paste at ((width - nw) // 2, (height - nh) // 2) on a zero (black) canvas.
    Python's ``round`` rounds half to even, i.e. C++ ``std::nearbyint`` (not
    ``std::lround``, which differs on exact .5 ties).
    """
    h, w = image.shape[:2]
    if mode == "area":
        return cv2.resize(image, (width, height), interpolation=cv2.INTER_AREA)
    if mode == "linear":
        return cv2.resize(image, (width, height), interpolation=cv2.INTER_LINEAR)
    if mode == "letterbox":
        scale = min(width / w, height / h)
        nw = max(1, min(width, int(round(w * scale))))
        nh = max(1, min(height, int(round(h * scale))))
        interpolation = cv2.INTER_AREA if scale < 1.0 else cv2.INTER_LINEAR
        resized = cv2.resize(image, (nw, nh), interpolation=interpolation)
        canvas = np.zeros((height, width) + image.shape[2:], dtype=image.dtype)
        x0, y0 = (width - nw) // 2, (height - nh) // 2
        canvas[y0:y0 + nh, x0:x0 + nw] = resized
        return canvas
    raise ValueError(f"unknown resize mode {mode!r}")


def preprocess_uint8(image: np.ndarray, spec: InputSpec) -> np.ndarray:
    """Colour + resize steps of the contract; returns uint8 CHW.

    Training keeps images as uint8 after this step (4x less memory) and does
    the float part per batch in :func:`normalize`.
    """
    image = convert_color(image, spec.color)
    image = resize_image(image, spec.width, spec.height, spec.resize)
    if image.ndim == 2:
        image = image[:, :, None]
    return np.ascontiguousarray(image.transpose(2, 0, 1))


def normalize(batch_uint8: torch.Tensor, spec: InputSpec) -> torch.Tensor:
    """Float part of the contract: ``float32 * scale``, then ``(x - mean) / std`` per channel."""
    mean = torch.tensor(spec.mean, dtype=torch.float32).view(1, -1, 1, 1)
    std = torch.tensor(spec.std, dtype=torch.float32).view(1, -1, 1, 1)
    return (batch_uint8.to(torch.float32) * spec.scale - mean) / std


def preprocess(image: np.ndarray, spec: InputSpec) -> torch.Tensor:
    """Whole contract for one decoded image: returns a float32 [1, C, H, W] tensor."""
    return normalize(torch.from_numpy(preprocess_uint8(image, spec))[None], spec)


# --------------------------------------------------------------------------
# Models
# --------------------------------------------------------------------------

def conv_bn_relu(cin: int, cout: int, stride: int = 1) -> nn.Sequential:
    return nn.Sequential(
        nn.Conv2d(cin, cout, 3, stride=stride, padding=1, bias=False),
        nn.BatchNorm2d(cout),
        nn.ReLU(inplace=True),
    )


class FashionNet(nn.Module):
    """Small VGG-style CNN for 28x28 gray images (~0.13 M parameters).

    One conv at 28 px, a conv pair at 14 px, one wider conv at 7 px, then
    global average pooling.  Measured on two cores, a second conv at full
    28 px resolution cost ~50% more time per epoch for little accuracy, so the
    budget goes to more epochs instead.  Well under 2 MB, >0.91 top-1.
    """

    def __init__(self, num_classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn_relu(1, 32), nn.MaxPool2d(2),                         # 14x14
            conv_bn_relu(32, 64), conv_bn_relu(64, 64), nn.MaxPool2d(2),  # 7x7
            conv_bn_relu(64, 128),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.2)
        self.classifier = nn.Linear(128, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.features(x)).flatten(1)
        return self.classifier(self.dropout(x))


class SmallCNN(nn.Module):
    """Size-agnostic small CNN for leaf photos (fgvc7 / folders modes).

    A stride-2 stem keeps 224 px affordable on CPU; ``ceil_mode`` pooling and
    global average pooling let the same network run on a 16 px test fixture.
    """

    def __init__(self, in_channels: int, num_classes: int):
        super().__init__()
        self.features = nn.Sequential(
            conv_bn_relu(in_channels, 32, stride=2),
            conv_bn_relu(32, 32), nn.MaxPool2d(2, ceil_mode=True),
            conv_bn_relu(32, 64), nn.MaxPool2d(2, ceil_mode=True),
            conv_bn_relu(64, 128), nn.MaxPool2d(2, ceil_mode=True),
            conv_bn_relu(128, 128),
        )
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.dropout = nn.Dropout(0.3)
        self.classifier = nn.Linear(128, num_classes)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = self.pool(self.features(x)).flatten(1)
        return self.classifier(self.dropout(x))


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


# --------------------------------------------------------------------------
# Training and evaluation
# --------------------------------------------------------------------------

@dataclass
class TrainResult:
    epoch_seconds: list[float] = field(default_factory=list)
    epoch_loss: list[float] = field(default_factory=list)
    epoch_train_acc: list[float] = field(default_factory=list)

    @property
    def total_seconds(self) -> float:
        return float(sum(self.epoch_seconds))


def random_flip_shift(batch: torch.Tensor, max_shift: int, generator: torch.Generator,
                      vertical: bool = False) -> torch.Tensor:
    """Augment uint8 images without breaking the preprocessing contract.

    Horizontal (optionally vertical) flips and shifts of a few pixels padded
    with zeros, i.e. black, the same value the engine's letterbox pads with.
    Nothing here changes colour, scale or interpolation.
    """
    n, _, h, w = batch.shape
    flip = torch.rand(n, generator=generator) < 0.5
    batch = torch.where(flip.view(-1, 1, 1, 1), batch.flip(-1), batch)
    if vertical:
        flip = torch.rand(n, generator=generator) < 0.5
        batch = torch.where(flip.view(-1, 1, 1, 1), batch.flip(-2), batch)
    if max_shift > 0:
        s = max_shift
        padded = F.pad(batch, (s, s, s, s))
        dy = torch.randint(0, 2 * s + 1, (n,), generator=generator)
        dx = torch.randint(0, 2 * s + 1, (n,), generator=generator)
        rows = (torch.arange(h).view(1, h) + dy.view(n, 1))          # n x h
        cols = (torch.arange(w).view(1, w) + dx.view(n, 1))          # n x w
        index_n = torch.arange(n).view(n, 1, 1, 1)
        index_c = torch.arange(batch.shape[1]).view(1, -1, 1, 1)
        batch = padded[index_n, index_c, rows.view(n, 1, h, 1), cols.view(n, 1, 1, w)]
    return batch


def train_model(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, spec: InputSpec,
                epochs: int, batch_size: int, lr: float, seed: int, max_shift: int,
                vertical_flip: bool = False, label_smoothing: float = 0.0) -> TrainResult:
    """AdamW with a one-cycle schedule: reliable fast convergence in few epochs.

    ``images`` are uint8 NCHW after the contract's colour/resize steps; each
    batch is augmented then normalised exactly like inference input.
    Training runs in channels-last memory layout (oneDNN's convolutions were
    ~20% faster that way on two cores); the model is returned in the default
    layout so the exported file expects ordinary NCHW tensors.
    """
    generator = torch.Generator().manual_seed(seed)
    n = images.shape[0]
    batch_size = max(1, min(batch_size, n))
    steps_per_epoch = (n + batch_size - 1) // batch_size
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(
        optimizer, max_lr=lr, epochs=epochs, steps_per_epoch=steps_per_epoch)
    criterion = nn.CrossEntropyLoss(label_smoothing=label_smoothing)
    result = TrainResult()
    model.to(memory_format=torch.channels_last)
    for epoch in range(1, epochs + 1):
        model.train()
        started = time.perf_counter()
        order = torch.randperm(n, generator=generator)
        total_loss, correct, seen = 0.0, 0, 0
        for step in range(steps_per_epoch):
            idx = order[step * batch_size:(step + 1) * batch_size]
            if idx.numel() == 1 and n > 1:
                # BatchNorm cannot normalise a single 1x1 feature map; skip the stray one.
                scheduler.step()
                continue
            x = random_flip_shift(images[idx], max_shift, generator, vertical_flip)
            x = normalize(x, spec).contiguous(memory_format=torch.channels_last)
            y = labels[idx]
            optimizer.zero_grad(set_to_none=True)
            logits = model(x)
            loss = criterion(logits, y)
            loss.backward()
            optimizer.step()
            scheduler.step()
            total_loss += loss.item() * y.numel()
            correct += int((logits.argmax(1) == y).sum())
            seen += y.numel()
        elapsed = time.perf_counter() - started
        result.epoch_seconds.append(elapsed)
        result.epoch_loss.append(total_loss / max(seen, 1))
        result.epoch_train_acc.append(correct / max(seen, 1))
        log(f"epoch {epoch}/{epochs}: loss {result.epoch_loss[-1]:.4f}  "
            f"train acc {result.epoch_train_acc[-1]:.4f}  {elapsed:.1f}s")
    model.to(memory_format=torch.contiguous_format)
    model.eval()
    return result


@torch.no_grad()
def predict(model, images: torch.Tensor, spec: InputSpec, batch_size: int = 500) -> torch.Tensor:
    """Arg-max predictions for uint8 images, normalised per the contract."""
    out = []
    for start in range(0, images.shape[0], batch_size):
        out.append(model(normalize(images[start:start + batch_size], spec)).argmax(1))
    return torch.cat(out) if out else torch.empty(0, dtype=torch.long)


def accuracy_report(predictions: torch.Tensor, labels: torch.Tensor, num_classes: int) -> dict:
    """Top-1 overall and per class (per-class is for the model card)."""
    correct = predictions == labels
    per_class = []
    for c in range(num_classes):
        mask = labels == c
        total = int(mask.sum())
        per_class.append({"samples": total,
                          "top1": float(correct[mask].float().mean()) if total else None})
    return {"samples": int(labels.numel()),
            "top1": float(correct.float().mean()) if labels.numel() else 0.0,
            "per_class": per_class}


# --------------------------------------------------------------------------
# Export
# --------------------------------------------------------------------------

def export_torchscript(model: nn.Module, example: torch.Tensor, path: Path) -> torch.jit.ScriptModule:
    """Script (not trace) the eval-mode model, save it, and check the saved file.

    Scripting keeps the graph free of the example's shape, so the size-agnostic
    CNNs really are size-agnostic in C++.  The reloaded file must reproduce the
    eager model's logits, or the export is refused.
    """
    model.eval()
    scripted = torch.jit.script(model)
    path.parent.mkdir(parents=True, exist_ok=True)
    scripted.save(str(path))
    reloaded = torch.jit.load(str(path))
    reloaded.eval()
    with torch.no_grad():
        expected = model(example)
        actual = reloaded(example)
    if actual.shape != expected.shape or not torch.allclose(actual, expected, atol=1e-4, rtol=1e-4):
        raise RuntimeError("exported TorchScript does not reproduce the eager model")
    return reloaded


def write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def build_manifest(name: str, labels: list[str], descriptions: dict[str, str] | None,
                   spec: InputSpec, metrics: dict, version: str = MANIFEST_VERSION,
                   extra: dict | None = None) -> dict:
    """Manifest in the key order the C++ side documents: name, version, labels, ..."""
    manifest: dict = {"name": name, "version": version, "labels": labels}
    if descriptions:
        manifest["descriptions"] = {label: descriptions[label] for label in labels if label in descriptions}
    manifest["input"] = spec.to_json()
    manifest["metrics"] = metrics
    if extra:
        manifest.update(extra)
    return manifest


def slugify(label: str) -> str:
    """``"Ankle boot"`` -> ``"ankle_boot"``; ``"T-shirt/top"`` -> ``"t_shirt_top"``."""
    return re.sub(r"[^a-z0-9]+", "_", label.lower()).strip("_")


def model_size_text(path: Path) -> str:
    size = path.stat().st_size
    return f"{size} bytes ({size / 1024 / 1024:.2f} MiB)"


def per_class_table(labels: list[str], report: dict) -> str:
    lines = ["| Class | Samples | Top-1 |", "|---|---:|---:|"]
    for label, row in zip(labels, report["per_class"]):
        top1 = "n/a" if row["top1"] is None else f"{row['top1']:.4f}"
        lines.append(f"| {label} | {row['samples']} | {top1} |")
    return "\n".join(lines)


def input_contract_text(spec: InputSpec) -> str:
    return (
        f"- {spec.channels} channel(s), {spec.width}x{spec.height} px, colour `{spec.color}`, "
        f"resize `{spec.resize}`\n"
        f"- value = pixel (0-255) x {spec.scale!r}, then (value - mean[c]) / std[c] with "
        f"mean {spec.mean} and std {spec.std}\n"
        f"- tensor NCHW float32, batch 1; output: raw logits [N, num_labels] (softmax is applied by the engine)"
    )


# --------------------------------------------------------------------------
# The model repository: where each run writes
# --------------------------------------------------------------------------

# A version folder's name, as the C++ ModelRepository reads it: digits, no sign, no
# leading zero, at most 18 of them (it fits a qint64).
VERSION_NAME = re.compile(r"[1-9][0-9]{0,17}")


def version_numbers(model_folder: Path) -> list[int]:
    """The positive-integer version folders in REPO/<name>, ascending (complete or not)."""
    if not model_folder.is_dir():
        return []
    return sorted(int(p.name) for p in model_folder.iterdir()
                  if p.is_dir() and VERSION_NAME.fullmatch(p.name))


def holds_model_versions(folder: Path) -> Path | None:
    """A <name>/<version>/model.json under folder, if there is one: folder is a repository."""
    for child in sorted(p for p in folder.iterdir() if p.is_dir()):
        for version in version_numbers(child):
            if (child / str(version) / "model.json").is_file():
                return child / str(version) / "model.json"
    return None


class RefusedOutput(Exception):
    """An --out or --version that would lose or misplace a model; the message says why."""


def plan_version_folder(model_folder: Path, version: int | None) -> Path:
    """The version folder this run will write, checked before any training starts.

    ``--out`` is the model's folder in a repository, REPO/<name>; the run writes
    REPO/<name>/<version>/, the next free version unless ``--version`` says which.
    Raises RefusedOutput with a sentence for each ``--out`` that would lose or
    misplace a model: an old-style model folder, a repository root, a version
    that exists.
    """
    if model_folder.exists() and not model_folder.is_dir():
        raise RefusedOutput(f"--out {model_folder} is a file; pass the model's folder in a "
                         "repository, REPO/<name> (its versions go in REPO/<name>/1/, 2/, ...)")
    if (model_folder / "model.json").is_file() and VERSION_NAME.fullmatch(model_folder.name):
        raise RefusedOutput(
            f"--out {model_folder} is version {model_folder.name} of {model_folder.parent.name}, "
            "and train.py never overwrites a version; pass the model's repository folder "
            f"{model_folder.parent} to write its next version")
    if (model_folder / "model.json").is_file():
        raise RefusedOutput(
            f"--out {model_folder} holds a model.json directly: it is a single model folder, "
            "not a model's folder in a repository. Pass the model's repository folder "
            "REPO/<name> instead (train.py writes REPO/<name>/<next version>/); to keep this "
            f"model as version 1, move its files into {model_folder / '1'}/ first")
    if model_folder.is_dir():
        found = holds_model_versions(model_folder)
        if found is not None:
            raise RefusedOutput(
                f"--out {model_folder} is a model repository (it holds {found}); pass one "
                f"model's folder in it, e.g. {model_folder / '<name>'}")
    existing = version_numbers(model_folder)
    if version is None:
        return model_folder / str(max(existing, default=0) + 1)
    target = model_folder / str(version)
    if target.exists():
        raise RefusedOutput(
            f"--version {version}: {target} already exists, and train.py never overwrites a "
            f"version; leave out --version to write version {max(existing) + 1}, or pick a "
            "number that is not taken")
    return target


class VersionFolder:
    """Writes one version of a model without ever showing a half-written one.

    Everything goes into a hidden staging folder beside the versions (the C++
    scanner skips hidden folders, so a server polling the repository never
    loads a model.json whose model.pt is still being written); finish() renames
    it into place. A rename onto a folder with files fails instead of replacing
    it, so an existing version is never overwritten, even by a run that chose
    the same number at the same time.
    """

    def __init__(self, target: Path, fixed_version: bool):
        self.model_folder = target.parent
        self.version = int(target.name)
        self.fixed_version = fixed_version
        self.made_model_folder = not self.model_folder.exists()
        self.model_folder.mkdir(parents=True, exist_ok=True)
        attempt = 0
        while True:
            staging = self.model_folder / f".{self.version}.partial-{os.getpid()}-{attempt}"
            try:
                staging.mkdir()
                break
            except FileExistsError:
                attempt += 1
        self.staging = staging

    def discard(self) -> None:
        """After a failed run: no staged files, and no empty model folder this run made."""
        shutil.rmtree(self.staging, ignore_errors=True)
        if self.made_model_folder:
            try:
                self.model_folder.rmdir()
            except OSError:
                pass  # something else was put there meanwhile: not ours to remove

    def finish(self) -> Path:
        """Moves the staged files to REPO/<name>/<version>/ and returns that folder."""
        while True:
            target = self.model_folder / str(self.version)
            if not target.exists():
                try:
                    os.rename(self.staging, target)
                    return target
                except OSError as error:
                    if error.errno not in (errno.EEXIST, errno.ENOTEMPTY, errno.ENOTDIR):
                        raise
            if self.fixed_version:
                raise RefusedOutput(f"--version {self.version}: {target} appeared while this run "
                                 f"was writing; the new model is left in {self.staging}")
            self.version += 1


def run_writing_version(args: argparse.Namespace, write) -> None:
    """Runs write(folder) into a staged version folder and publishes it as args.target."""
    folder = VersionFolder(args.target, args.version is not None)
    try:
        write(folder.staging)
    except BaseException:
        folder.discard()
        raise
    target = folder.finish()
    log(f"wrote version {folder.version} of {target.parent.name}: {target}")


# --------------------------------------------------------------------------
# Fashion-MNIST (default model)
# --------------------------------------------------------------------------

def read_idx(path: Path) -> np.ndarray:
    """Read a gzip'd IDX file (the format Fashion-MNIST ships in)."""
    with gzip.open(path, "rb") as f:
        data = f.read()
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise ValueError(f"{path}: not an unsigned-byte IDX file")
    shape = struct.unpack(f">{ndim}I", data[4:4 + 4 * ndim])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim).reshape(shape)


def run_fashion_mnist(args: argparse.Namespace, out: Path) -> None:
    """Train, evaluate and export the default model into out, plus 20 sample PNGs."""
    data = Path(args.data)
    train_x = read_idx(data / "train-images-idx3-ubyte.gz")
    train_y = read_idx(data / "train-labels-idx1-ubyte.gz")
    test_x = read_idx(data / "t10k-images-idx3-ubyte.gz")
    test_y = read_idx(data / "t10k-labels-idx1-ubyte.gz")
    log(f"Fashion-MNIST: {len(train_x)} train, {len(test_x)} test images from {data}")

    # Mean/std measured on the training set, rounded to 4 places; the rounded
    # values are what training uses, so the manifest is exact, not approximate.
    mean = round(float(train_x.mean(dtype=np.float64)) * SCALE_8BIT, 4)
    std = round(float(train_x.std(dtype=np.float64)) * SCALE_8BIT, 4)
    spec = InputSpec(channels=1, height=28, width=28, color="gray", mean=[mean], std=[std],
                     scale=SCALE_8BIT, resize="area")
    log(f"input normalisation: mean {mean} std {std}")

    images = torch.from_numpy(train_x.copy()).unsqueeze(1)   # uint8 N,1,28,28
    labels = torch.from_numpy(train_y.astype(np.int64))
    test_images = torch.from_numpy(test_x.copy()).unsqueeze(1)
    test_labels = torch.from_numpy(test_y.astype(np.int64))

    model = FashionNet(len(FASHION_LABELS))
    log(f"FashionNet: {count_parameters(model)} parameters, {args.epochs} epochs, "
        f"batch {args.batch_size}, lr {args.lr}, {torch.get_num_threads()} thread(s)")
    result = train_model(model, images, labels, spec, args.epochs, args.batch_size, args.lr,
                         args.seed, max_shift=2, label_smoothing=0.05)

    model_path = out / "model.pt"
    exported = export_torchscript(model, normalize(test_images[:4], spec), model_path)
    # Evaluate the file we ship, not the in-memory model.
    report = accuracy_report(predict(exported, test_images, spec), test_labels, len(FASHION_LABELS))
    log(f"test top-1 (exported model): {report['top1']:.4f} on {report['samples']} images")

    metrics = {
        "dataset": "Fashion-MNIST test set (Debian dataset-fashion-mnist)",
        "split": "test",
        "samples": report["samples"],
        "top1": round(report["top1"], 4),
        "trained_epochs": args.epochs,
        "train_seconds": round(result.total_seconds, 1),
    }
    descriptions = {label: FASHION_DESCRIPTION for label in FASHION_LABELS}
    write_json(out / "model.json", build_manifest("fashion-mnist", FASHION_LABELS, descriptions,
                                                  spec, metrics))

    samples = write_fashion_samples(Path(args.samples), test_x, test_y)
    sample_results = check_samples(exported, samples, spec)
    hits = sum(truth == guess for _, truth, guess in sample_results)
    log(f"samples: {len(samples)} written to {args.samples}, {hits}/{len(samples)} "
        "classified correctly from the PNG files")

    write_fashion_card(out / "README.md", args, model, spec, result, report, model_path,
                       sample_results)
    log(f"exported model.pt ({model_size_text(model_path)}), model.json, README.md")


def write_fashion_samples(folder: Path, test_x: np.ndarray, test_y: np.ndarray) -> list[tuple[Path, int]]:
    """The first two test images of each class, in test-set order (not cherry-picked)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for c, label in enumerate(FASHION_LABELS):
        for n, index in enumerate(np.flatnonzero(test_y == c)[:2]):
            path = folder / f"{slugify(label)}_{n}.png"
            if not cv2.imwrite(str(path), test_x[index]):
                raise OSError(f"cannot write {path}")
            written.append((path, c))
    return written


@torch.no_grad()
def check_samples(model, samples: list[tuple[Path, int]], spec: InputSpec) -> list[tuple[str, str, str]]:
    """Classify sample files from disk through the full contract.

    Returns (file name, true label, predicted label) per sample, for the card.
    """
    results = []
    for path, label in samples:
        x = preprocess(decode_image(path, spec.channels), spec)
        guess = int(model(x).argmax(1).item())
        results.append((path.name, FASHION_LABELS[label], FASHION_LABELS[guess]))
    return results


def write_fashion_card(path: Path, args, model, spec, result: TrainResult, report: dict,
                       model_path: Path, sample_results: list[tuple[str, str, str]]) -> None:
    """Model card from the measured numbers of this very run (nothing typed in by hand)."""
    misses = [f"`{name}` ({truth}) as {guess}" for name, truth, guess in sample_results if truth != guess]
    miss_text = "; it gets wrong " + ", ".join(misses) if misses else ""
    ranked = sorted(range(len(FASHION_LABELS)), key=lambda c: report["per_class"][c]["top1"])
    weakest = ", ".join(f"{FASHION_LABELS[c]} ({report['per_class'][c]['top1']:.3f})" for c in ranked[:3])
    epochs_table = "\n".join(
        f"| {i + 1} | {loss:.4f} | {acc:.4f} | {sec:.1f} |"
        for i, (loss, acc, sec) in enumerate(zip(result.epoch_loss, result.epoch_train_acc,
                                                  result.epoch_seconds)))
    text = f"""# Orchard default model: Fashion-MNIST demonstrator

**This is not a plant-disease model.** There is no plant data set in our package
sources, so the default model is trained on Fashion-MNIST (28x28 grayscale
clothing images) from Debian's `dataset-fashion-mnist` package. It exists to
demonstrate the whole pipeline — upload, decode, preprocess, TorchScript
inference, softmax, labels — with a model whose accuracy is real and measured.

A farm deploys its own leaf model in the same folder format (`model.pt` +
`model.json` + `README.md`), as a model of its own in the repository
(`models/<name>/<version>/`), for example from the Plant Pathology 2020 (FGVC7)
apple-leaf images (the first run writes `models/apple-leaf/1/`, the next `2/`):

    /usr/bin/python3 models/train.py fgvc7 --data /path/to/plant-pathology-2020 --out models/apple-leaf

or from any folder-per-class collection of photos:

    /usr/bin/python3 models/train.py folders --data /path/to/photos --out models/my-leaves

## Architecture

`FashionNet` (see `models/train.py`): conv3x3(1→32) → maxpool →
conv3x3(32→64) → conv3x3(64→64) → maxpool → conv3x3(64→128) → global average
pool → dropout 0.2 → linear(128→10); every conv is followed by BatchNorm and
ReLU. {count_parameters(model):,} parameters; `model.pt` (TorchScript, scripted) is
{model_size_text(model_path)}.

## Input contract

{input_contract_text(spec)}

Mean and std were measured on the 60,000 training images and rounded to four
places; training used exactly the rounded values.

## Training

    /usr/bin/python3 models/train.py fashion-mnist --epochs {args.epochs}

- data: 60,000 training images; augmentation: random horizontal flip and
  random shifts of up to 2 px padded with black (both keep the input contract)
- optimiser: AdamW (lr {args.lr}, weight decay 5e-4), one-cycle schedule,
  batch {args.batch_size}, label smoothing 0.05
- seed {args.seed} (Python, NumPy, torch), deterministic algorithms on
- {args.epochs} epochs, {result.total_seconds:.0f} s of training wall time on
  {torch.get_num_threads()} CPU thread(s) (shared machine, so timings are noisy)

| Epoch | Train loss | Train top-1 (augmented) | Seconds |
|---:|---:|---:|---:|
{epochs_table}

## Evaluation

Measured with the exported `model.pt` on the 10,000-image Fashion-MNIST test
set: **top-1 = {report['top1']:.4f}**.

{per_class_table(FASHION_LABELS, report)}

`resources/samples/` holds the first two test images of each class, in test-set
order (not hand-picked), as 28x28 8-bit grayscale PNGs; read back from disk
through the preprocessing contract the model classifies {len(sample_results) - len(misses)} of
{len(sample_results)} correctly{miss_text}.

## Limitations

- Clothing, not leaves: its predictions on leaf photos are meaningless.
- Trained on centred 28x28 grayscale product photos on a black background;
  ordinary camera photos are far outside that distribution, and the model will
  still return a confident-looking label for them.
- Weakest classes in this run (see table): {weakest};
  upper-body garments are easily confused with one another.
- Accuracy comes from one seeded run; other seeds were not measured.
"""
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------
# Leaf data sets: FGVC7 and folder-per-class
# --------------------------------------------------------------------------

def read_fgvc7(data: Path) -> list[tuple[Path, int]]:
    """Rows of ``train.csv`` as (image path, label index); each row must be one-hot."""
    csv_path = data / "train.csv"
    items = []
    with csv_path.open(newline="", encoding="utf-8") as f:
        reader = csv.DictReader(f)
        expected = ["image_id", *APPLE_LABELS]
        if reader.fieldnames is None or [h.strip() for h in reader.fieldnames] != expected:
            raise ValueError(f"{csv_path}: header must be {','.join(expected)}")
        for line, row in enumerate(reader, start=2):
            row = {k.strip(): v.strip() for k, v in row.items()}
            hot = [int(float(row[label])) for label in APPLE_LABELS]
            if sorted(hot) != [0] * (len(APPLE_LABELS) - 1) + [1]:
                raise ValueError(f"{csv_path}:{line}: row is not one-hot: {hot}")
            items.append((data / "images" / f"{row['image_id']}.jpg", hot.index(1)))
    if not items:
        raise ValueError(f"{csv_path}: no rows")
    return items


def read_folders(data: Path) -> tuple[list[str], list[tuple[Path, int]]]:
    """Folder-per-class: labels are the sorted sub-folder names that hold images."""
    labels, items = [], []
    for folder in sorted(p for p in data.iterdir() if p.is_dir()):
        files = sorted(p for p in folder.iterdir()
                       if p.is_file() and p.suffix.lower() in IMAGE_EXTENSIONS)
        if not files:
            continue
        labels.append(folder.name)
        items.extend((p, len(labels) - 1) for p in files)
    if len(labels) < 2:
        raise ValueError(f"{data}: need at least two class folders with images")
    return labels, items


def stratified_split(items: list[tuple[Path, int]], num_classes: int, fraction: float,
                     seed: int) -> tuple[list, list]:
    """Hold out ``fraction`` of each class when every class can spare >= 1 and keep >= 4.

    Tiny data sets (test fixtures) cannot be split meaningfully; then the
    validation list is empty and the caller evaluates on the training set.
    """
    by_class: list[list] = [[] for _ in range(num_classes)]
    for item in items:
        by_class[item[1]].append(item)
    rng = random.Random(seed)
    holdout_sizes = [int(round(len(group) * fraction)) for group in by_class]
    if fraction <= 0 or any(h < 1 or len(g) - h < 4 for g, h in zip(by_class, holdout_sizes)):
        return items, []
    train, val = [], []
    for group, h in zip(by_class, holdout_sizes):
        group = group[:]
        rng.shuffle(group)
        val.extend(group[:h])
        train.extend(group[h:])
    return train, val


def load_images(items: list[tuple[Path, int]], spec: InputSpec) -> tuple[torch.Tensor, torch.Tensor]:
    """Decode + colour + resize every image once (uint8), per the contract."""
    arrays = [preprocess_uint8(decode_image(path, spec.channels), spec) for path, _ in items]
    images = torch.from_numpy(np.stack(arrays)) if arrays else torch.empty(0, dtype=torch.uint8)
    labels = torch.tensor([label for _, label in items], dtype=torch.int64)
    return images, labels


def run_leaf_dataset(args: argparse.Namespace, out: Path) -> None:
    """Shared path for ``fgvc7`` and ``folders``: load, split, train, measure, export into out."""
    data = Path(args.data)
    if args.mode == "fgvc7":
        labels, items = APPLE_LABELS, read_fgvc7(data)
        descriptions = APPLE_DESCRIPTIONS
        name = args.name or "apple-leaf-fgvc7"
        dataset_name = "Plant Pathology 2020 (FGVC7) train.csv"
        channels = 3
    else:
        labels, items = read_folders(data)
        descriptions = None
        name = args.name or slugify(data.resolve().name) or "leaf-folders"
        dataset_name = f"folder-per-class images from {data.resolve().name}"
        channels = args.channels
    if channels not in (1, 3):
        raise ValueError("--channels must be 1 or 3")

    size = args.image_size
    if channels == 3:
        spec = InputSpec(3, size, size, "rgb", IMAGENET_MEAN, IMAGENET_STD, SCALE_8BIT, args.resize)
    else:
        spec = InputSpec(1, size, size, "gray", [0.0], [1.0], SCALE_8BIT, args.resize)

    train_items, val_items = stratified_split(items, len(labels), args.val_fraction, args.seed)
    log(f"{args.mode}: {len(items)} images, {len(labels)} classes {labels}; "
        f"{len(train_items)} train / {len(val_items)} held out; {size}x{size} px, "
        f"{torch.get_num_threads()} thread(s)")
    started = time.perf_counter()
    train_images, train_labels = load_images(train_items, spec)
    val_images, val_labels = load_images(val_items, spec)
    log(f"decoded and resized in {time.perf_counter() - started:.1f}s")

    if channels == 1:
        # Gray has no ImageNet statistics; measure them on the training images.
        pixels = train_images.to(torch.float64) * SCALE_8BIT
        spec.mean = [round(float(pixels.mean()), 4)]
        spec.std = [max(round(float(pixels.std()), 4), 1e-3)] if pixels.numel() > 1 else [1.0]

    model = SmallCNN(channels, len(labels))
    result = train_model(model, train_images, train_labels, spec, args.epochs, args.batch_size,
                         args.lr, args.seed, max_shift=max(0, size // 32), vertical_flip=True)

    exported = export_torchscript(model, normalize(train_images[:2], spec), out / "model.pt")
    if len(val_items):
        eval_images, eval_labels = val_images, val_labels
        split = "validation"
        dataset = f"{dataset_name}, {len(val_items)}-image stratified hold-out ({args.val_fraction:.0%})"
    else:
        eval_images, eval_labels = train_images, train_labels
        split = "train"
        dataset = (f"{dataset_name}, measured on the TRAINING set (too few images to hold "
                   "any out); not an estimate of real accuracy")
    report = accuracy_report(predict(exported, eval_images, spec), eval_labels, len(labels))
    log(f"top-1 on {split} split: {report['top1']:.4f} ({report['samples']} images)")

    metrics = {
        "dataset": dataset,
        "split": split,
        "samples": report["samples"],
        "top1": round(report["top1"], 4),
        "trained_epochs": args.epochs,
        "train_seconds": round(result.total_seconds, 1),
    }
    write_json(out / "model.json", build_manifest(name, labels, descriptions, spec, metrics))
    write_leaf_card(out / "README.md", args, name, labels, model, spec, metrics, report, out / "model.pt")
    log(f"exported model.pt ({model_size_text(out / 'model.pt')}), model.json, README.md")


def write_leaf_card(path: Path, args, name: str, labels: list[str], model, spec: InputSpec,
                    metrics: dict, report: dict, model_path: Path) -> None:
    command = " ".join(["/usr/bin/python3", "models/train.py", *sys.argv[1:]])
    caveat = ("" if metrics["split"] != "train" else
              "\n**Accuracy was measured on the training images** (the data set is too small "
              "to hold any out), so it says nothing about accuracy on new photos.\n")
    text = f"""# {name}

Leaf model trained by `models/train.py {args.mode}`.

## Architecture

`SmallCNN` (see `models/train.py`): stride-2 conv stem, four more 3x3 conv
layers with BatchNorm/ReLU and max pooling, global average pooling, dropout,
linear layer. {count_parameters(model):,} parameters; `model.pt` is {model_size_text(model_path)}.

## Labels

{", ".join(labels)}

## Input contract

{input_contract_text(spec)}

## Training

    {command}

Seed {args.seed}; {metrics['trained_epochs']} epochs; {metrics['train_seconds']} s training
wall time; augmentation: random horizontal/vertical flips and small shifts padded
with black.

## Evaluation

{metrics['dataset']}: **top-1 = {metrics['top1']:.4f}** on {metrics['samples']} images.
{caveat}
{per_class_table(labels, report)}

## Limitations

- A small CNN trained from scratch; expect lower accuracy than a pretrained
  backbone, especially on the rare `multiple_diseases` class in FGVC7.
- Only as good as the photos it was trained on: lighting, camera and cultivar
  differences from the training set reduce accuracy.
- Advice in the manifest is general guidance; confirm diagnoses with a local
  extension service before treating.
"""
    path.write_text(text, encoding="utf-8")


# --------------------------------------------------------------------------
# Untrained torchvision architecture (timing only)
# --------------------------------------------------------------------------

# The shipped model's input contract (models/fashion-mnist/1/model.json), so an untrained
# FashionNet takes the same images as the default model.
FASHION_MEAN = [0.286]
FASHION_STD = [0.353]


def run_export_untrained(args: argparse.Namespace, out: Path) -> None:
    """Export an architecture with seeded random weights into out, with no data at all.

    ``mobilenet_v3_small`` and ``resnet18`` (torchvision, 224x224 RGB) are real-size
    networks for timing the server; ``fashionnet`` is the default model's network
    and input contract (28x28 gray), a second model made in about a second for
    tests. ``weights=None`` everywhere: nothing is downloaded, and nothing in the
    output pretends to be a diagnosis.
    """
    labels = args.labels or (FASHION_LABELS if args.arch == "fashionnet" else APPLE_LABELS)
    if args.arch == "fashionnet":
        model = FashionNet(len(labels))
        spec = InputSpec(1, 28, 28, "gray", FASHION_MEAN, FASHION_STD, SCALE_8BIT, args.resize)
    else:
        import torchvision

        constructors = {
            "mobilenet_v3_small": torchvision.models.mobilenet_v3_small,
            "resnet18": torchvision.models.resnet18,
        }
        model = constructors[args.arch](weights=None, num_classes=len(labels))
        spec = InputSpec(3, 224, 224, "rgb", IMAGENET_MEAN, IMAGENET_STD, SCALE_8BIT, args.resize)
    model.eval()
    example = torch.randn(1, spec.channels, spec.height, spec.width,
                          generator=torch.Generator().manual_seed(args.seed))
    export_torchscript(model, example, out / "model.pt")

    metrics = {
        "dataset": f"none — {UNTRAINED_WARNING}",
        "split": "none",
        "samples": 0,
        "top1": None,
        "trained_epochs": 0,
        "train_seconds": 0.0,
    }
    descriptions = {label: UNTRAINED_WARNING for label in labels}
    # A repository serves a model under its folder's name; the manifest says the same.
    name = args.name or args.target.parent.name
    manifest = build_manifest(name, labels, descriptions, spec,
                              metrics, version="0.0.0",
                              extra={"warning": UNTRAINED_WARNING, "architecture": args.arch})
    write_json(out / "model.json", manifest)
    if args.arch == "fashionnet":
        network = "`FashionNet` (the default model's network, see `models/train.py`)"
        purpose = ("to be a second model with the default model's input contract,\n"
                   "made in a second for tests")
    else:
        network = f"torchvision `{args.arch}` with `weights=None`"
        purpose = "to time the server with a realistically sized network"
    (out / "README.md").write_text(f"""# {manifest['name']} ({args.arch})

**{UNTRAINED_WARNING}.**

{network}, random initialisation (seed {args.seed}), a {len(labels)}-class head
({", ".join(labels)}), exported to TorchScript. It exists only {purpose};
it has never seen a leaf, and its outputs carry no information.

- {count_parameters(model):,} parameters; `model.pt` is {model_size_text(out / 'model.pt')}

## Input contract

{input_contract_text(spec)}

## Made with

    /usr/bin/python3 {" ".join(["models/train.py", *sys.argv[1:]])}
""", encoding="utf-8")
    log(f"exported untrained {args.arch} ({count_parameters(model)} parameters, "
        f"{model_size_text(out / 'model.pt')})")


# --------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------

def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description="Train/export Orchard TorchScript models and their model.json manifests.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--seed", type=int, default=DEFAULT_SEED, help="RNG seed (default %(default)s)")
    common.add_argument("--threads", type=int, default=None,
                        help="torch CPU threads (default: all cores)")
    sub = parser.add_subparsers(dest="mode", required=True)

    def add_output(p: argparse.ArgumentParser, default: str | None, example: str) -> None:
        out_help = (f"the model's folder in a repository, REPO/<name> (e.g. {example}); the run "
                    "writes REPO/<name>/<highest version + 1>/")
        if default is None:
            p.add_argument("--out", required=True, help=out_help)
        else:
            p.add_argument("--out", default=default, help=out_help + " (default %(default)s)")
        p.add_argument("--version", type=positive_version, default=None,
                       help="write exactly this version (a whole number from 1); refused if it exists")

    fm = sub.add_parser("fashion-mnist", parents=[common], help="train the default demo model")
    fm.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    add_output(fm, "models/fashion-mnist", "models/fashion-mnist")
    fm.add_argument("--samples", default="resources/samples")
    fm.add_argument("--epochs", type=int, default=8)
    fm.add_argument("--batch-size", type=int, default=128)
    fm.add_argument("--lr", type=float, default=4e-3)

    for mode, text in (("fgvc7", "Plant Pathology 2020 (FGVC7) apple leaves"),
                       ("folders", "folder-per-class images")):
        p = sub.add_parser(mode, parents=[common], help=f"train a leaf model on {text}")
        p.add_argument("--data", required=True)
        add_output(p, None, "models/apple-leaf")
        p.add_argument("--epochs", type=int, default=10)
        p.add_argument("--image-size", type=int, default=224)
        p.add_argument("--batch-size", type=int, default=32)
        p.add_argument("--lr", type=float, default=3e-3)
        p.add_argument("--resize", choices=["area", "linear", "letterbox"], default="area")
        p.add_argument("--val-fraction", type=float, default=0.2,
                       help="stratified hold-out fraction when the data set is large enough")
        p.add_argument("--name", default=None, help="manifest name")
        if mode == "folders":
            p.add_argument("--channels", type=int, choices=[1, 3], default=3)

    ex = sub.add_parser("export-untrained", parents=[common],
                        help="export an untrained network (timing, or a second model for tests)")
    add_output(ex, None, "models/apple-leaf-untrained")
    ex.add_argument("--arch", choices=["mobilenet_v3_small", "resnet18", "fashionnet"],
                    default="mobilenet_v3_small",
                    help="torchvision networks take 224x224 RGB; fashionnet takes the default "
                         "model's 28x28 gray (default %(default)s)")
    ex.add_argument("--labels", type=label_list, default=None,
                    help="comma-separated labels, e.g. a,b,c (default: the four apple-leaf "
                         "classes, or fashionnet's ten Fashion-MNIST classes)")
    ex.add_argument("--resize", choices=["area", "linear", "letterbox"], default="area")
    ex.add_argument("--name", default=None, help="manifest name (default: the --out folder's name)")

    args = parser.parse_args(argv)
    if getattr(args, "epochs", 1) < 1:
        parser.error("--epochs must be at least 1")
    if getattr(args, "image_size", 8) < 8:
        parser.error("--image-size must be at least 8")
    try:
        args.target = plan_version_folder(Path(args.out), args.version)
    except RefusedOutput as refused:
        parser.error(str(refused))
    return args


def positive_version(text: str) -> int:
    """--version's value: a version folder's name (1, 2, ...), as the repository reads it."""
    if not VERSION_NAME.fullmatch(text):
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a version: versions are whole numbers from 1, without leading zeros")
    return int(text)


def label_list(text: str) -> list[str]:
    """--labels' value: comma-separated, none empty, none twice."""
    labels = [label.strip() for label in text.split(",")]
    if any(not label for label in labels):
        raise argparse.ArgumentTypeError(f"{text!r} has an empty label (write them as a,b,c)")
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    if repeated:
        raise argparse.ArgumentTypeError(f"{text!r} repeats {', '.join(repeated)}")
    return labels


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    configure_threads(args.threads)
    seed_everything(args.seed)
    started = time.perf_counter()
    if args.mode == "fashion-mnist":
        write = run_fashion_mnist
    elif args.mode in ("fgvc7", "folders"):
        write = run_leaf_dataset
    else:
        write = run_export_untrained
    try:
        run_writing_version(args, lambda out: write(args, out))
    except RefusedOutput as refused:
        print(f"train.py: {refused}", file=sys.stderr)
        return 1
    log(f"done in {time.perf_counter() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
