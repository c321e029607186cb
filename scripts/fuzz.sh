#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/) with clang, ASan and UBSan into build-fuzz/
# and runs each for SECONDS (default 60), then prints one line per target: executions,
# coverage, features, corpus size, and whether it crashed. See docs/security.md.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]      e.g. scripts/fuzz.sh 30
#                                                        scripts/fuzz.sh 600 frame_reader
#
# Each target's corpus grows in build-fuzz/corpus/<target>/ from run to run; it starts
# from seeds written by fuzz_seed_corpus (real frames and images). A crash leaves the input
# in build-fuzz/artifacts/<target>/ and the log in build-fuzz/logs/<target>.log: turn it
# into a regression test (tests/protocol or tests/inference) before fixing it.
#
# Environment: ORCHARD_FUZZ_JOBS targets at a time (default: the number of cores).
# Exit status: 0 when no target crashed or violated a property, 1 otherwise.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-60}
shift || true
all_targets=(frame_header frame_reader image_request client_message server_bodies image_decode
    proxy_header)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all_targets[@]}")
case $seconds in
'' | *[!0-9]*)
    echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]; targets: ${all_targets[*]}" >&2
    exit 2
    ;;
esac
for target in "${targets[@]}"; do
    if [[ " ${all_targets[*]} " != *" $target "* ]]; then
        echo "fuzz: unknown target \"$target\"; the targets are: ${all_targets[*]}" >&2
        exit 2
    fi
done
jobs=${ORCHARD_FUZZ_JOBS:-$(nproc)}

"$root/scripts/setup.sh"
build="$root/build-fuzz"
if [ ! -f "$build/CMakeCache.txt" ]; then
    CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DORCHARD_FUZZ=ON \
        -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
cmake --build "$build" --parallel "$(nproc)"

rm -rf "$build/seeds"
"$build/bin/fuzz_seed_corpus" "$build/seeds" "$root/resources/samples"
mkdir -p "$build/logs"

# Per target: its dictionary, and for the image decoder -close_fd_mask=2, which silences
# libpng's and libjpeg's complaints about every hostile file on stderr (megabytes a
# minute); libFuzzer's own output and every crash or property report still get through.
target_options() {
    case $1 in
    image_decode) echo "-dict=$root/tests/fuzz/image.dict -close_fd_mask=2" ;;
    proxy_header) echo "" ;; # no frames or images: its seeds carry every PROXY keyword
    *) echo "-dict=$root/tests/fuzz/protocol.dict" ;;
    esac
}

run_target() {
    local target=$1
    mkdir -p "$build/corpus/$target" "$build/artifacts/$target"
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: 2 GiB is a leak or a
    # decompression bomb (libFuzzer also fails any single malloc over it).
    "$build/bin/fuzz_$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -print_final_stats=1 $(target_options "$target") \
        -artifact_prefix="$build/artifacts/$target/" \
        "$build/corpus/$target" "$build/seeds/$target" >"$build/logs/$target.log" 2>&1
}

echo "fuzz: ${#targets[@]} target(s), ${seconds} s each, $jobs at a time"
declare -A status
running=()
for target in "${targets[@]}"; do
    run_target "$target" &
    running+=("$!:$target")
    if [ ${#running[@]} -ge "$jobs" ]; then
        entry=${running[0]}
        running=("${running[@]:1}")
        if wait "${entry%%:*}"; then status[${entry#*:}]=0; else status[${entry#*:}]=1; fi
    fi
done
for entry in "${running[@]}"; do
    if wait "${entry%%:*}"; then status[${entry#*:}]=0; else status[${entry#*:}]=1; fi
done

failed=0
printf '%-16s %8s %12s %8s %8s %8s  %s\n' target seconds executions cov ft corpus result
for target in "${targets[@]}"; do
    log="$build/logs/$target.log"
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
    last=$(grep -E '^#[0-9]+' "$log" | tail -1 || true)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corpus=$(find "$build/corpus/$target" -type f | wc -l)
    if [ "${status[$target]}" -eq 0 ]; then
        result=ok
    else
        result="CRASH: see $log and $build/artifacts/$target/"
        failed=1
    fi
    printf '%-16s %8s %12s %8s %8s %8s  %s\n' "$target" "$seconds" "${execs:-?}" "${cov:-?}" \
        "${ft:-?}" "$corpus" "$result"
done
exit $failed
