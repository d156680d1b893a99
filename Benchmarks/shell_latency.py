#!/usr/bin/env python3
"""Start-up time to the first prompt, and the time of each inspection command on a
2-2-1 network, measured through a pseudo-terminal as a user would see them.

usage: python3 Benchmarks/shell_latency.py [path/to/backprop] [--runs N]
The per-command time includes the pseudo-terminal's round trip, so it is an upper
bound on the command's own time.
"""
import os
import statistics
import sys
import time

import pexpect

PROMPT = "backprop> "
COMMANDS = [
    "forward", "backward", "show z", "show a", "show delta", "show theta", "show b",
    "show grad", "show cost", "show net", "explain z 1 1", "explain a 2 1",
    "explain delta 1 1", "explain grad 2 1 1", "explain grad 1 1 1", "explain cost",
    "step", "check",
]
SETUP = ["net 2 2 1", "init seed=1 scheme=xavier", "x = [1 0]", "y = [1]"]


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = 20
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    binary = args[0] if args else os.path.join(os.path.dirname(__file__), "..", ".build", "release", "backprop")
    env = dict(os.environ, HOME=os.environ.get("TMPDIR", "/tmp"), NO_COLOR="1", TERM="xterm")

    startups = []
    for _ in range(runs):
        start = time.perf_counter()
        child = pexpect.spawn(binary, env=env, encoding="utf-8", dimensions=(40, 120))
        child.expect_exact(PROMPT)
        startups.append(time.perf_counter() - start)
        child.sendline("quit")
        child.expect(pexpect.EOF)

    child = pexpect.spawn(binary, env=env, encoding="utf-8", dimensions=(40, 200))
    child.expect_exact(PROMPT)
    for line in SETUP:
        child.sendline(line)
        child.expect_exact(PROMPT)
    # An empty line measures the round trip alone.
    times = {}
    for command in [""] + COMMANDS:
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            child.sendline(command)
            child.expect_exact(PROMPT)
            samples.append(time.perf_counter() - start)
        times[command] = statistics.median(samples)
    child.sendline("quit")

    print(f"start-up to the first prompt: median {statistics.median(startups) * 1000:.1f} ms "
          f"(min {min(startups) * 1000:.1f} ms, {runs} runs; target < 50 ms)")
    base = times.pop("")
    print(f"empty line (pseudo-terminal round trip): {base * 1000:.3f} ms")
    print("inspection commands on 2-2-1 (median, minus the round trip; target < 1 ms):")
    worst = 0.0
    for command, t in times.items():
        net = max(t - base, 0.0)
        worst = max(worst, net)
        print(f"  {command:22s} {net * 1000:7.3f} ms   (raw {t * 1000:.3f} ms)")
    print(f"slowest: {worst * 1000:.3f} ms")


if __name__ == "__main__":
    main()
