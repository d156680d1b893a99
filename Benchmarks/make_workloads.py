#!/usr/bin/env python3
"""Write the benchmark workloads (data, initial weights, spec) into a directory.

    python3 Benchmarks/make_workloads.py DIR

Makes, deterministically (the same bytes on every run and machine):

    DIR/workloads.json            {"workloads": ["W1/spec.json", ...]}
    DIR/data/xor.x.f64, xor.y.f64           4 x 2, 4 x 1
    DIR/data/digits.x.f64, digits.y.f64     1797 x 64 (pixels / 16), 1797 x 10 one-hot
    DIR/data/mnistlike.x.f64, .y.f64        60000 x 784 in [0, 1], 60000 x 10 one-hot
    DIR/Wk/spec.json, DIR/Wk/weights0.f64   for k = 1..4

    W1  XOR            2-2-1     batch 1,  20000 epochs, alpha 0.5
    W2  digits         64-32-10  batch 32, 50 epochs,    alpha 0.5
    W3  MNIST-shaped   784-128-10 batch 64, 1 epoch,     alpha 0.5
    W4  MNIST-shaped   784-30-10 batch 10,  1 epoch,     alpha 3.0

File formats (see peers/common.py): raw float64 little-endian, row-major, no
header; shapes are in the spec. Weights: for l = 1..L, Theta(l) (n_l x n_(l-1))
then b(l) (n_l), concatenated. Initial Theta(l) uniform in
+-sqrt(6 / (n_(l-1) + n_l)) from numpy's default_rng(seed), biases 0.
The digits come from Lessons/data/digits.csv (same rows, same order).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DIGITS_CSV = ROOT / "Lessons" / "data" / "digits.csv"
F64 = np.dtype("<f8")
MNIST_SAMPLES = 60_000
MNIST_SEED = 20261129

WORKLOADS = [
    # name, title, data, layers, batch, epochs, alpha, weight seed
    ("W1", "XOR 2-2-1, batch 1", "xor", [2, 2, 1], 1, 20000, 0.5, 1),
    ("W2", "digits 64-32-10, batch 32", "digits", [64, 32, 10], 32, 50, 0.5, 2),
    ("W3", "MNIST-shaped 784-128-10, batch 64", "mnistlike", [784, 128, 10], 64, 1, 0.5, 3),
    ("W4", "MNIST-shaped 784-30-10, batch 10", "mnistlike", [784, 30, 10], 10, 1, 3.0, 4),
]


def write(path: Path, a: np.ndarray) -> None:
    np.ascontiguousarray(a, dtype=F64).tofile(path)


def one_hot(labels: np.ndarray, k: int) -> np.ndarray:
    y = np.zeros((labels.size, k))
    y[np.arange(labels.size), labels] = 1.0
    return y


def xor() -> tuple[np.ndarray, np.ndarray, str]:
    x = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    y = np.array([[0], [1], [1], [0]], dtype=float)
    return x, y, "XOR truth table, 4 samples"


def digits() -> tuple[np.ndarray, np.ndarray, str]:
    raw = np.loadtxt(DIGITS_CSV, delimiter=",", skiprows=1)
    x = raw[:, :64] / 16.0
    labels = raw[:, 64].astype(int)
    return x, one_hot(labels, 10), "Lessons/data/digits.csv, pixels / 16, one-hot labels"


def stroke_image(rng: np.random.Generator, strokes: int) -> np.ndarray:
    """A 28 x 28 'glyph': a few thick line segments in the central 20 x 20."""
    yy, xx = np.mgrid[0:28, 0:28].astype(float)
    img = np.zeros((28, 28))
    points = rng.uniform(6.0, 21.0, size=(strokes + 1, 2))
    for (r0, c0), (r1, c1) in zip(points[:-1], points[1:]):
        dr, dc = r1 - r0, c1 - c0
        t = ((yy - r0) * dr + (xx - c0) * dc) / max(dr * dr + dc * dc, 1e-9)
        t = np.clip(t, 0.0, 1.0)
        dist2 = (yy - (r0 + t * dr)) ** 2 + (xx - (c0 + t * dc)) ** 2
        img = np.maximum(img, np.exp(-dist2 / (2 * 1.1 ** 2)))
    return img


def mnistlike(n: int = MNIST_SAMPLES, seed: int = MNIST_SEED):
    """MNIST-shaped, image-like, learnable, deterministic from the seed.

    10 classes x 3 variants of stroke glyphs; each sample is one variant of its
    class shifted by -2..2 pixels in each direction, scaled by 0.6..1, plus a
    little noise, clipped to [0, 1], quantised to k/255, and background (< 0.1)
    set to 0: mostly zeros, like MNIST.
    """
    rng = np.random.default_rng(seed)
    protos = np.stack([np.stack([stroke_image(rng, int(rng.integers(2, 5))) for _ in range(3)])
                       for _ in range(10)])                       # 10 x 3 x 28 x 28
    labels = rng.integers(0, 10, size=n)
    variant = rng.integers(0, 3, size=n)
    shift = rng.integers(-2, 3, size=(n, 2))
    scale = rng.uniform(0.6, 1.0, size=n)
    x = np.empty((n, 784))
    # group the samples by (class, variant, shift) so each group is one np.roll
    key = ((labels * 3 + variant) * 5 + shift[:, 0] + 2) * 5 + shift[:, 1] + 2
    for k in np.unique(key):
        rows = np.nonzero(key == k)[0]
        s1 = k % 5 - 2
        s0 = (k // 5) % 5 - 2
        cv = k // 25
        img = np.roll(protos[cv // 3, cv % 3], (s0, s1), axis=(0, 1))
        x[rows] = img.ravel()
    chunk = 10_000
    for s in range(0, n, chunk):
        e = min(s + chunk, n)
        block = x[s:e] * scale[s:e, None] + rng.normal(0.0, 0.05, size=(e - s, 784))
        np.clip(block, 0.0, 1.0, out=block)
        block = np.round(block * 255.0) / 255.0
        block[block < 0.1] = 0.0
        x[s:e] = block
    desc = (f"synthetic MNIST-shaped glyphs, {n} samples, seed {seed}, "
            "784 inputs in [0,1] (k/255), 10 one-hot classes")
    return x, one_hot(labels, 10), desc


def initial_weights(layers: list[int], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    parts = []
    for p, n in zip(layers[:-1], layers[1:]):
        r = np.sqrt(6.0 / (p + n))
        parts.append(rng.uniform(-r, r, size=(n, p)).ravel())
        parts.append(np.zeros(n))
    return np.concatenate(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--repeats", type=int, default=5, help="timed runs per peer (median taken)")
    args = ap.parse_args()
    out: Path = args.dir.resolve()
    (out / "data").mkdir(parents=True, exist_ok=True)

    makers = {"xor": xor, "digits": digits, "mnistlike": mnistlike}
    shapes, descs = {}, {}
    for name, make in makers.items():
        x, y, desc = make()
        write(out / "data" / f"{name}.x.f64", x)
        write(out / "data" / f"{name}.y.f64", y)
        shapes[name] = (x.shape, y.shape)
        descs[name] = desc
        print(f"data/{name}: x {x.shape[0]}x{x.shape[1]}, y {y.shape[0]}x{y.shape[1]}")

    listed = []
    for name, title, data, layers, batch, epochs, alpha, seed in WORKLOADS:
        (xs, ys) = shapes[data]
        assert xs[1] == layers[0] and ys[1] == layers[-1]
        d = out / name
        d.mkdir(exist_ok=True)
        write(d / "weights0.f64", initial_weights(layers, seed))
        spec = {
            "format": "backprop-peer-spec/1",
            "name": name,
            "title": title,
            "data": descs[data],
            "layers": layers,
            "samples": xs[0],
            "epochs": epochs,
            "alpha": alpha,
            "batch": batch,
            "repeats": args.repeats,
            "activation": "sigmoid",
            "cost": "squared error, gradient averaged over each batch",
            "lambda": 0.0,
            "shuffle": False,
            "x": f"../data/{data}.x.f64",
            "y": f"../data/{data}.y.f64",
            "weights": "weights0.f64",
            "weights_init": f"uniform +-sqrt(6/(fan_in+fan_out)), default_rng({seed}); biases 0",
        }
        (d / "spec.json").write_text(json.dumps(spec, indent=2) + "\n")
        listed.append(f"{name}/spec.json")
        print(f"{name}/spec.json: {title}")
    (out / "workloads.json").write_text(json.dumps({"workloads": listed}, indent=2) + "\n")


if __name__ == "__main__":
    main()
