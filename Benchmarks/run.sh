#!/usr/bin/env bash
# make bench: Backprop against NumPy, PyTorch and JAX on the four workloads of
# Benchmarks/README.md, in one run, from the same initial weights; prints one table.
#
#   Benchmarks/run.sh                 all workloads, the spec's repeats (median of 5, after 1 untimed run)
#   BENCH_QUICK=1 Benchmarks/run.sh   one run of each
#   BENCH_WORKLOADS=W2,W3 Benchmarks/run.sh
#   BENCH_DIR=/tmp/bench Benchmarks/run.sh   where the workloads (≈ 380 MB) and results go
#   BENCH_WAIT_QUIET=120              before each run wait up to this many seconds for an
#                                     idle machine (default 60; 0: do not wait)
#   BENCH_SCRATCH=.build-bench        SwiftPM scratch path (default .build)
#
# Steps: build backprop-bench (release); make the workloads if missing
# (make_workloads.py); run every peer and backprop-bench through run_peers.py (each
# workload in turn, every program in its own process); measure the machine's DGEMM
# rate with the engine's kernel; train W3 once more streaming the data from disk, for
# the training loop's own memory, and once with every product dense, for its share of
# the DGEMM rate; print the table (report.py). Full logs and JSON in
# $BENCH_DIR/results/.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="${BENCH_DIR:-$root/Benchmarks/work}"
scratch="${BENCH_SCRATCH:-$root/.build}"
bench="$scratch/release/backprop-bench"
python="${PYTHON:-python3}"
mkdir -p "$work/results"
log="$work/results/run.log"
: >"$log"

echo "building backprop-bench (release) ..." >&2
(cd "$root" && swift build -c release --scratch-path "$scratch" --product backprop-bench >>"$log" 2>&1) || {
    echo "build failed; see $log" >&2
    exit 1
}

if ! "$python" -c "import numpy" 2>/dev/null; then
    echo "the workloads are made with NumPy, which $python cannot import:" >&2
    echo "  pip install -r Benchmarks/requirements.txt" >&2
    exit 1
fi

args=("$work" --wait-quiet "${BENCH_WAIT_QUIET:-60}")
[ -n "${BENCH_QUICK:-}" ] && args+=(--quick)
[ -n "${BENCH_WORKLOADS:-}" ] && args+=(--workloads "$BENCH_WORKLOADS")

echo "running the peers and backprop-bench (full output in $log) ..." >&2
set +e
"$python" -u "$root/Benchmarks/run_peers.py" "${args[@]}" --extra "backprop=$bench" 2>&1 \
    | tee -a "$log" | grep --line-buffered -E '^  W[0-9]|^making|^warning' >&2
status=${PIPESTATUS[0]}
set -e

wait_quiet() {
    "$python" -c "import sys; sys.path.insert(0, '$root/Benchmarks'); import run_peers; \
run_peers.wait_quiet(float(${BENCH_WAIT_QUIET:-60}))" 2>/dev/null || true
}

# The machine's DGEMM rate (C ← AB at 2048³, the engine's kernel on every processor).
wait_quiet
"$bench" --dgemm 2048 >"$work/results/dgemm.json" 2>>"$log" || echo '{}' >"$work/results/dgemm.json"

# W3 again, the data streamed from disk 6400 samples (100 batches) at a time: the
# memory of the training loop itself, without the 381 MB data set held in memory.
if [ -f "$work/results/W3.spec.json" ] && [[ ",${BENCH_WORKLOADS:-W3}," == *,W3,* ]]; then
    wait_quiet
    "$bench" "$work/results/W3.spec.json" "$work/results/W3.backprop-streamed.json" --chunk 6400 \
        2>>"$log" || true
    # W3 once more with layer 1 dense too (the engine skips the zero inputs otherwise):
    # the share of the DGEMM rate its matrix products reach when they do all the work.
    wait_quiet
    "$bench" "$work/results/W3.spec.json" "$work/results/W3.backprop-dense.json" --dense \
        2>>"$log" || true
fi

"$python" "$root/Benchmarks/report.py" "$work" | tee "$work/results/table.md"
exit $status
