#!/usr/bin/env python3
"""NumPy peer, vectorised matrix form: one batch is one matrix, samples in rows.

    python3 numpy_peer.py SPEC.json OUT.json      (formats: see common.py)

Per batch of m consecutive samples (rows of A(0)), sigmoid on every layer:
    A(l) = g(A(l-1) Theta(l)^T + b(l))
    D(L) = (A(L) - Y) * A(L) * (1 - A(L))
    D(l) = (D(l+1) Theta(l+1)) * A(l) * (1 - A(l))      (with the old Theta(l+1))
    Theta(l) -= alpha * (D(l)^T A(l-1) / m),  b(l) -= alpha * (sum of D(l) rows / m)
"""
import numpy as np

from common import base_versions, batches, blas_info, finish, main_args, now

np.seterr(over="ignore")  # exp(-z) overflows to inf for z << 0; 1/(1+inf) = 0 is right


def train(params, x, y, epochs, alpha, m):
    thetas = [t for t, _ in params]
    bs = [b for _, b in params]
    L = len(thetas)
    spans = [(x[s:e], y[s:e], e - s) for s, e in batches(x.shape[0], m)]
    for _ in range(epochs):
        for xb, yb, mb in spans:
            a = [xb]
            for l in range(L):
                z = a[l] @ thetas[l].T
                z += bs[l]
                np.negative(z, out=z)
                np.exp(z, out=z)
                z += 1.0
                np.reciprocal(z, out=z)
                a.append(z)
            aL = a[L]
            d = (aL - yb) * aL * (1.0 - aL)
            for l in range(L - 1, -1, -1):
                grad = d.T @ a[l]
                gb = d.sum(axis=0)
                if l > 0:
                    al = a[l]
                    d = (d @ thetas[l]) * al * (1.0 - al)
                thetas[l] -= alpha * (grad / mb)
                bs[l] -= alpha * (gb / mb)
    return list(zip(thetas, bs))


def main():
    spec, out = main_args()
    x, y = spec.load_xy()
    initial = spec.load_weights()

    for _ in range(spec.warmup):
        train([(t.copy(), b.copy()) for t, b in initial], x, y, spec.epochs, spec.alpha, spec.batch)
    seconds, final = [], None
    for _ in range(spec.repeats):
        params = [(t.copy(), b.copy()) for t, b in initial]
        t0 = now()
        final = train(params, x, y, spec.epochs, spec.alpha, spec.batch)
        seconds.append(now() - t0)

    libs = blas_info()
    blas = [lib for lib in libs if lib.get("user_api") == "blas"]
    finish(spec, out, "numpy", seconds, final, {
        "versions": base_versions(),
        "threads": blas[0].get("num_threads") if blas else None,
        "blas": {
            "internal_api": blas[0].get("internal_api") if blas else None,
            "kernel": blas[0].get("architecture") if blas else None,
            "version": blas[0].get("version") if blas else None,
            "libraries": libs,
        },
    })


if __name__ == "__main__":
    main()
