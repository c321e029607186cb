#!/usr/bin/env bash
# Installs what is missing, builds build/ (Release) and runs every test.
#
# Usage: scripts/test.sh                             every test in build/ (Release)
#        scripts/test.sh --sanitize=address,undefined  unit + integration tests built with
#                                                    ASan and UBSan in build-asan/
#        scripts/test.sh --sanitize=thread           the same with TSan in build-tsan/
#
# In CI (CI=true, as CI services set it) or with ORCHARD_HARDENING_PASSES=1, the plain run
# is followed by the short fuzz pass (scripts/fuzz.sh 20: each libFuzzer target for 20 s)
# and the ASan/UBSan pass; ORCHARD_HARDENING_PASSES=0 leaves them out. See
# docs/security.md. The three together take about 30 minutes on a bare 2-core machine
# (apt included); the sanitizer passes build and run only the suites listed below.
#
# Exit status: ctest's, or with the hardening passes the first failing pass's.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

sanitize=""
for argument in "$@"; do
    case $argument in
    --sanitize=address,undefined | --sanitize=undefined,address) sanitize=address,undefined ;;
    --sanitize=thread) sanitize=thread ;;
    *)
        echo "usage: scripts/test.sh [--sanitize=address,undefined | --sanitize=thread]" >&2
        exit 2
        ;;
    esac
done

# The suites the sanitizer passes build and run: everything that takes bytes from the
# network or another process (protocol, server, HTTP, TLS, tokens, the PROXY protocol,
# hostile clients), the threads of the server (batching) and of the client library (its
# connection, queue and failover), and the command line's parsing. Left to the plain run:
# the GUI (Qt's widget stack adds nothing of ours to check), the suites that only run real
# processes (operations, packaging, the CLI end to end, HAProxy) and the model and
# training suites, whose time is LibTorch's (instrumented, they took 40 % of the pass and
# checked little of ours). Building only these halves the pass (docs/security.md).
sanitized_suites=(
    protocol_tests protocol_socket_tests
    server_unit_tests server_tests balancer_tests batching_tests hardening_tests
    http_unit_tests http_tests tls_tests access_token_tests
    client_core_tests client_failover_tests reconnect_policy_tests photo_downscaler_tests plant_diagnosis_tests
    cli_unit_tests bench_unit_tests
)

# Builds <dir> with the sanitizers in $1 and runs the suites above.
sanitized_tests() {
    local kinds=$1 build
    local flags="-fsanitize=$kinds -fno-omit-frame-pointer"
    local suppressions="$root/tests/sanitizers"
    if [ "$kinds" = thread ]; then
        build="$root/build-tsan"
        # ignore_noninstrumented_modules: Debian's Qt, OpenCV, LibTorch and glibc are not
        # built with TSan, so what their own code does to memory through intercepted calls
        # (malloc, memcpy, read...) is not checked; their locks and thread starts still
        # order ours, and every access our code makes is checked.
        # history_size=7: the longest history, so reports show both stacks.
        export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 history_size=7 ignore_noninstrumented_modules=1 suppressions=$suppressions/tsan.supp"
    else
        build="$root/build-asan"
        flags="$flags -fno-sanitize-recover=all" # any UB report fails the test
        # detect_leaks: see tests/sanitizers/lsan.supp for the one reason it is filtered.
        export ASAN_OPTIONS="detect_leaks=1 strict_string_checks=1 detect_stack_use_after_return=1 check_initialization_order=1"
        export LSAN_OPTIONS="suppressions=$suppressions/lsan.supp print_suppressions=0"
        export UBSAN_OPTIONS="print_stacktrace=1 halt_on_error=1"
    fi
    if [ ! -f "$build/CMakeCache.txt" ]; then
        # -O1 keeps the sanitizers' stacks readable and the tests quick; -g1 (lines, no
        # variables) is all a sanitizer's report uses, and compiles a quarter faster than -g.
        cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
            -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DCMAKE_CXX_FLAGS="$flags" \
            -DCMAKE_EXE_LINKER_FLAGS="-fsanitize=$kinds" \
            -DCMAKE_SHARED_LINKER_FLAGS="-fsanitize=$kinds"
    fi
    cmake --build "$build" --parallel "$(nproc)" --target "${sanitized_suites[@]}"
    # Each suite runs as one process with all its cases, two at a time, not as ctest's one
    # process per case: a process linking LibTorch spends 0.7 s (2 s under ASan) in static
    # initialisers before its first case, which was two thirds of this pass's 310 s of
    # tests (316 cases). Run whole, the same cases took 86 s in the plain build.
    local logs="$build/sanitized-logs"
    rm -rf "$logs" && mkdir -p "$logs"
    printf '%s\n' "${sanitized_suites[@]}" | (cd "$build" && xargs -P "$(nproc)" -I{} sh -c '
        started=$(date +%s)
        timeout 1200 "bin/$1" --warn NoTests > "$2/$1.log" 2>&1
        result=$?
        echo "test.sh: $1: exit $result after $(( $(date +%s) - started )) s, $(grep -E "^(All tests passed|test cases:)" "$2/$1.log" | tail -1)"
        [ $result -eq 0 ] || { cat "$2/$1.log"; exit 1; }' sh {} "$logs")
}

"$root/scripts/setup.sh"
"$root/scripts/check-layers.sh" # the arrows point one way before anything is built
if [ -n "$sanitize" ]; then
    export QT_QPA_PLATFORM=offscreen
    sanitized_tests "$sanitize" # set -e: a failed build or ctest ends the script with its status
    exit 0
fi

"$root/scripts/build.sh" "$root/build"
export QT_QPA_PLATFORM=offscreen
cd "$root/build"
set +e
ctest --output-on-failure --parallel "$(nproc)"
status=$?
hardening=${ORCHARD_HARDENING_PASSES:-}
[ -n "$hardening" ] || { [ "${CI:-}" = true ] && hardening=1; }
if [ "$hardening" = 1 ]; then
    pass() {
        local name=$1
        shift
        echo "test.sh: CI pass: $name"
        local started=$SECONDS
        "$@"
        local result=$?
        echo "test.sh: CI pass: $name: exit $result after $((SECONDS - started)) s"
        [ $status -ne 0 ] || status=$result
    }
    pass "fuzzing, 20 s per target" "$root/scripts/fuzz.sh" 20
    pass "ASan + UBSan" "$root/scripts/test.sh" --sanitize=address,undefined
fi
exit $status
