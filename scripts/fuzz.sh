#!/usr/bin/env bash
# Fuzzing with libFuzzer and the address sanitizer (Fuzz/README.md).
#
#   scripts/fuzz.sh [lines|files|all] [SECONDS]     make fuzz SECONDS=N [TARGET=lines|files|all]
#   scripts/fuzz.sh build                            only build the two fuzzers
#   scripts/fuzz.sh corpus                           only (re)make the seed corpus
#   scripts/fuzz.sh replay                           run the regression inputs once
#
# The targets are compiled with swiftc straight from the sources (the engine as the
# module Backprop, the shell's sources with the harness as BackpropShell, so the
# harness reaches the shell's internals), into .build-fuzz; `swift build` and
# `swift test` are not touched. "all" runs both targets one after the other, SECONDS
# each. Crashes, hangs and broken invariants land in .build-fuzz/artifacts; the
# inputs found are kept in .build-fuzz/work, so a later run goes on from there.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-all}
seconds=${2:-${SECONDS_PER_TARGET:-60}}
out=${BACKPROP_FUZZ_BUILD:-$root/.build-fuzz}
swiftc=${SWIFTC:-swiftc}
jobs=${FUZZ_JOBS:-1}
mkdir -p "$out"

sanitize=(-sanitize=fuzzer,address)
common=(-O -g -parse-as-library -swift-version 6 -wmo -suppress-warnings "${sanitize[@]}")

build() {
    if [ -x "$out/fuzz-lines" ] && [ -x "$out/fuzz-files" ] && [ -z "${FUZZ_REBUILD:-}" ] \
        && [ -z "$(find Sources/Backprop Sources/BackpropShell Fuzz -newer "$out/fuzz-files" -print -quit)" ]; then
        return 0
    fi
    # From a copy of the sources, so that a file someone is saving meanwhile does not
    # break the build half-way.
    rm -rf "$out/src" "$out/fuzz-lines" "$out/fuzz-files"
    mkdir -p "$out/src"
    cp -R Sources/Backprop Sources/BackpropShell Fuzz "$out/src/"
    echo "fuzz: building the engine (Backprop) with ${sanitize[*]}" >&2
    "$swiftc" "${common[@]}" -module-name Backprop -emit-module -emit-module-path "$out/Backprop.swiftmodule" \
        -c "$out"/src/Backprop/*.swift -o "$out/Backprop.o"
    local shell_sources
    shell_sources=$(find "$out/src/BackpropShell" -name '*.swift' | sort)
    for target in lines files; do
        local dir=Lines
        [ "$target" = files ] && dir=Files
        echo "fuzz: building fuzz-$target" >&2
        # shellcheck disable=SC2086
        # In $out: swiftc leaves module files in the working directory.
        (cd "$out" && "$swiftc" "${common[@]}" -module-name BackpropShell -I "$out" $shell_sources \
            "$out"/src/Fuzz/Common/*.swift "$out"/src/Fuzz/$dir/*.swift "$out/Backprop.o" -o "$out/fuzz-$target" 2>&1) \
            | grep -v "Cannot export local symbol '__asan" >&2 || true
        [ -x "$out/fuzz-$target" ] || { echo "fuzz: building fuzz-$target failed" >&2; exit 1; }
    done
}

# Seeds: every lesson's commands as one script, every transcript whole and in chunks
# of eight commands, and the hand-written seeds in Fuzz/seeds.
corpus() {
    local lines=$out/corpus/lines files=$out/corpus/files
    rm -rf "$out/corpus"
    mkdir -p "$lines" "$files"
    for lesson in Lessons/[0-9]*.md; do
        awk '/^```backprop/ {inside=1; next} /^```/ {inside=0} inside && /^backprop> / {sub(/^backprop> /, ""); print}' \
            "$lesson" > "$lines/lesson-$(basename "$lesson" .md)"
    done
    for transcript in Tests/BackpropShellTests/Transcripts/*.transcript; do
        local name
        name=$(basename "$transcript" .transcript)
        sed -n 's/^backprop> //p' "$transcript" > "$lines/transcript-$name"
        sed -n 's/^backprop> //p' "$transcript" | split -l 8 - "$lines/transcript-$name-part-"
    done
    cp Fuzz/seeds/lines/* "$lines/"
    cp Fuzz/seeds/files/* "$files/"
    # Every CSV of the lessons, as a CSV input with default options.
    for csv in Lessons/data/*.csv; do
        { printf '\000\000'; head -c 4000 "$csv"; } > "$files/csv-$(basename "$csv" .csv)"
    done
    find "$lines" -size 0 -delete
    echo "fuzz: corpus: $(ls "$lines" | wc -l) line seeds, $(ls "$files" | wc -l) file seeds" >&2
}

run() {
    local target=$1
    local work=$out/work/$target
    mkdir -p "$work" "$out/artifacts"
    local dict=$root/Fuzz/$target.dict
    local log=$out/fuzz-$target.log
    local parallel=()
    [ "$jobs" -gt 1 ] && parallel=(-jobs="$jobs" -workers="$jobs")
    echo "fuzz: running fuzz-$target for $seconds s (log: $log)" >&2
    BACKPROP_LESSONS=$root/Lessons BACKPROP_FUZZ_SANDBOX=$out/sandbox-$target SWIFT_BACKTRACE=enable=no ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} \
        "$out/fuzz-$target" -dict="$dict" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=6144 \
        -max_len=4096 -print_final_stats=1 "${parallel[@]}" \
        -artifact_prefix="$out/artifacts/$target-" \
        "$work" "$out/corpus/$target" "$root/Fuzz/regressions/$target" 2>&1 | tee "$log" | grep -E "^#|ERROR|BROKEN|Done|stat::" >&2
    local status=${PIPESTATUS[0]}
    return "$status"
}

# Runs each target once over its regression inputs (Fuzz/regressions/TARGET).
replay() {
    local target
    for target in lines files; do
        local inputs=("$root"/Fuzz/regressions/$target/*)
        [ -e "${inputs[0]}" ] || continue
        echo "fuzz: replaying ${#inputs[@]} regression input(s) through fuzz-$target" >&2
        BACKPROP_LESSONS=$root/Lessons BACKPROP_FUZZ_SANDBOX=$out/sandbox-$target SWIFT_BACKTRACE=enable=no \
            ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=0} "$out/fuzz-$target" "${inputs[@]}" 2>&1 | grep -E "ERROR|BROKEN|Executed" >&2
        [ "${PIPESTATUS[0]}" -eq 0 ] || return 1
    done
}

case "$what" in
    build) build ;;
    replay) build; replay ;;
    corpus) corpus ;;
    lines|files) build; corpus; run "$what" ;;
    all) build; corpus; run lines; run files ;;
    *) echo "usage: scripts/fuzz.sh [lines|files|all|build|corpus|replay] [SECONDS]" >&2; exit 2 ;;
esac
