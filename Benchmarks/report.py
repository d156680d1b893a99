#!/usr/bin/env python3
"""Print the benchmark's one table from what run.sh left in DIR/results/.

    python3 Benchmarks/report.py DIR

Reads summary.json (run_peers.py, with backprop-bench as the extra program
"backprop"), dgemm.json (backprop-bench --dgemm) and W3.backprop-streamed.json
(backprop-bench --chunk), and prints, as Markdown: samples/s of Backprop and every
peer per workload, Backprop / peer and Backprop / best peer against the targets of
issue 5, W3's share of the machine's DGEMM rate, W3's peak memory, and how far
Backprop's final weights are from NumPy's; and, per workload, how many cores other
processes kept busy meanwhile (run_peers.py measures it; above about 0.3 that row's
figures are unreliable).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

PEERS = [("numpy", "NumPy"), ("torch", "PyTorch"), ("jax", "JAX")]
TARGET = {"W1": 1.0, "W2": 1.5, "W3": 1.5, "W4": 1.5}  # Backprop / best peer
DGEMM_SHARE_TARGET = 0.40
MEMORY_TARGET = 150e6  # bytes (MB = 10⁶ bytes throughout)
AGREEMENT_TARGET = 1e-9


def rate(r: float) -> str:
    if r >= 1e6:
        return f"{r / 1e6:.2f} M"
    if r >= 1e3:
        return f"{r / 1e3:.1f} k"
    return f"{r:.0f}"


def ratio(x: float) -> str:
    return f"{x:.2f}×" if x < 10 else f"{x:.0f}×"


def mb(n: float) -> str:
    return f"{n / 1e6:.0f} MB"


def mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def flops_per_sample(layers: list[int]) -> int:
    """Floating-point operations of the products per sample: z = Θa (forward),
    Θᵀδ (backward, layers 2 … L) and δaᵀ (gradients), 2 per multiply-add."""
    pairs = [p * n for p, n in zip(layers[:-1], layers[1:])]
    return 2 * (2 * sum(pairs) + sum(pairs[1:]))


def main() -> int:
    root = Path(sys.argv[1]).resolve()
    res = root / "results"
    summary = json.loads((res / "summary.json").read_text())
    results = summary["results"]
    names = sorted({w for r in results.values() for w in r})
    specs = {w: json.loads((res / f"{w}.spec.json").read_text()) for w in names}
    bp = results.get("backprop", {})

    def ok(peer: str, w: str) -> dict | None:
        r = results.get(peer, {}).get(w)
        return r if r and r.get("status") == "ok" else None

    head = ["workload", "Backprop"] + [p[1] for p in PEERS]
    head += [f"Backprop / {p[1]}" for p in PEERS] + ["Backprop / best peer", "target", "verdict",
                                                     "other processes (cores)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for w in names:
        mine = ok("backprop", w)
        row = [f"{w} {specs[w].get('title', '')}"]
        row.append(rate(mine["samples_per_second"]) if mine else
                   bp.get(w, {}).get("status", "not run"))
        best = None
        for peer, _ in PEERS:
            r = ok(peer, w)
            if r:
                row.append(rate(r["samples_per_second"]))
                if best is None or r["samples_per_second"] > best[1]:
                    best = (peer, r["samples_per_second"])
            else:
                row.append(results.get(peer, {}).get(w, {}).get("status", "not run"))
        for peer, _ in PEERS:
            r = ok(peer, w)
            row.append(ratio(mine["samples_per_second"] / r["samples_per_second"]) if mine and r else "–")
        target = TARGET.get(w)
        if mine and best:
            q = mine["samples_per_second"] / best[1]
            label = dict(PEERS)[best[0]]
            row += [f"{ratio(q)} ({label})", f"≥ {target:.1f}×" if target else "", mark(q >= target) if target else ""]
        else:
            row += ["–", f"≥ {target:.1f}×" if target else "", "no peer ran" if mine else ""]
        # Cores other processes kept busy while the programs of this workload ran (the
        # most of any program): above about 0.3 the row's figures are unreliable.
        busy = [r.get("other_processes_cores") for r in (ok(p, w) for p in results) if r]
        busy = [b for b in busy if b is not None]
        row.append(f"{max(busy):.2f}" if busy else "–")
        lines.append("| " + " | ".join(row) + " |")

    def extra(label: str, value: str, target: str, verdict: str) -> None:
        cells = [label, value] + [""] * (2 * len(PEERS) + 1) + [target, verdict, ""]
        lines.append("| " + " | ".join(cells) + " |")

    # W3 as a share of the machine's DGEMM rate.
    dgemm = {}
    try:
        dgemm = json.loads((res / "dgemm.json").read_text())
    except (OSError, ValueError):
        pass
    w3 = ok("backprop", "W3")
    if w3:
        # The share is measured on the run with every product dense: the main run skips
        # the zero inputs of layer 1, and its rate in dense-equivalent FLOP/s (shown
        # too) is not a rate of multiply-adds done.
        try:
            dense = json.loads((res / "W3.backprop-dense.json").read_text())
        except (OSError, ValueError):
            dense = None
        layers = specs["W3"]["layers"]
        equivalent = flops_per_sample(layers) * w3["samples_per_second"] / 1e9
        if dgemm.get("gflops") and dense:
            gflops = flops_per_sample(layers) * dense["samples_per_second"] / 1e9
            share = gflops / dgemm["gflops"]
            extra("W3 share of DGEMM rate, every product dense",
                  f"{100 * share:.0f}% ({gflops:.1f} of {dgemm['gflops']:.1f} GFLOP/s at {dgemm['n']}³; "
                  f"{rate(dense['samples_per_second'])} samples/s dense, {equivalent:.1f} GFLOP/s "
                  f"dense-equivalent over the nonzero inputs)",
                  f"≥ {100 * DGEMM_SHARE_TARGET:.0f}%", mark(share >= DGEMM_SHARE_TARGET))
        else:
            extra("W3 share of DGEMM rate", f"{equivalent:.1f} GFLOP/s dense-equivalent; DGEMM rate or dense "
                  f"run missing ({dgemm.get('kernel', 'no tuned kernel')})", f"≥ {100 * DGEMM_SHARE_TARGET:.0f}%", "–")
        peak = w3.get("max_rss_bytes", 0)
        data = w3.get("data_bytes", 0)
        before = w3.get("rss_before_training_bytes", 0)
        value = (f"{mb(peak)} (the float64 data set, held in memory as by every peer: {mb(data)}; "
                 f"training added {mb(max(peak - before, 0))})")
        extra("W3 peak memory, data in memory", value, f"< {mb(MEMORY_TARGET)}", mark(peak < MEMORY_TARGET))
        try:
            s = json.loads((res / "W3.backprop-streamed.json").read_text())
            same = np.array_equal(np.fromfile(s["final_weights"]), np.fromfile(w3["final_weights"]))
            extra("W3 peak memory, data streamed from disk",
                  f"{mb(s['max_rss_bytes'])} ({rate(s['samples_per_second'])} samples/s in the "
                  f"train calls; final weights {'identical' if same else 'DIFFERENT'})",
                  f"< {mb(MEMORY_TARGET)}", mark(s["max_rss_bytes"] < MEMORY_TARGET and same))
        except (OSError, ValueError, KeyError):
            extra("W3 peak memory, data streamed from disk", "not run", "", "")

    w2 = ok("backprop", "W2")
    if w2 and w2.get("max_rel_diff_vs_numpy") is not None:
        d = w2["max_rel_diff_vs_numpy"]
        extra("W2 final weights vs NumPy's", f"max ∣w − w_NumPy∣ / max ∣w_NumPy∣ = {d:.1e}",
              f"< {AGREEMENT_TARGET:.0e}", mark(d < AGREEMENT_TARGET))
    elif w2:
        extra("W2 final weights vs NumPy's", "NumPy did not run", f"< {AGREEMENT_TARGET:.0e}", "–")

    print("\n".join(lines))
    print()
    threshold = next((r.get("external_threshold") for r in bp.values() if r.get("external_threshold")), None)
    paths = [f"{w} layer 1 {bp[w].get('layer1', '?')}, {bp[w].get('kernel', '?')}" for w in names
             if ok("backprop", w)]
    threads = sorted({str(bp[w].get("threads", "?")) for w in names if ok("backprop", w)})
    print("Backprop's products: " + ("; ".join(paths) or "–")
          + (f" (products of up to {bp[names[0]].get('small_product_limit')} multiply-adds in the "
             f"engine's register tiles, larger ones in the tuned kernel)" if threshold else "")
          + f"; engine threads: {', '.join(threads) or '?'} (a large batch is split between them)")
    diffs = {w: bp[w].get("max_rel_diff_vs_numpy") for w in names if ok("backprop", w)}
    print("Backprop's final weights vs NumPy's: "
          + ", ".join(f"{w} {d:.1e}" for w, d in diffs.items() if d is not None))
    np_any = next((r for r in results.get("numpy", {}).values() if r.get("status") == "ok"), None)
    if np_any:
        b = np_any.get("blas", {})
        print(f"NumPy {np_any['versions']['numpy']}: {b.get('internal_api')} {b.get('version')}, "
              f"kernel {b.get('kernel')}, {np_any.get('threads')} threads")
    for peer in ("torch", "jax"):
        r = next((r for r in results.get(peer, {}).values() if r.get("status") == "ok"), None)
        if r:
            print(f"{dict(PEERS)[peer]} {r['versions'].get(peer)}: {r.get('threads')} threads")
    counts = sorted({r.get("repeats") for rs in results.values() for r in rs.values()
                     if r.get("status") == "ok" and r.get("repeats")})
    runs = "/".join(str(c) for c in counts) or "?"
    reps = "1 run each (quick)" if summary.get("quick") else f"median of {runs} runs after 1 untimed run"
    print(f"samples/s over the training loop only, {reps}, float64; {summary['machine']}, "
          f"{summary['cores']} cores")
    try:
        tail = (res / "summary.md").read_text().strip().splitlines()[-1]
        if tail.startswith("load average"):
            print(tail)
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
