#!/usr/bin/env python3
"""PyTorch peer: CPU, float64, 2 threads, the way a student would write it.

    python3 torch_peer.py SPEC.json OUT.json      (formats: see common.py)

nn.Linear + nn.Sigmoid per layer, cost 1/2 * summed squared error divided by the
batch size (so the gradient is the batch mean of the lecture's per-sample
gradient), loss.backward(), torch.optim.SGD(lr=alpha), no momentum, no weight
decay, batches of consecutive samples, no shuffling.
"""
import torch
from torch import nn

from common import base_versions, batches, blas_info, finish, main_args, now

THREADS = 2


def build(initial):
    layers = []
    for theta, b in initial:
        n, p = theta.shape
        lin = nn.Linear(p, n, bias=True, dtype=torch.float64)
        layers += [lin, nn.Sigmoid()]
    return nn.Sequential(*layers)


def load(model, initial):
    with torch.no_grad():
        lins = [m for m in model if isinstance(m, nn.Linear)]
        for lin, (theta, b) in zip(lins, initial):
            lin.weight.copy_(torch.from_numpy(theta))
            lin.bias.copy_(torch.from_numpy(b))


def train(model, x, y, epochs, alpha, m):
    opt = torch.optim.SGD(model.parameters(), lr=alpha)
    spans = batches(x.shape[0], m)
    for _ in range(epochs):
        for s, e in spans:
            xb, yb = x[s:e], y[s:e]
            opt.zero_grad(set_to_none=True)
            a = model(xb)
            loss = 0.5 * ((a - yb) ** 2).sum() / (e - s)
            loss.backward()
            opt.step()


def main():
    torch.set_num_threads(THREADS)
    spec, out = main_args()
    xn, yn = spec.load_xy()
    x, y = torch.from_numpy(xn), torch.from_numpy(yn)
    initial = spec.load_weights()
    model = build(initial)

    for _ in range(spec.warmup):
        load(model, initial)
        train(model, x, y, spec.epochs, spec.alpha, spec.batch)
    seconds = []
    for _ in range(spec.repeats):
        load(model, initial)
        t0 = now()
        train(model, x, y, spec.epochs, spec.alpha, spec.batch)
        seconds.append(now() - t0)

    lins = [m for m in model if isinstance(m, nn.Linear)]
    final = [(l.weight.detach().numpy(), l.bias.detach().numpy()) for l in lins]
    versions = base_versions()
    versions["torch"] = torch.__version__
    finish(spec, out, "torch", seconds, final, {
        "versions": versions,
        "threads": torch.get_num_threads(),
        "blas": {"libraries": blas_info(),
                 "torch_config": torch.__config__.show().strip().splitlines()},
    })


if __name__ == "__main__":
    main()
