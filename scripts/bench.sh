#!/usr/bin/env bash
# Measures Orchard against its performance targets and rewrites the tables and the plot in
# docs/performance.md (docs/performance.png, docs/performance-monitor-500.png).
#
# One command: installs what is missing, builds orchard-server and orchard-cli, exports the
# timing-only field model and generates the field photos (into the build folder), then, in
# one run so that every ratio compares numbers taken minutes apart on the same machine:
#   * the engine in-process (`orchard-cli bench --engine`): the ceiling;
#   * an Orchard server, binary and base64 bodies, 1..16 closed-loop clients;
#   * the seed design (bench/reference/seed_server.py) with the same model and images;
#   * latency at one client, on one image, for the engine and each server;
#   * 500 clients waiting for the workers: server memory and event-loop latency, headless
#     and with the monitor window (under Xvfb).
# Workers = cores, one intra-op thread each. Takes about 5-10 minutes on 2 cores.
# Not part of scripts/test.sh: numbers come from here, never from timed tests.
#
# scripts/bench.sh --soak runs only the 10-minute soak instead (bench/soak.py, into
# docs/security.md); --waiting-line only the 10,000-client line; --agreement only the
# downscaling agreement on 10,000 photos (bench/agreement.py); --batching only the dynamic
# batching comparison (--max-batch 1 against the defaults, and the QA demo on a batching
# server), rewriting the report with the last full run's other results; --scale-out only the
# HAProxy measurements (bench/scale_out.py, into docs/scale-out.md). The main run
# includes both bench/reload.py (new model versions taken live while clients predict) and
# the batching comparison.
#
# Environment: BENCH_BUILD_DIR (default build/), BENCH_NICE (default -19 when root, else 0;
# see below), BENCH_QUICK=1 (fewer requests: checks the script, not the machine).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"

# On a machine shared with other work, Linux's autogroup scheduler splits the CPU between
# sessions, not processes, so `nice` alone does nothing against a compiler in another
# terminal. When root, everything measured (servers, clients, engine) runs in a session of
# its own whose autogroup gets BENCH_NICE: the measurement then gets the cores it asks for,
# and the processes inside compete with each other exactly as on an idle machine.
if [ "$(id -u)" -eq 0 ]; then nice_level=${BENCH_NICE:--19}; else nice_level=${BENCH_NICE:-0}; fi
if [ "$nice_level" != 0 ] && [ -z "${BENCH_SESSION:-}" ] && command -v setsid > /dev/null; then
    export BENCH_SESSION=1
    exec setsid --wait "$0" "$@"
fi
if [ "$nice_level" != 0 ]; then
    { echo "$nice_level" > /proc/self/autogroup; } 2> /dev/null || renice -n "$nice_level" -p $$ > /dev/null || true
fi
started=$(date +%s)
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

"$root/scripts/setup.sh"
build=${BENCH_BUILD_DIR:-"$root/build"}
if [ ! -f "$build/CMakeCache.txt" ]; then
    cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release
fi
cmake --build "$build" --parallel "$(nproc)" --target orchard-server orchard-cli

PY=/usr/bin/python3 # Debian's, with torch, cv2 and matplotlib (not a pyenv one first on PATH)

# --soak: only the soak (bench/soak.py, 10 minutes; SOAK_SECONDS to change it), written into
# docs/security.md's soak section and docs/soak.png. It checks the server's books under
# hostile traffic, so it runs alone rather than beside the measurements above.
if [ "${1:-}" = --soak ]; then
    commit=$(git rev-parse --short HEAD)
    [ -z "$(git status --porcelain -- . ':!docs')" ] || commit="$commit-dirty"
    status=0
    "$PY" bench/soak.py --server "$build/bin/orchard-server" --images resources/samples \
        --seconds "${SOAK_SECONDS:-600}" --log "$build/soak-server.log" --plot docs/soak.png \
        --doc docs/security.md --commit "$commit" > "$build/soak.json" || status=$?
    echo "bench: soak done in $(( $(date +%s) - started )) s (exit $status); see docs/security.md and $build/soak.json"
    exit $status
fi

# --scale-out: only bench/scale_out.py: 1, 2 and 3 backends behind HAProxy (scripts/cluster.sh),
# HAProxy's added latency, the spread of sessions and kill -9 failover, written into
# docs/scale-out.md's "Measured" section; about 2 minutes.
if [ "${1:-}" = --scale-out ]; then
    commit=$(git rev-parse --short HEAD)
    [ -z "$(git status --porcelain -- . ':!docs')" ] || commit="$commit-dirty"
    mkdir -p "$build/bench"
    "$PY" bench/scale_out.py --cli "$build/bin/orchard-cli" --server "$build/bin/orchard-server" \
        --doc docs/scale-out.md --commit "$commit" ${BENCH_QUICK:+--seconds 2 --rounds 1 --latency-requests 50} \
        > "$build/bench/scale-out.json"
    echo "bench: scale-out done in $(( $(date +%s) - started )) s; see docs/scale-out.md and $build/bench/scale-out.json"
    exit 0
fi

# --waiting-line: only bench/waiting_line.py, 10,000 clients waiting for a server with
# --max-queued 10000 (memory, a newcomer's `queued`, drains of 1000-10000 quick clients),
# into build/bench/waiting-line/; about a minute. Its tables are written into
# docs/performance.md's "A long waiting line" section.
if [ "${1:-}" = --waiting-line ]; then
    out="$build/bench/waiting-line"
    mkdir -p "$out"
    "$build/bin/orchard-server" --headless --host 127.0.0.1 --port 0 --threads "$(nproc)" --intra-op-threads 1 \
        --max-queued 10000 --model "$root/models/fashion-mnist/1" > "$out/orchard-server.log" 2>&1 &
    line_pid=$!
    trap 'kill -TERM "$line_pid" 2>/dev/null || true; wait "$line_pid" 2>/dev/null || true' EXIT
    line_port=""
    for _ in $(seq 1 600); do
        # The banner's "port N (model …": a line still being written cannot cut N short.
        line_port=$(grep -m1 -o "listening on [^ ]* port [0-9]* (" "$out/orchard-server.log" 2>/dev/null \
            | grep -o "[0-9][0-9]*" | tail -1 || true)
        [ -n "$line_port" ] && break
        kill -0 "$line_pid" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$line_port" ]; then
        echo "bench: the server did not start; its log:" >&2
        cat "$out/orchard-server.log" >&2
        exit 1
    fi
    echo "bench: 10,000 clients waiting for $(nproc) workers, then drains of 1000 to 10000 quick clients"
    "$PY" bench/waiting_line.py --port "$line_port" --server-pid "$line_pid" --workers "$(nproc)" \
        --clients 10000 --drains 1000,2000,5000,10000 > "$out/waiting-line.json"
    commit=$(git rev-parse --short HEAD)
    [ -z "$(git status --porcelain -- . ':!docs')" ] || commit="$commit-dirty"
    "$PY" - "$out/waiting-line.json" docs/performance.md "$commit" "$(nproc)" <<'EOF'
import json, sys, time
r = json.load(open(sys.argv[1]))
doc, commit, cores = sys.argv[2], sys.argv[3], sys.argv[4]
w = r["waiting"]
print(f"bench: {w['clients']} waiting: RSS {w['rss_start_kib'] / 1024:.1f} -> {w['rss_waiting_max_kib'] / 1024:.1f} MiB"
      f" (+{w['rss_growth_mib']:.1f}), CPU {w['cpu_percent_while_waiting']:.1f} %; newcomer's queued"
      f" p50 {w['probe_behind_line']['p50_ms']:.2f} / p99 {w['probe_behind_line']['p99_ms']:.2f} ms")
lines = ["<!-- BEGIN WAITING LINE generated by scripts/bench.sh --waiting-line: do not edit by hand -->", "",
         f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, Orchard {commit}, {cores} workers on "
         f"{cores} cores, Release build.", "",
         "| 10,000 waiting | target | measured |", "|---|---|---|",
         f"| server RSS | ≤ start + 200 MB | {w['rss_start_kib'] / 1024:.1f} → {w['rss_waiting_max_kib'] / 1024:.1f} MiB "
         f"(+{w['rss_growth_mib']:.1f} MiB) |",
         f"| a newcomer hears `queued` (behind the line) | p99 ≤ 50 ms | p50 {w['probe_behind_line']['p50_ms']:.2f} ms, "
         f"p99 {w['probe_behind_line']['p99_ms']:.2f} ms |",
         f"| server CPU while they wait | | {w['cpu_percent_while_waiting']:.1f} % |", "",
         "| drain of | time | per client | `queued` heard per client | newcomer's `queued` meanwhile, p99 |",
         "|--:|--:|--:|--:|--:|"]
for d in r["drains"]:
    p = d["probe_while_draining"]
    print(f"bench: drain of {d['clients']:5}: {d['seconds']:.2f} s ({d['us_per_client']:.0f} us a client),"
          f" {d['announcements_per_client']:.1f} announcements a client; newcomer's queued meanwhile"
          f" p50 {p['p50_ms']:.2f} / p99 {p['p99_ms']:.2f} ms")
    lines.append(f"| {d['clients']:,} | {d['seconds']:.2f} s | {d['us_per_client']:.0f} µs | "
                 f"{d['announcements_per_client']:.1f} | {p['p99_ms']:.1f} ms |")
lines += ["", "<!-- END WAITING LINE -->"]
section = "\n".join(lines)
text = open(doc, encoding="utf-8").read()
begin, end = "<!-- BEGIN WAITING LINE", "<!-- END WAITING LINE -->"
if begin in text and end in text:
    text = text[:text.index(begin)] + section + text[text.index(end) + len(end):]
    open(doc, "w", encoding="utf-8").write(text)
    print(f"bench: wrote the waiting-line tables into {doc}")
else:
    print(f"bench: {doc} has no waiting-line section to rewrite", file=sys.stderr)
EOF
    exit 0
fi
# --agreement: only bench/agreement.py (10,000 Fashion-MNIST photos through the client
# library, with and without its downscaled copies; several minutes), into
# build/bench/agreement.json; the next main run's targets table shows it (and this one
# rewrites the table now when a main run's results are there).
if [ "${1:-}" = --agreement ]; then
    mkdir -p "$build/bench"
    cmake --build "$build" --parallel "$(nproc)" --target orchard-cli
    "$PY" bench/agreement.py --cli "$build/bin/orchard-cli" --server "$build/bin/orchard-server" \
        --model "$root/models/fashion-mnist/1" --out "$build/bench/agreement" > "$build/bench/agreement.json.new"
    mv "$build/bench/agreement.json.new" "$build/bench/agreement.json"
    cat "$build/bench/agreement.json"
    if [ -f "$build/bench/results/meta.json" ]; then
        "$PY" bench/report.py --results "$build/bench/results" --doc docs/performance.md --plot docs/performance.png \
            --screenshot "$([ -f docs/performance-monitor-500.png ] && echo performance-monitor-500.png)"
    fi
    exit 0
fi
# --batching: only the dynamic batching comparison (run_batching below), into
# build/bench/results/batching-*; the rest of the last full run's results stay as they
# were, and docs/performance.md is rewritten from them all when a full run's are there.
batching_only=0
[ "${1:-}" = --batching ] && batching_only=1
bin="$build/bin"
work="$build/bench"
results="$work/results"
if [ "$batching_only" = 1 ]; then
    rm -f "$results"/batching-*
else
    rm -rf "$results"
fi
mkdir -p "$results"
workers=$(nproc)
levels="1,2,4,8,16"
commands=()

# Requests per client (engine: per thread). The curves: enough for a level to last a second
# or more; the seed design is 10-30 times slower, so it gets fewer per client. The rounds:
# each run a fraction of a second to a few seconds, taking turns.
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    rounds=2
    small=(30 6 300 300 100 10 100) field=(4 2 10 10 4 2 5)
else
    rounds=6
    #     sweep  seed-sweep  engine  round:engine  round:server  round:seed  round:latency
    small=(500   60          3000    2000          600           60          500)
    field=(20    6           100     40            15            4           15)
fi

[ "$batching_only" = 1 ] || printf '{"rounds": %s, "small": [%s], "field": [%s]}\n' "$rounds" \
    "$(IFS=,; echo "${small[*]}")" "$(IFS=,; echo "${field[*]}")" > "$results/requests.json"

# --- inputs ------------------------------------------------------------------------------
# A repository of its own (models/train.py writes REPO/<name>/<version>/), version 1.
field_model="$work/repository/apple-leaf-untrained/1"
if [ ! -f "$field_model/model.pt" ]; then
    echo "bench: exporting the timing-only field model (MobileNetV3-small, untrained) to ${field_model#$root/}"
    "$PY" models/train.py export-untrained --out "${field_model%/1}" --version 1 --arch mobilenet_v3_small
fi
field_images="$work/field"
if [ ! -f "$field_images/field_07.jpg" ]; then
    "$PY" bench/make_field_images.py --out "$field_images" --count 8
fi
small_model="$root/models/fashion-mnist/1"
small_images="$root/resources/samples"
small_one="$small_images/ankle_boot_0.png"
field_one="$field_images/field_00.jpg"

# --- servers -----------------------------------------------------------------------------
server_pid=""
started_pids=()
stop_server() { # stops server_pid
    if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
        kill -TERM "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
}
stop_all() {
    local pid
    for pid in "${started_pids[@]}"; do
        server_pid=$pid
        stop_server
    done
}
trap stop_all EXIT

# wait_for_port LOG: the port from the server's "listening on ... port N" line.
wait_for_port() {
    local log=$1
    for _ in $(seq 1 600); do
        if grep -q "listening on" "$log"; then
            grep -m1 -o "listening on .* port [0-9]*" "$log" | grep -o "[0-9]*$"
            return 0
        fi
        kill -0 "$server_pid" 2>/dev/null || break
        sleep 0.1
    done
    echo "bench: the server did not start; its log:" >&2
    cat "$log" >&2
    return 1
}

start_orchard() { # MODEL [extra options]: starts a headless Orchard server with `workers` sessions; sets port
    start_orchard_as "orchard-server-$(basename "$1")" "$workers" "$@"
}

start_orchard_as() { # LOG_NAME SESSIONS MODEL [extra options]: the same, logging to RESULTS/LOG_NAME.log
    local log="$results/$1.log" sessions=$2 model=$3
    shift 3
    "$bin/orchard-server" --headless --host 127.0.0.1 --port 0 --threads "$sessions" --intra-op-threads 1 \
        --max-queued 1000 --model "$model" "$@" > "$log" 2>&1 &
    server_pid=$!
    started_pids+=("$server_pid")
    port=$(wait_for_port "$log")
}

start_seed() { # MODEL: starts the seed design's server; sets port
    local log
    log="$results/seed-server-$(basename "$1").log"
    "$PY" bench/reference/seed_server.py --host 127.0.0.1 --port 0 --workers "$workers" --intra-op-threads 1 \
        --model "$1" > "$log" 2>&1 &
    server_pid=$!
    started_pids+=("$server_pid")
    port=$(wait_for_port "$log")
}

# bench OUTPUT ARGS...: one `orchard-cli bench --json` run, its lines appended to OUTPUT.
bench() {
    local output=$1
    shift
    commands+=("orchard-cli bench $*")
    local before=0
    [ -f "$results/$output.jsonl" ] && before=$(wc -l < "$results/$output.jsonl")
    # Exit status 1 (some requests failed) is a result, reported in the tables, not a reason to stop.
    "$bin/orchard-cli" bench --json "$@" >> "$results/$output.jsonl" 2>> "$results/orchard-cli.log" \
        || echo "bench: orchard-cli bench exited with status $? ($output; see ${results#$root/}/orchard-cli.log)" >&2
    "$PY" - "$results/$output.jsonl" "$before" <<'EOF'
import json, sys
for line in open(sys.argv[1]).readlines()[int(sys.argv[2]):]:
    r = json.loads(line)
    print(f"bench:   {r.get('label', '')} {r['target']:8} {r['clients']:3} clients  {r['images_per_s']:9.1f} images/s"
          f"  p50 {r['latency_ms']['p50']:7.2f} ms  p95 {r['latency_ms']['p95']:7.2f} ms  errors {r['failed']}")
EOF
}

start_servers() { # MODEL: an Orchard server (orchard_port, orchard_pid) and the seed design's (seed_port, seed_pid)
    start_orchard "$1"
    orchard_port=$port orchard_pid=$server_pid
    start_seed "$1"
    seed_port=$port seed_pid=$server_pid
}

stop_servers() {
    server_pid=$orchard_pid
    stop_server
    server_pid=$seed_pid
    stop_server
}

run_workload() { # NAME MODEL IMAGES ONE_IMAGE then the request counts (see "small=" above)
    local name=$1 model=$2 images=$3 one=$4
    local sweep=$5 seed_sweep=$6 engine=$7 pair_engine=$8 pair_server=$9 pair_seed=${10} pair_latency=${11}
    local round
    local threads
    threads=$(seq -s, 1 "$workers")
    echo "bench: workload $name"
    start_servers "$model"
    local orchard=(--port "$orchard_port" --server-pid "$orchard_pid")
    local seed=(--port "$seed_port" --server-pid "$seed_pid" --legacy-server)

    # The curves: every level once, for the tables and the plot.
    bench "$name-engine" --engine --model "$model" --clients "$threads" --requests "$engine" --label "$name" "$images"
    bench "$name-orchard-binary" "${orchard[@]}" --binary --clients "$levels" --requests "$sweep" --label "$name" "$images"
    bench "$name-orchard-base64" "${orchard[@]}" --base64 --clients "$levels" --requests "$sweep" --label "$name" "$images"
    bench "$name-seed" "${seed[@]}" --clients "$levels" --requests "$seed_sweep" --label "$name" "$images"

    # The targets: short runs of everything compared, taking turns, round after round, so
    # that a burst of other work on the machine lands on all of them alike. Each target is
    # judged on the median of its per-round ratios (or differences). Idle servers use no CPU.
    local saturated=$((2 * workers)) # every worker busy and as many clients waiting
    local -a kinds=(engine binary base64 seed latency-engine latency-binary latency-base64)
    local kind i
    for round in $(seq 1 "$rounds"); do
        # Odd rounds run the list forwards, even rounds backwards (ABBA), so that load that
        # grows or fades during a round favours no one.
        for i in $(if [ $((round % 2)) = 1 ]; then seq 0 6; else seq 6 -1 0; fi); do
            kind=${kinds[$i]}
            case $kind in
                engine) bench "$name-pair-$kind" --engine --model "$model" --clients "$workers" \
                    --requests "$pair_engine" --warmup 2 --label "$name" "$images" ;;
                binary | base64) bench "$name-pair-$kind" "${orchard[@]}" "--$kind" --clients "$saturated" \
                    --requests "$pair_server" --warmup 2 --label "$name" "$images" ;;
                seed) bench "$name-pair-$kind" "${seed[@]}" --clients "$saturated" --requests "$pair_seed" \
                    --warmup 2 --label "$name" "$images" ;;
                latency-engine) bench "$name-pair-$kind" --engine --model "$model" --clients 1 \
                    --requests "$pair_latency" --warmup 2 --label "$name" "$one" ;;
                latency-binary | latency-base64) bench "$name-pair-$kind" "${orchard[@]}" "--${kind#latency-}" \
                    --clients 1 --requests "$pair_latency" --warmup 2 --label "$name" "$one" ;;
            esac
        done
    done
    bench "$name-latency-seed" "${seed[@]}" --clients 1 --requests "$pair_latency" --label "$name" "$one"
    stop_servers
}

# --- dynamic batching (issue 16) ---------------------------------------------------------
# Sessions decode and preprocess; the batcher's inference threads (cores / intra-op threads)
# run one forward pass per batch of waiting images. Per workload, two servers with 16
# sessions each, so that up to 16 clients are served at once and their images can meet in
# the batcher: `--max-batch 1` (one image per forward pass) and the defaults. Both stay up
# for the whole workload and take turns, the order reversed every other round (ABBA), so
# that drift on the machine lands on both alike; the idle one uses no CPU. Then the seeds'
# QA demo (4 clients, 2 workers) against a batching server with 2 sessions.
batching_sessions=16
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    batching_rounds=1 batching_small=20 batching_field=2 batching_warmup=2
else
    # Per sweep about 12,000 small and 250 field images: a few seconds each on 2 cores.
    batching_rounds=3 batching_small=400 batching_field=8 batching_warmup=10
fi

run_batching_workload() { # NAME MODEL IMAGES REQUESTS_PER_CLIENT
    local name=$1 model=$2 images=$3 requests=$4
    local round kind what
    local -a server
    echo "bench: dynamic batching, workload $name: --max-batch 1 against the defaults, $batching_sessions sessions"
    start_orchard_as "batching-server-$name-batch1" "$batching_sessions" "$model" --max-batch 1
    local -a batch1=(--port "$port" --server-pid "$server_pid")
    local batch1_pid=$server_pid
    start_orchard_as "batching-server-$name-default" "$batching_sessions" "$model"
    local -a default=(--port "$port" --server-pid "$server_pid")
    local default_pid=$server_pid
    for round in $(seq 1 "$batching_rounds"); do
        for kind in $(if [ $((round % 2)) = 1 ]; then echo batch1 default; else echo default batch1; fi); do
            if [ "$kind" = batch1 ]; then
                server=("${batch1[@]}") what="--max-batch 1"
            else
                server=("${default[@]}") what=defaults
            fi
            echo "bench:   round $round, $what"
            bench "batching-$name-$kind" "${server[@]}" --binary --clients "$levels" --requests "$requests" \
                --warmup "$batching_warmup" --label "$name" "$images"
        done
    done
    server_pid=$batch1_pid
    stop_server
    server_pid=$default_pid
    stop_server
}

run_batching_qa() { # the seeds' QA demo, unchanged, against a batching server: its verdict into batching-qa.json
    echo "bench: the QA demo (4 clients, 2 workers) against a batching server"
    start_orchard_as "batching-server-qa" 2 "$small_model"
    local status=0
    commands+=("orchard-cli qa saturation --clients 4 --workers 2 (server: --threads 2, batching defaults)")
    "$bin/orchard-cli" qa saturation --port "$port" --clients 4 --workers 2 --images "$small_images" \
        > "$results/batching-qa.txt" 2>&1 || status=$?
    stop_server
    # qa saturation writes a timeline and its checks as text; the report reads this JSON.
    "$PY" - "$results/batching-qa.txt" "$status" > "$results/batching-qa.json" <<'EOF'
import json, sys
text, status = open(sys.argv[1], encoding="utf-8").read(), int(sys.argv[2])
lines = text.splitlines()
checks = [{"passed": line.startswith("  ok "), "text": line[8:]} for line in lines
          if line.startswith(("  ok    ", "  FAIL  "))]
verdict = next((line[len("verdict: "):] for line in lines if line.startswith("verdict: ")), "")
server = next((line[len("server: "):] for line in lines if line.startswith("server: ")), "")
print(json.dumps({"clients": 4, "workers": 2, "exit_status": status, "server": server, "verdict": verdict,
                  "checks": checks, "passed": status == 0 and verdict.startswith("PASS")}, indent=1))
EOF
    echo "bench:   exit status $status, $(grep -m1 "^verdict: " "$results/batching-qa.txt" || echo "no verdict")"
}

run_batching() { # both workloads and the QA demo; what ran into batching-meta.json
    local batching_started load_before_batching
    batching_started=$(date +%s)
    load_before_batching=$(cut -d' ' -f1-3 /proc/loadavg)
    run_batching_workload small "$small_model" "$small_images" "$batching_small"
    run_batching_workload field "$field_model" "$field_images" "$batching_field"
    run_batching_qa
    "$PY" - "$results/batching-meta.json" "$batching_rounds" "$batching_sessions" "$batching_small" \
        "$batching_field" "$batching_warmup" "$load_before_batching" "$(( $(date +%s) - batching_started ))" <<'EOF'
import json, subprocess, sys, time
path, rounds, sessions, small, field, warmup, load_before, seconds = sys.argv[1:]
commit = subprocess.run(["git", "describe", "--always"], capture_output=True, text=True).stdout.strip() or "?"
if subprocess.run(["git", "diff", "--quiet", "HEAD", "--", ".", ":(exclude)docs"]).returncode != 0:
    commit += "-dirty"
json.dump({"date": time.strftime("%Y-%m-%d %H:%M %Z"), "commit": commit, "rounds": int(rounds),
           "sessions": int(sessions), "requests": {"small": int(small), "field": int(field)}, "warmup": int(warmup),
           "load_before": load_before, "load_after": " ".join(open("/proc/loadavg").read().split()[:3]),
           "seconds": int(seconds)}, open(path, "w"), indent=1)
EOF
    echo "bench: the batching comparison took $(( $(date +%s) - batching_started )) s"
}

if [ "$batching_only" = 1 ]; then
    run_batching
    if [ -f "$results/meta.json" ]; then
        "$PY" bench/report.py --results "$results" --doc docs/performance.md --plot docs/performance.png \
            --screenshot "$([ -f docs/performance-monitor-500.png ] && echo performance-monitor-500.png)"
    else
        echo "bench: no full run's results in ${results#$root/}: docs/performance.md is left as it is" >&2
    fi
    # The section as the report writes it, also on its own.
    "$PY" bench/report.py --results "$results" --section batching | tee "$results/batching.md"
    exit 0
fi

run_workload small "$small_model" "$small_images" "$small_one" "${small[@]}"
run_workload field "$field_model" "$field_images" "$field_one" "${field[@]}"
run_batching

# --- the paths real clients take (issue 13) ----------------------------------------------
# ~900 KB photos (the field photos at quality 95), then seed-style clients against Orchard
# and the seed design, p50 per body form, a fresh server's first request, and the Orchard
# client with and without its downscaled copies (bench/client_paths.py says how).
photos="$work/photos"
if [ ! -f "$photos/field_07.jpg" ]; then
    "$PY" bench/make_field_images.py --out "$photos" --count 8 --quality 95
fi
if [ "${BENCH_QUICK:-0}" = 1 ]; then
    paths_counts=(--rounds 1 --seed-style-requests 10 --body-requests 5 --first-starts 2 --first-steady-requests 5
                  --downscale-photos 8)
else
    paths_counts=()
fi
echo "bench: the paths real clients take"
commands+=("client_paths.py --workers $workers ${paths_counts[*]}")
"$PY" bench/client_paths.py --server "$bin/orchard-server" --cli "$bin/orchard-cli" \
    --seed-server bench/reference/seed_server.py --model "$small_model" --field-model "$field_model" \
    --photos "$photos" --work "$work/client-paths" --workers "$workers" "${paths_counts[@]}" \
    > "$results/client-paths.json" || echo "bench: client_paths.py failed (status $?); its rows are left out" >&2
# Does sending the copies change the diagnosis? 10,000 photos, about a minute and a half.
if [ "${BENCH_QUICK:-0}" != 1 ]; then
    echo "bench: agreement of downscaled copies with originals on 10,000 photos"
    commands+=("agreement.py (10,000 Fashion-MNIST photos, 1024x1024 JPEG q92, copies against --send-originals)")
    "$PY" bench/agreement.py --cli "$bin/orchard-cli" --server "$bin/orchard-server" --model "$small_model" \
        --out "$work/agreement" > "$work/agreement.json.new" && mv "$work/agreement.json.new" "$work/agreement.json" \
        || echo "bench: agreement.py failed (status $?); its row is left out" >&2
fi

# --- new versions taken live (issue 15) ---------------------------------------------------
# 4 seed-style clients for a quiet minute, then a minute with 10 new versions of the field
# model dropped into a poll-mode repository: failed requests, latency, memory.
if [ "${BENCH_QUICK:-0}" = 1 ]; then reload_counts=(--seconds 6 --reloads 3); else reload_counts=(--seconds 60 --reloads 10); fi
echo "bench: new model versions taken live while 4 clients predict"
commands+=("reload.py --clients 4 ${reload_counts[*]} (field model, poll every 1 s)")
"$PY" bench/reload.py --server "$bin/orchard-server" --model "$field_model" --images "$photos" --clients 4 \
    "${reload_counts[@]}" --log "$results/reload-server.log" --output "$results/reload.json" > /dev/null \
    || echo "bench: reload.py failed (status $?); its rows are left out" >&2

# --- 500 clients waiting -----------------------------------------------------------------
waiting=500
echo "bench: $waiting clients waiting for $workers workers, headless"
start_orchard "$small_model"
commands+=("waiting_clients.py --clients $waiting (headless server)")
"$PY" bench/waiting_clients.py --port "$port" --server-pid "$server_pid" --workers "$workers" \
    --clients "$waiting" --mode headless > "$results/waiting-headless.json"
stop_server

echo "bench: $waiting clients waiting for $workers workers, monitor window under Xvfb"
screenshot="$root/docs/performance-monitor-500.png"
rm -f "$screenshot"
commands+=("waiting_clients.py --clients $waiting (server with its monitor window, Xvfb 1280x860)")
# The server with its window, the clients and the screenshot all run inside one Xvfb session.
BENCH_BIN="$bin" BENCH_WORKERS="$workers" BENCH_MODEL="$small_model" BENCH_RESULTS="$results" \
BENCH_WAITING="$waiting" BENCH_SCREENSHOT="$screenshot" BENCH_PY="$PY" \
xvfb-run -a -s "-screen 0 1280x860x24" bash -c '
    set -euo pipefail
    log="$BENCH_RESULTS/orchard-server-window.log"
    "$BENCH_BIN/orchard-server" --host 127.0.0.1 --port 0 --threads "$BENCH_WORKERS" --intra-op-threads 1 \
        --max-queued 1000 --model "$BENCH_MODEL" > "$log" 2>&1 &
    pid=$!
    trap "kill -TERM $pid 2>/dev/null || true; wait $pid 2>/dev/null || true" EXIT
    for _ in $(seq 1 600); do grep -q "listening on" "$log" && break; sleep 0.1; done
    port=$(grep -m1 -o "listening on .* port [0-9]*" "$log" | grep -o "[0-9]*$")
    sleep 1 # the window maps and paints
    "$BENCH_PY" bench/waiting_clients.py --port "$port" --server-pid "$pid" --workers "$BENCH_WORKERS" \
        --clients "$BENCH_WAITING" --mode window \
        --during "import -window root -trim +repage \"$BENCH_SCREENSHOT\"" > "$BENCH_RESULTS/waiting-window.json"
' || echo "bench: the monitor-window measurement failed (status $?); its row is left out" >&2

# --- the report --------------------------------------------------------------------------
finished=$(date +%s)
"$PY" - "$results/meta.json" "$root" "$workers" "$waiting" "$nice_level" "$load_before" "$((finished - started))" \
    "${small_one#$root/}" "${field_one#$root/}" "${commands[@]}" <<'EOF'
import json, os, platform, subprocess, sys, time
path, root, workers, waiting, nice, load_before, seconds, small_one, field_one, *commands = sys.argv[1:]
commands = [command.replace(root + "/", "") for command in commands]
def run(*args):
    try:
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
cpu = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")), "?")
memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
os_name = next((line.split("=", 1)[1].strip().strip('"') for line in open("/etc/os-release")
                if line.startswith("PRETTY_NAME")), platform.system())
# "-dirty" when what was measured differs from the commit; docs/ does not count, since this
# script rewrites docs/performance.md and its pictures itself.
commit = run("git", "describe", "--always")
if subprocess.run(["git", "diff", "--quiet", "HEAD", "--", ".", ":(exclude)docs"]).returncode != 0:
    commit += "-dirty"
json.dump({
    "date": time.strftime("%Y-%m-%d %H:%M %Z"), "cores": os.cpu_count(), "cpu": cpu,
    "memory": f"{int(memory) / 1048576:.0f} GiB RAM", "os": f"{os_name}, Linux {platform.release()}",
    "commit": commit, "workers": int(workers), "waiting_clients": int(waiting), "nice": nice,
    "load_before": load_before, "load_after": " ".join(open("/proc/loadavg").read().split()[:3]),
    "duration": f"{int(seconds) // 60} min {int(seconds) % 60} s",
    "small_latency_image": small_one, "field_latency_image": field_one, "commands": commands,
}, open(path, "w"), indent=1)
EOF
"$PY" bench/report.py --results "$results" --doc docs/performance.md --plot docs/performance.png \
    --screenshot "$([ -f "$screenshot" ] && basename "$screenshot")"
echo "bench: done in $(( $(date +%s) - started )) s; see docs/performance.md"
