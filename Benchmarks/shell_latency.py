#!/usr/bin/env python3
"""Start-up time to the first prompt (through a pseudo-terminal, as a user sees it),
and the time of each inspection command on a 2-2-1 network (a script repeating the
command N times, minus the same script without it, divided by N; output included).

usage: python3 Benchmarks/shell_latency.py [path/to/backprop] [--runs N]
"""
import os
import statistics
import sys
import time

import pty
import select
import subprocess
import tempfile

PROMPT = "backprop> "
COMMANDS = [
    "forward", "backward", "show z", "show a", "show delta", "show theta", "show b",
    "show grad", "show cost", "show net", "explain z 1 1", "explain a 2 1",
    "explain delta 1 1", "explain grad 2 1 1", "explain grad 1 1 1", "explain cost",
    "step", "check",
]
SETUP = ["net 2 2 1", "init seed=1 scheme=xavier", "x = [1 0]", "y = [1]"]


def time_to_prompt(binary, env):
    """Seconds from fork to the first prompt on a pseudo-terminal (pexpect's own
    start-up delays are avoided by using pty directly)."""
    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execve(binary, [binary], env)
    buffer = b""
    while PROMPT.encode() not in buffer:
        ready, _, _ = select.select([fd], [], [], 10)
        if not ready:
            raise SystemExit("no prompt within 10 s")
        buffer += os.read(fd, 4096)
    elapsed = time.perf_counter() - start
    os.write(fd, b"quit\n")
    try:
        while os.read(fd, 4096):
            pass
    except OSError:
        pass
    os.waitpid(pid, 0)
    return elapsed


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = 20
    if "--runs" in sys.argv:
        runs = int(sys.argv[sys.argv.index("--runs") + 1])
    binary = args[0] if args else os.path.join(os.path.dirname(__file__), "..", ".build", "release", "backprop")
    env = dict(os.environ, HOME=os.environ.get("TMPDIR", "/tmp"), NO_COLOR="1", TERM="xterm")

    startups = [time_to_prompt(binary, env) for _ in range(runs)]

    print(f"start-up to the first prompt: median {statistics.median(startups) * 1000:.1f} ms "
          f"(min {min(startups) * 1000:.1f} ms, {runs} runs; target < 50 ms)")

    repeats = 1000

    def script_time(lines):
        with tempfile.NamedTemporaryFile("w", suffix=".bp", delete=False) as f:
            f.write("\n".join(SETUP + lines) + "\n")
            path = f.name
        best = float("inf")
        for _ in range(3):
            start = time.perf_counter()
            subprocess.run([binary, path], env=env, stdout=subprocess.DEVNULL, check=True)
            best = min(best, time.perf_counter() - start)
        os.unlink(path)
        return best

    base = script_time([])
    print(f"inspection commands on 2-2-1, each run {repeats} times in one script (target < 1 ms):")
    worst = 0.0
    for command in COMMANDS:
        per = (script_time([command] * repeats) - base) / repeats
        worst = max(worst, per)
        print(f"  {command:22s} {per * 1000:7.3f} ms")
    print(f"slowest: {worst * 1000:.3f} ms")


if __name__ == "__main__":
    main()
