#!/usr/bin/env python3
"""Run every peer on every workload, print samples/s, compile times, agreement.

    python3 Benchmarks/run_peers.py DIR [--quick] [--peers numpy,torch,jax]
                                        [--workloads W1,W2,W3,W4]
                                        [--extra NAME=COMMAND ...]

DIR holds the workloads of make_workloads.py (made there first when
DIR/workloads.json is missing). Results go to DIR/results/: one OUT.json and
final-weights file per peer and workload, plus summary.json and summary.md.

Each peer runs in its own process as `python3 peers/X_peer.py SPEC.json OUT.json`,
with OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE removed from its environment (some
machines set them for old OpenBLAS builds; they slow NumPy's bundled OpenBLAS).
--extra adds another program with the same interface, e.g. the Swift engine:
`--extra backprop=".build/release/backprop-bench"` runs `COMMAND SPEC.json OUT.json`.

--quick: 1 run per peer and workload instead of the spec's `repeats` (5), and no
untimed warm-up run before it (`warmup`, 1).
--wait-quiet S: before each run wait up to S seconds for the machine to be idle.
For every run the table also says how many cores other processes kept busy
meanwhile: figures measured beside other work are low and noisy.

Agreement: for every peer, max |w - w_numpy| / max |w_numpy| over all final
weights and biases, against NumPy's final weights on the same workload.
A peer whose package is missing is reported as "not installed".
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
PEERS = {  # name: (script, modules it needs)
    "numpy": ("numpy_peer.py", ["numpy", "threadpoolctl"]),
    "torch": ("torch_peer.py", ["torch"]),
    "jax": ("jax_peer.py", ["jax", "jaxlib"]),
}
UNSET = ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")
TIMEOUT = 900


def fmt_rate(r: float) -> str:
    if r >= 1e6:
        return f"{r / 1e6:.2f} M"
    if r >= 1e3:
        return f"{r / 1e3:.1f} k"
    return f"{r:.0f}"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_avg() -> str:
    try:
        return " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        return "?"


def busy_seconds() -> float | None:
    """CPU seconds spent by everything on the machine (all cores), from /proc/stat."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(v) for v in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle + iowait
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def wait_quiet(limit: float, window: float = 2.0, threshold: float = 0.15) -> float:
    """Waits (at most `limit` s) for two windows in a row in which other processes
    kept fewer than `threshold` cores busy. Returns the seconds waited."""
    t0 = time.perf_counter()
    calm = 0
    while time.perf_counter() - t0 < limit:
        b0 = busy_seconds()
        if b0 is None:
            break
        time.sleep(window)
        cores = (busy_seconds() - b0) / window
        calm = calm + 1 if cores < threshold else 0
        if calm >= 2:
            break
    return time.perf_counter() - t0


def children_cpu() -> float:
    import resource
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def read_weights(path: Path) -> np.ndarray:
    return np.fromfile(path, dtype="<f8")


def quality(spec: dict, spec_dir: Path, flat: np.ndarray) -> dict:
    """Cost J (sum over samples of 1/2 ||y - a||^2, divided by N) and accuracy."""
    layers = spec["layers"]
    n = spec["samples"]
    x = np.fromfile(spec_dir / spec["x"], dtype="<f8").reshape(n, layers[0])
    y = np.fromfile(spec_dir / spec["y"], dtype="<f8").reshape(n, layers[-1])
    a, at = x, 0
    with np.errstate(over="ignore"):
        for p, q in zip(layers[:-1], layers[1:]):
            theta = flat[at: at + q * p].reshape(q, p)
            at += q * p
            b = flat[at: at + q]
            at += q
            a = 1.0 / (1.0 + np.exp(-(a @ theta.T + b)))
    cost = 0.5 * float(((a - y) ** 2).sum()) / n
    if layers[-1] == 1:
        acc = float(((a[:, 0] > 0.5) == (y[:, 0] > 0.5)).mean())
    else:
        acc = float((a.argmax(1) == y.argmax(1)).mean())
    return {"mean_cost": cost, "accuracy": acc}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dir", type=Path)
    ap.add_argument("--quick", action="store_true", help="1 run instead of 3")
    ap.add_argument("--peers", default=",".join(PEERS))
    ap.add_argument("--workloads", default=None, help="e.g. W1,W2 (default: all)")
    ap.add_argument("--extra", action="append", default=[], metavar="NAME=COMMAND")
    ap.add_argument("--wait-quiet", type=float, default=0.0, metavar="SECONDS",
                    help="before each run, wait up to SECONDS for the other processes "
                         "to leave the processors idle (for shared machines)")
    args = ap.parse_args()

    root: Path = args.dir.resolve()
    if not (root / "workloads.json").exists():
        print(f"making workloads in {root}", flush=True)
        subprocess.run([sys.executable, str(HERE / "make_workloads.py"), str(root)], check=True)
    listed = json.loads((root / "workloads.json").read_text())["workloads"]
    specs = []
    for rel in listed:
        path = root / rel
        spec = json.loads(path.read_text())
        if args.workloads and spec["name"] not in args.workloads.split(","):
            continue
        specs.append((path, spec))
    results_dir = root / "results"
    results_dir.mkdir(exist_ok=True)

    env = dict(os.environ)
    removed = {k: env.pop(k) for k in UNSET if k in env}

    peers: list[tuple[str, list[str] | None, str]] = []  # name, command, status
    for name in args.peers.split(","):
        name = name.strip()
        if name not in PEERS:
            raise SystemExit(f"unknown peer {name!r}; known: {', '.join(PEERS)}")
        script, modules = PEERS[name]
        missing = [m for m in modules if importlib.util.find_spec(m) is None]
        if missing:
            peers.append((name, None, f"not installed ({', '.join(missing)})"))
        else:
            peers.append((name, [sys.executable, str(HERE / "peers" / script)], "ok"))
    for item in args.extra:
        name, _, command = item.partition("=")
        peers.append((name, shlex.split(command), "ok"))

    print(f"machine: {cpu_model()}, {os.cpu_count()} cores, python {platform.python_version()}")
    print(f"environment for the peers: removed {', '.join(f'{k}={v}' for k, v in removed.items()) or 'nothing'}"
          f" ({' and '.join(UNSET)} unset)")
    before = load_avg()
    print(f"load average before: {before}", flush=True)
    if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
        print("warning: other processes are using the processors; the figures will be low "
              "and noisy (PyTorch's threads suffer most)", flush=True)

    results: dict[str, dict[str, dict]] = {p[0]: {} for p in peers}
    t_start = time.perf_counter()
    for spec_path, spec in specs:
        run_spec = dict(spec)
        for key in ("x", "y", "weights"):
            run_spec[key] = str((spec_path.parent / spec[key]).resolve())
        if args.quick:
            run_spec["repeats"] = 1
            run_spec["warmup"] = 0
        run_spec_path = results_dir / f"{spec['name']}.spec.json"
        run_spec_path.write_text(json.dumps(run_spec, indent=2) + "\n")
        for name, command, status in peers:
            if command is None:
                results[name][spec["name"]] = {"status": status}
                continue
            out = results_dir / f"{spec['name']}.{name}.json"
            out.unlink(missing_ok=True)
            if args.wait_quiet > 0:
                wait_quiet(args.wait_quiet)
            print(f"  {spec['name']} {name} ...", end=" ", flush=True)
            t0, busy0, mine0 = time.perf_counter(), busy_seconds(), children_cpu()
            try:
                proc = subprocess.run(command + [str(run_spec_path), str(out)], env=env,
                                      capture_output=True, text=True, timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                results[name][spec["name"]] = {"status": f"timeout after {TIMEOUT} s"}
                print("timeout", flush=True)
                continue
            except OSError as e:
                results[name][spec["name"]] = {"status": f"failed: {e}"}
                print(f"failed: {e}", flush=True)
                continue
            wall = time.perf_counter() - t0
            busy1, mine1 = busy_seconds(), children_cpu()
            # cores kept busy by other processes while this peer ran (0 = machine was ours)
            others = (None if busy0 is None or busy1 is None
                      else max(0.0, (busy1 - busy0) - (mine1 - mine0)) / wall)
            if proc.returncode != 0 or not out.exists():
                last = (proc.stderr.strip().splitlines() or ["(no output)"])[-1]
                results[name][spec["name"]] = {"status": f"failed (exit {proc.returncode}): {last}"}
                print(f"failed: {last}", flush=True)
                continue
            r = json.loads(out.read_text())
            r["status"] = "ok"
            r["wall_seconds"] = wall
            r["other_processes_cores"] = others
            results[name][spec["name"]] = r
            busy_note = "" if others is None else f", other processes used {others:.2f} cores"
            print(f"{fmt_rate(r['samples_per_second'])} samples/s ({wall:.1f} s wall{busy_note})",
                  flush=True)

    # agreement with NumPy, and what NumPy's final weights achieve
    for _, spec in specs:
        w = spec["name"]
        ref = results.get("numpy", {}).get(w, {})
        ref_w = read_weights(Path(ref["final_weights"])) if ref.get("status") == "ok" else None
        if ref_w is not None:
            ref["quality"] = quality(spec, root / w, ref_w)
        for name, _, _ in peers:
            r = results[name].get(w, {})
            if r.get("status") != "ok" or ref_w is None:
                continue
            pw = read_weights(Path(r["final_weights"]))
            if pw.shape != ref_w.shape:
                r["max_rel_diff_vs_numpy"] = float("nan")
            else:
                r["max_rel_diff_vs_numpy"] = float(np.abs(pw - ref_w).max() / np.abs(ref_w).max())

    total = time.perf_counter() - t_start
    names = [s["name"] for _, s in specs]
    titles = {s["name"]: s.get("title", s["name"]) for _, s in specs}

    def cell(name, w, what):
        r = results[name].get(w, {})
        if r.get("status") != "ok":
            return r.get("status", "-")
        if what == "rate":
            return fmt_rate(r["samples_per_second"])
        if what == "compile":
            c = r.get("compile_seconds")
            return "-" if c is None else f"{c:.2f} s"
        if what == "others":
            o = r.get("other_processes_cores")
            return "-" if o is None else f"{o:.2f}"
        if what == "diff":
            d = r.get("max_rel_diff_vs_numpy")
            return "-" if d is None else f"{d:.1e}"
        return "?"

    lines = []
    reps = "1 run (--quick)" if args.quick else "median of the spec's repeats after its untimed warm-up runs"
    lines.append(f"samples/s over the training loop only, {reps}; float64; "
                 f"{cpu_model()}, {os.cpu_count()} cores")
    lines.append("")
    lines.append("| peer | " + " | ".join(f"{w} {titles[w]}" for w in names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for name, _, _ in peers:
        lines.append(f"| {name} | " + " | ".join(cell(name, w, "rate") for w in names) + " |")
    lines.append("")
    lines.append("compile time (not counted above):")
    lines.append("")
    lines.append("| peer | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for name, _, _ in peers:
        if any(results[name].get(w, {}).get("compile_seconds") is not None for w in names):
            lines.append(f"| {name} | " + " | ".join(cell(name, w, "compile") for w in names) + " |")
    lines.append("")
    lines.append("cores kept busy by other processes while each peer ran "
                 "(0 = a quiet machine; above about 0.3 the figure above is unreliable):")
    lines.append("")
    lines.append("| peer | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for name, _, _ in peers:
        lines.append(f"| {name} | " + " | ".join(cell(name, w, "others") for w in names) + " |")
    lines.append("")
    lines.append("final weights vs NumPy's, max |w - w_numpy| / max |w_numpy|:")
    lines.append("")
    lines.append("| peer | " + " | ".join(names) + " |")
    lines.append("|---|" + "---|" * len(names))
    for name, _, _ in peers:
        if name != "numpy":
            lines.append(f"| {name} | " + " | ".join(cell(name, w, "diff") for w in names) + " |")
    lines.append("")
    for w in names:
        q = results.get("numpy", {}).get(w, {}).get("quality")
        if q:
            lines.append(f"{w} after training (NumPy's weights): mean cost {q['mean_cost']:.6g}, "
                         f"training accuracy {100 * q['accuracy']:.2f}%")
    np_any = next((r for r in results.get("numpy", {}).values() if r.get("status") == "ok"), None)
    if np_any:
        b = np_any["blas"]
        lines.append(f"NumPy {np_any['versions']['numpy']}: BLAS {b.get('internal_api')} "
                     f"{b.get('version')}, kernel {b.get('kernel')}, {np_any.get('threads')} threads")
    for name in ("torch", "jax"):
        r = next((r for r in results.get(name, {}).values() if r.get("status") == "ok"), None)
        if r:
            v = r["versions"].get(name)
            lines.append(f"{name} {v}: {r.get('threads')} threads")
    lines.append(f"peers' environment: {' and '.join(UNSET)} unset"
                 f" (were: {', '.join(f'{k}={v}' for k, v in removed.items()) or 'not set'})")
    lines.append(f"load average (1, 5, 15 min) before: {before}, after: {load_avg()}; "
                 f"total {total:.0f} s")
    text = "\n".join(lines)
    print()
    print(text)
    (results_dir / "summary.md").write_text(text + "\n")
    (results_dir / "summary.json").write_text(json.dumps({
        "machine": cpu_model(), "cores": os.cpu_count(), "quick": args.quick,
        "unset": list(UNSET), "removed": removed, "results": results,
    }, indent=2) + "\n")
    failed = any(r.get("status", "ok") != "ok" and not r["status"].startswith("not installed")
                 for pr in results.values() for r in pr.values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
