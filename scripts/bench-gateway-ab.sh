#!/usr/bin/env bash
# Two Gantry builds side by side (issue "Govern the gateway" item 8): on a shared, noisy machine two runs of
# scripts/bench-gateway.sh can differ by 15-25 %, more than most single changes are worth. This runs node A and
# node B at once (each with its own embedded PostgreSQL and fixed-answer nginx engine, set up as the gateway
# benchmark sets up its node: a key with a rate limit that does not trip and a quota, calling a route) and loads
# them in turn, window after window, so that both see the same machine. Per window: req/s, p99, the node's CPU
# per request from /proc, and with PERF=1 its context switches and page faults per request (`perf stat`).
# Load comes from `wrk` in its own process.
#
# Usage:   scripts/bench-gateway-ab.sh JAR_A JAR_B        e.g. a previous build's jar against target/gantry.jar
# Env:     WARMUP_SECONDS  load on each node before measuring (default 90)
#          SECONDS_PER_RUN one window (default 10)
#          ROUNDS          windows per node (default 5)
#          JAVA_OPTS_A / JAVA_OPTS_B   the nodes' JVM flags (default -Xmx1g)
#          WRK_HEADER                  a header every request carries, e.g. 'Accept-Encoding: gzip' (as SDK clients send)
#          NODE_ARGS_A / NODE_ARGS_B   more node options, e.g. the same jar twice with NODE_ARGS_A='--socket-transport
#                                      epoll' NODE_ARGS_B='--socket-transport io_uring'
#          PERF=1          also count context switches and page faults per request (needs perf)
#          KEEP_WORK=1     keep the work folder in /tmp (logs, the nodes' data); a failed run always keeps it
set -euo pipefail

cd "$(dirname "$0")/.."
readonly ROOT=$PWD
[ $# -eq 2 ] && [ -f "$1" ] && [ -f "$2" ] || { echo "usage: $0 JAR_A JAR_B" >&2; exit 2; }
readonly WARMUP="${WARMUP_SECONDS:-90}" DURATION="${SECONDS_PER_RUN:-10}" ROUNDS="${ROUNDS:-5}"
command -v wrk >/dev/null || { echo "bench-gateway-ab: needs wrk (apt-get install wrk)" >&2; exit 2; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
export BENCH_NGINX=$NGINX
[ -x "$NGINX" ] || { echo "bench-gateway-ab: needs nginx (apt-get install nginx-light)" >&2; exit 2; }

WORK=$(mktemp -d /tmp/gantry-bench-ab-XXXXXX)
readonly WORK
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
declare -A PORT PID
cleanup() {
  local status=$?
  for pid in "${PID[@]}"; do kill "$pid" 2>/dev/null || true; done
  local pg
  for pg in $(find "$WORK" -name postmaster.pid 2>/dev/null); do kill "$(head -1 "$pg" 2>/dev/null)" 2>/dev/null || true; done
  "$(dirname "$0")/bench/remove_work.sh" "$WORK" "$status" "${PID[@]}"
}
trap cleanup EXIT

start_node() { # name jar java-opts node-args
  local name=$1 jar=$2 opts=$3 args=$4 dir=$WORK/$1 port
  mkdir -p "$dir"
  port=$(free_port)
  # shellcheck disable=SC2086
  TMPDIR=$WORK java $opts -DGANTRY_LOG_LEVEL=WARN -jar "$jar" --data-dir "$dir/data" --host 127.0.0.1 --port "$port" \
      --cluster-port "$(free_port)" --embedded-db-port "$(free_port)" --node-name "bench-$name" \
      --bootstrap-password "bench-Secret-42" $args > "$dir/node.log" 2>&1 &
  PID[$name]=$!
  PORT[$name]=$port
  local key engine_port
  read -r key engine_port < <(python3 "$ROOT/scripts/bench/setup_gateway.py" "$port" "$ROOT/scripts/bench/fixed-engine.sh" "$dir" "${PID[$name]}")
  echo "bench-gateway-ab: node $name ($jar) on 127.0.0.1:$port, engine on $engine_port" >&2
}

start_node A "$1" "${JAVA_OPTS_A:--Xmx1g}" "${NODE_ARGS_A:-}"
start_node B "$2" "${JAVA_OPTS_B:--Xmx1g}" "${NODE_ARGS_B:-}"

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
pg_ticks() { # name: CPU ticks of the node's embedded PostgreSQL, its children's included (exited ones via cutime)
  local postmaster total child
  postmaster=$(head -1 "$(find "$WORK/$1" -name postmaster.pid | head -1)")
  total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat")
  for child in $(ps -o pid= --ppid "$postmaster"); do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$child/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}
load() { # name seconds [wrk flags...]
  local name=$1 seconds=$2
  shift 2
  wrk -t1 -c32 -d"$seconds"s ${WRK_HEADER:+-H "$WRK_HEADER"} "$@" -s "$WORK/$name/chat.lua" "http://127.0.0.1:${PORT[$name]}/v1/chat/completions"
}

echo "bench-gateway-ab: warming both nodes up ($WARMUP s each)" >&2
load A "$WARMUP" >/dev/null
load B "$WARMUP" >/dev/null
: > "$WORK/windows"
for round in $(seq "$ROUNDS"); do
  for name in A B; do
    pid=${PID[$name]}
    perf_pid=""
    if [ "${PERF:-0}" = 1 ]; then
      perf stat -x, -e context-switches,page-faults -p "$pid" -o "$WORK/perf.$name" -- sleep "$((DURATION - 1))" &
      perf_pid=$!
    fi
    before=$(cpu_ticks "$pid") pg_before=$(pg_ticks "$name")
    load "$name" "$DURATION" --latency > "$WORK/wrk.out"
    after=$(cpu_ticks "$pid") pg_after=$(pg_ticks "$name")
    [ -n "$perf_pid" ] && wait "$perf_pid"
    python3 - "$name" "$round" "$((after - before))" "$(getconf CLK_TCK)" "$WORK/perf.$name" "$WORK/wrk.out" "$((pg_after - pg_before))" >> "$WORK/windows" <<'PY'
import os, re, sys
name, round_, ticks, hz, perf = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
out = open(sys.argv[6]).read()
pg_ticks = int(sys.argv[7])
requests = int(re.search(r"(\d+) requests in", out).group(1))
seconds = float(re.search(r"requests in ([\d.]+)s", out).group(1))
p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
p99_ms = float(p99.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)] if p99 else float("nan")
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
counts = {}
if os.path.exists(perf):
    for line in open(perf):
        fields = line.strip().split(",")
        if len(fields) > 2 and fields[0].isdigit():
            counts[fields[2]] = int(fields[0])
    os.remove(perf)
per_request = lambda n: f"{n / max(requests, 1):.3f}" if n >= 0 else "-1"
print(name, round_, f"{requests / seconds:.0f}", f"{p99_ms:.2f}", f"{ticks * 1e6 / hz / max(requests, 1):.1f}",
      per_request(counts.get("context-switches", -1)), per_request(counts.get("page-faults", -1)),
      errors.group(1) if errors else 0, f"{pg_ticks * 1e6 / hz / max(requests, 1):.1f}")
PY
    echo "bench-gateway-ab: window $(tail -1 "$WORK/windows") (node round req/s p99-ms cpu-us/req ctx/req faults/req non-2xx pg-us/req)" >&2
  done
done
python3 - "$WORK/windows" "$1" "$2" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
jars = {"A": sys.argv[2], "B": sys.argv[3]}
print(f"{'node':<5}{'req/s':>9}{'p99 ms':>9}{'CPU us/req':>12}{'PG us/req':>11}{'ctx sw/req':>12}{'faults/req':>12}  windows, jar")
means = {}
for name in ("A", "B"):
    mine = [r for r in rows if r[0] == name]
    col = lambda i: statistics.median(float(r[i]) for r in mine)
    means[name] = (col(2), col(4), col(8))
    perf = lambda i: f"{col(i):12.3f}" if col(i) >= 0 else f"{'-':>12}"
    print(f"{name:<5}{col(2):9.0f}{col(3):9.2f}{col(4):12.1f}{col(8):11.1f}{perf(5)}{perf(6)}  {len(mine)}, {jars[name]}")
errors = sum(int(r[7]) for r in rows)
print(f"B/A: req/s {means['B'][0] / means['A'][0]:.2f}x, CPU per request {means['B'][1] / means['A'][1]:.2f}x"
      f", PostgreSQL's CPU per request {means['B'][2] / means['A'][2]:.2f}x (medians of alternating windows){'' if not errors else f'; {errors} non-2xx answers'}")
PY
