#!/usr/bin/env bash
# The soak test (issue 6): N mixed commands (100 000 by default) in one session —
# stepping through the classic example, training XOR, iris and digits, saving and
# loading, settings, lessons, help, history and bad lines — with the resident memory
# at the start and at the end; it fails when memory grows by more than 10%.
#
#   scripts/soak.sh [N]         make soak [COMMANDS=N]
#
# Two runs: (1) the shell's Session driven in-process (scripts/soak/Soak.swift, built
# with swiftc -O from the sources into .build-soak), bad lines included, memory read
# at exact command counts; (2) the release `backprop` binary running the same
# commands (without the bad lines, which would stop a script) as a script file, its
# memory sampled from /proc while it runs.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=${1:-100000}
out=${BACKPROP_SOAK_BUILD:-$root/.build-soak}
swiftc=${SWIFTC:-swiftc}
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/backprop-soak.XXXXXX")
trap 'rm -rf "$work"' EXIT
export HOME=$work BACKPROP_LESSONS=$root/Lessons

echo "soak: building the in-process driver (swiftc -O)" >&2
rm -rf "$out/src" && mkdir -p "$out/src" && cp -R Sources/Backprop Sources/BackpropShell scripts/soak "$out/src/"
(cd "$out" && "$swiftc" -O -parse-as-library -swift-version 6 -wmo -suppress-warnings -module-name Backprop \
    -emit-module -emit-module-path "$out/Backprop.swiftmodule" -c "$out"/src/Backprop/*.swift -o "$out/Backprop.o")
# shellcheck disable=SC2046
(cd "$out" && "$swiftc" -O -parse-as-library -swift-version 6 -wmo -suppress-warnings -module-name BackpropShell \
    -I "$out" $(find "$out/src/BackpropShell" -name '*.swift' | sort) "$out/src/soak/Soak.swift" "$out/Backprop.o" -o "$out/soak")

echo "soak: (1) $count commands in one Session, in-process" >&2
status=0
"$out/soak" "$count" "$work" || status=1

echo "soak: building the release backprop" >&2
swift build -c release --product backprop --scratch-path "$out/swiftpm" >/dev/null
binary=$(swift build -c release --product backprop --scratch-path "$out/swiftpm" --show-bin-path)/backprop
"$out/soak" --script "$count" "$work" > "$work/soak.bp"

echo "soak: (2) $count commands through $binary as one script" >&2
start=$(date +%s)
"$binary" "$work/soak.bp" > /dev/null 2> "$work/stderr" &
pid=$!
samples=()
while kill -0 "$pid" 2>/dev/null; do
    rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
    [ -n "$rss" ] && samples+=("$rss")
    sleep 0.5
done
wait "$pid" || { echo "soak: the script failed:" >&2; cat "$work/stderr" >&2; status=1; }
seconds=$(( $(date +%s) - start ))
n=${#samples[@]}
if [ "$n" -ge 4 ]; then
    # The start is the sample a tenth of the way in (after the warm-up), the end the last.
    first=${samples[$(( n / 10 ))]}
    last=${samples[$(( n - 1 ))]}
    peak=$(printf '%s\n' "${samples[@]}" | sort -n | tail -1)
    trajectory=""
    for tenth in 1 2 3 4 5 6 7 8 9; do trajectory+="$(( samples[n * tenth / 10] / 1024 )) "; done
    echo "soak: resident memory (MB) at each tenth of the run: $trajectory$(( last / 1024 ))"
    growth=$(awk -v a="$first" -v b="$last" 'BEGIN { printf "%+.1f", (b - a) / a * 100 }')
    echo "soak: backprop ran $count commands in $seconds s; resident memory $(( first / 1024 )) MB at the start, $(( last / 1024 )) MB at the end, peak $(( peak / 1024 )) MB: $growth%"
    awk -v a="$first" -v b="$last" 'BEGIN { exit !((b - a) / a * 100 <= 10) }' || status=1
else
    echo "soak: backprop ran $count commands in $seconds s, too fast to sample its memory" >&2
fi
exit "$status"
