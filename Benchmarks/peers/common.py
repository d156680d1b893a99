"""What every peer shares: the spec, the raw float64 files, timing, OUT.json.

Interface of every peer:  python3 X_peer.py SPEC.json OUT.json

SPEC.json (paths are relative to the directory of SPEC.json unless absolute):

    {"format": "backprop-peer-spec/1", "name": "W1", "title": "...",
     "layers": [2, 2, 1],          n_0 ... n_L
     "samples": 4,                 N
     "epochs": 20000, "alpha": 0.5, "batch": 1, "repeats": 3,
     "x": "x.f64",                 N x n_0, float64 little-endian, row-major
     "y": "y.f64",                 N x n_L, same
     "weights": "weights0.f64"}    for l = 1..L: Theta(l) (n_l x n_(l-1), row-major)
                                   then b(l) (n_l), all concatenated, float64 LE

A peer trains `warmup` times untimed (default 1), then `repeats` times timed, each
run from the initial weights, and writes
OUT.json plus the final weights of its last run, in the weights format above, to
OUT.json's path with ".json" replaced by ".weights.f64".
"""
from __future__ import annotations

import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

FORMAT = "backprop-peer-spec/1"
F64 = np.dtype("<f8")


class Spec:
    def __init__(self, path: str | os.PathLike):
        self.path = Path(path).resolve()
        raw = json.loads(self.path.read_text())
        if raw.get("format") != FORMAT:
            raise SystemExit(f"{path}: format is {raw.get('format')!r}, expected {FORMAT!r}")
        self.raw = raw
        self.name: str = raw["name"]
        self.layers: list[int] = [int(n) for n in raw["layers"]]
        self.samples: int = int(raw["samples"])
        self.epochs: int = int(raw["epochs"])
        self.alpha: float = float(raw["alpha"])
        self.batch: int = int(raw["batch"])
        self.repeats: int = int(raw.get("repeats", 3))
        # Untimed runs before the timed ones: libraries loaded, threads started, caches
        # and allocators warm, for every program alike (JAX also compiles before them).
        self.warmup: int = int(raw.get("warmup", 1))

    def file(self, key: str) -> Path:
        p = Path(self.raw[key])
        return p if p.is_absolute() else self.path.parent / p

    def load_xy(self) -> tuple[np.ndarray, np.ndarray]:
        n0, nL, N = self.layers[0], self.layers[-1], self.samples
        x = read_f64(self.file("x"), (N, n0))
        y = read_f64(self.file("y"), (N, nL))
        return x, y

    def load_weights(self) -> list[tuple[np.ndarray, np.ndarray]]:
        return read_weights(self.file("weights"), self.layers)


def read_f64(path: Path, shape: tuple[int, ...]) -> np.ndarray:
    count = int(np.prod(shape))
    size = os.path.getsize(path)
    if size != count * 8:
        raise SystemExit(f"{path}: {size} bytes, expected {count * 8} for shape {shape}")
    return np.fromfile(path, dtype=F64).reshape(shape).astype(np.float64, copy=False)


def weight_count(layers: list[int]) -> int:
    return sum(n * p + n for p, n in zip(layers[:-1], layers[1:]))


def read_weights(path: Path, layers: list[int]) -> list[tuple[np.ndarray, np.ndarray]]:
    flat = read_f64(path, (weight_count(layers),))
    out, at = [], 0
    for p, n in zip(layers[:-1], layers[1:]):
        theta = flat[at : at + n * p].reshape(n, p).copy()
        at += n * p
        b = flat[at : at + n].copy()
        at += n
        out.append((theta, b))
    return out


def write_weights(path: Path, params) -> None:
    parts = []
    for theta, b in params:
        parts.append(np.ascontiguousarray(theta, dtype=F64).ravel())
        parts.append(np.ascontiguousarray(b, dtype=F64).ravel())
    np.concatenate(parts).astype(F64).tofile(path)


def batches(n: int, m: int) -> list[tuple[int, int]]:
    """Consecutive batches [start, stop) of m samples; the last may be smaller."""
    return [(s, min(s + m, n)) for s in range(0, n, m)]


def blas_info() -> list[dict]:
    """The BLAS/OpenMP libraries loaded in this process (threadpoolctl), if available."""
    try:
        from threadpoolctl import threadpool_info
    except ImportError:
        return [{"error": "threadpoolctl not installed"}]
    keep = ("user_api", "internal_api", "prefix", "version", "architecture",
            "threading_layer", "num_threads", "filepath")
    return [{k: lib.get(k) for k in keep if k in lib} for lib in threadpool_info()]


def base_versions() -> dict:
    return {"python": platform.python_version(), "numpy": np.__version__}


def timed_runs(spec: Spec, run_once) -> tuple[list[float], object]:
    """Calls run_once() `repeats` times; run_once returns (seconds, final_params)."""
    seconds, final = [], None
    for _ in range(spec.repeats):
        s, final = run_once()
        seconds.append(s)
    return seconds, final


def finish(spec: Spec, out_path: str, peer: str, seconds: list[float], final_params,
           extra: dict) -> None:
    out = Path(out_path).resolve()
    out.parent.mkdir(parents=True, exist_ok=True)
    wpath = out.with_name(out.name[:-5] + ".weights.f64" if out.name.endswith(".json")
                          else out.name + ".weights.f64")
    write_weights(wpath, final_params)
    med = statistics.median(seconds)
    trained = spec.samples * spec.epochs
    result = {
        "peer": peer,
        "workload": spec.name,
        "layers": spec.layers,
        "samples_trained": trained,
        "samples_per_second": trained / med,
        "seconds": med,
        "seconds_all": seconds,
        "repeats": spec.repeats,
        "warmup_runs": spec.warmup,
        "compile_seconds": None,
        "final_weights": str(wpath),
    }
    result.update(extra)
    out.write_text(json.dumps(result, indent=2) + "\n")


def main_args() -> tuple[Spec, str]:
    if len(sys.argv) != 3:
        raise SystemExit(f"usage: python3 {Path(sys.argv[0]).name} SPEC.json OUT.json")
    return Spec(sys.argv[1]), sys.argv[2]


now = time.perf_counter
