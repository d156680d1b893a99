#!/usr/bin/env python3
"""JAX peer: float64 (jax_enable_x64), the whole training run compiled once.

    python3 jax_peer.py SPEC.json OUT.json      (formats: see common.py)

The epoch loop and the batch loop are both lax.scan inside one jax.jit function,
so one call trains every epoch. The full batches are scanned; a smaller last
batch (when the batch size does not divide N) is one more step at the end of
each epoch. Compilation (lower + compile, ahead of time) is timed separately
and reported as compile_seconds; it is not part of seconds or
samples_per_second. Same equations as numpy_peer.py.
"""
import os

import jax

jax.config.update("jax_enable_x64", True)

import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

from common import base_versions, finish, main_args, now  # noqa: E402


def make_run(epochs: int, alpha: float, has_rest: bool):
    def step(params, xb, yb):
        mb = xb.shape[0]
        a = [xb]
        for theta, b in params:
            a.append(1.0 / (1.0 + jnp.exp(-(a[-1] @ theta.T + b))))
        aL = a[-1]
        d = (aL - yb) * aL * (1.0 - aL)
        new = [None] * len(params)
        for l in range(len(params) - 1, -1, -1):
            theta, b = params[l]
            grad = d.T @ a[l]
            gb = d.sum(axis=0)
            if l > 0:
                d = (d @ theta) * a[l] * (1.0 - a[l])
            new[l] = (theta - alpha * (grad / mb), b - alpha * (gb / mb))
        return tuple(new)

    def run(params, xf, yf, xr, yr):
        def one_batch(p, xy):
            return step(p, xy[0], xy[1]), None

        def one_epoch(p, _):
            p, _ = lax.scan(one_batch, p, (xf, yf))
            if has_rest:
                p = step(p, xr, yr)
            return p, None

        params, _ = lax.scan(one_epoch, params, None, length=epochs)
        return params

    return run


def main():
    spec, out = main_args()
    x, y = spec.load_xy()
    initial = spec.load_weights()
    n, m = spec.samples, spec.batch
    full = n // m
    rest = n - full * m

    xf = jnp.asarray(x[: full * m].reshape(full, m, -1))
    yf = jnp.asarray(y[: full * m].reshape(full, m, -1))
    xr = jnp.asarray(x[full * m:] if rest else x[:1])  # placeholder when no rest
    yr = jnp.asarray(y[full * m:] if rest else y[:1])
    params0 = tuple((jnp.asarray(t), jnp.asarray(b)) for t, b in initial)
    jax.block_until_ready((xf, yf, xr, yr, params0))

    run = jax.jit(make_run(spec.epochs, spec.alpha, rest > 0))
    t0 = now()
    compiled = run.lower(params0, xf, yf, xr, yr).compile()
    compile_seconds = now() - t0

    for _ in range(spec.warmup):
        jax.block_until_ready(compiled(params0, xf, yf, xr, yr))
    seconds, final = [], None
    for _ in range(spec.repeats):
        t0 = now()
        final = compiled(params0, xf, yf, xr, yr)
        jax.block_until_ready(final)
        seconds.append(now() - t0)

    final = [(np.asarray(t), np.asarray(b)) for t, b in final]
    versions = base_versions()
    versions["jax"] = jax.__version__
    import jaxlib
    versions["jaxlib"] = jaxlib.__version__
    finish(spec, out, "jax", seconds, final, {
        "compile_seconds": compile_seconds,
        "versions": versions,
        "threads": os.cpu_count(),
        "threads_note": "XLA CPU: its own intra-op thread pool, default size = cores",
        "devices": [str(d) for d in jax.devices()],
        "xla_flags": os.environ.get("XLA_FLAGS", ""),
    })


if __name__ == "__main__":
    main()
