#!/usr/bin/env bash
# Gateway benchmark (DESIGN.md §9, issue "Govern the gateway" item 8), every party in its own process:
#   engine  a fixed-answer OpenAI chat engine (nginx `return 200`), launched by Gantry as a `custom` backend
#   direct  wrk straight to that engine
#   nginx   wrk to nginx `proxy_pass` in front of the same engine (keep-alive upstream, no buffering)
#   vertx   wrk to the least proxy the stack can make (dev.gantry.bench.BareVertxProxy: the same Vert.x and
#           Netty, the socket transport a node takes by default, a verticle per core, body forwarded unchanged;
#           no router, auth, parsing, metrics or record), the ceiling of Gantry's stack, so the table tells the
#           stack's cost from Gantry's
#   gantry  wrk to a Gantry node (`java -jar target/gantry.jar`, embedded PostgreSQL) with governance on:
#           a key with a rate limit that does not trip and a token quota, calling a route over the model
# Load comes from `wrk` (its own process, one thread); each request carries `Accept-Encoding: gzip, deflate`, as
# the OpenAI SDKs send it. Prints throughput at 32 connections, latency
# percentiles at 32 and at 1 connection, each against nginx and direct in the same run, then the streaming
# figures (time to first token at 100 and 1,000 concurrent streams through the gateway, nginx proxy_pass and the
# bare Vert.x proxy, each against the engine) measured by a load process of its own (dev.gantry.bench.StreamLoad).
#
# Usage:   scripts/bench-gateway.sh
# Env:     SECONDS_PER_RUN   wrk duration per scenario (default 10)
#          NODE_JAVA_OPTS    the node's (and the bare proxy's) JVM flags; default -Xms1g -Xmx1g -XX:+AlwaysPreTouch, what
#                            docs/OPERATIONS.md recommends for a gateway node: on these VMs a heap only committed faults
#                            its pages in during collections (a 196 ms pause at 1,000 streams, 65 ms pre-touched)
#          MVN_FLAGS         Maven flags for building the jar when missing (e.g. -o once the dependency plugin is cached)
#          WARMUP_SECONDS    load on the node before measuring, so the JIT has compiled the gateway's path
#                            (default 120: at 45-60 s the JIT still took 0.14 cores of the node's 1.2, at 150 s
#                            0.06; with less, C2 compilation shows up as CPU per request)
#          SKIP_STREAMS=1    skip the streaming scenarios; ONLY_STREAMS=1 runs only them
#          SKIP_BARE=1       skip the bare Vert.x proxy baseline (it needs the test classpath: mvn test-compile)
#          BARE_LAYERS=1     also a bare proxy with a node's Vert.x Web router, body handler and Vert.x Micrometer
#                            metrics (row `vertx+web`), to tell those layers' cost from Gantry's own work;
#                            BARE_LAYERS_FLAGS picks the layers (default -Dbare.router=true -Dbare.metrics=true; also
#                            -Dbare.serverOptions=true, see BareVertxProxy)
#          STREAM_OPTS       JVM flags of the stream load process, e.g. -Dbench.stream.seconds=20 -Dbench.warmup=20
#                            -Dbench.stream.counts=1,10,100 (the concurrencies measured; default 100,1000)
#                            -Dbench.stream.ramp=0 (no streams at the measured concurrency just before each target's
#                            run: the gateway's run then starts with its engine connections closed, a burst after idle)
#          GANTRY_JAR        the node to measure (default target/gantry.jar, built when missing), e.g. a previous
#                            version's jar to compare CPU per request before and after a change
#          PROFILE=f.jfr     only record a flight recording of the node under the 32-connection load
#                            (PROFILE_SETTINGS: a .jfc, default `profile`). In a Firecracker VM JFR's thread
#                            sampling itself costs the node 5-10x its throughput, so prefer THREADS=1 there
#          ASYNC_PROFILER=lib only profile the node under the 32-connection load with async-profiler's agent
#                            (path of libasyncProfiler.so, e.g. unzipped from Maven's tools.profiler:async-profiler;
#                            itimer sampling, loaded and stopped through jcmd) and print the hottest frames;
#                            ASYNC_EVENT=event=alloc samples where the node allocates instead, and with
#                            ASYNC_OUTPUT=collapsed,total the shares are of bytes allocated, not of samples;
#                            PROFILE_KEEP=file keeps the collapsed profile
#          KEEP_WORK=1       keep the work folder in /tmp (logs, the node's data); a failed run always keeps it
#          THREADS=1         only show where the node's CPU goes under the 32-connection load, per thread group
#                            (event loops, workers, JIT, GC, Hazelcast), from /proc: no agent, no sampling cost;
#                            THREADS_CONNS=1 does it at one connection instead
#          SYSCALLS=1        only count the system calls per request of the node, nginx and the bare proxy under the
#                            32-connection load (strace -c on every thread: slows them, but the count per request holds)
set -euo pipefail

cd "$(dirname "$0")/.."
readonly ROOT=$PWD
readonly DURATION="${SECONDS_PER_RUN:-10}"

need() {
  if ! command -v "$1" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$1" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null
    else
      echo "bench-gateway: needs '$1' (apt-get install $2)" >&2
      exit 2
    fi
  fi
}
need wrk wrk
need nginx nginx-light
readonly NGINX=$(command -v nginx || echo /usr/sbin/nginx)

readonly JAR="${GANTRY_JAR:-target/gantry.jar}"
if [ ! -f "$JAR" ]; then
  # shellcheck disable=SC2086
  mvn -B -q ${MVN_FLAGS-} package -DskipTests
fi

WORK=$(mktemp -d /tmp/gantry-bench-XXXXXX)
readonly WORK
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
readonly NODE_PORT=$(free_port) CLUSTER_PORT=$(free_port) DB_PORT=$(free_port) PROXY_PORT=$(free_port) BARE_PORT=$(free_port) LAYERED_PORT=$(free_port)
PIDS=()
cleanup() {
  local status=$?
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$WORK/proxy/nginx.pid" ] && kill "$(cat "$WORK/proxy/nginx.pid" 2>/dev/null)" 2>/dev/null || true
  # the embedded postmaster runs in a session of its own (FACTS.md): stop it by its pid file
  local pg
  pg=$(find "$WORK/data" -name postmaster.pid 2>/dev/null | head -1)
  [ -n "$pg" ] && kill "$(head -1 "$pg" 2>/dev/null)" 2>/dev/null || true
  "$ROOT/scripts/bench/remove_work.sh" "$WORK" "$status" "${PIDS[@]}"
}
trap cleanup EXIT

# The engine: nginx answering one fixed chat completion (with usage) to any request, one worker.
readonly ENGINE="$ROOT/scripts/bench/fixed-engine.sh"
export BENCH_NGINX=$NGINX

test_classpath() { # the stream load and the bare proxy run from the test classes
  if [ ! -f target/bench-classpath.txt ] || [ ! -f target/test-classes/dev/gantry/bench/BareVertxProxy.class ]; then
    # shellcheck disable=SC2086
    mvn -B -q ${MVN_FLAGS-} test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt \
        -Dmdep.includeScope=test
  fi
  echo "target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
}

readonly NODE_OPTS="${NODE_JAVA_OPTS:--Xms1g -Xmx1g -XX:+AlwaysPreTouch}"
echo "bench-gateway: starting a node on 127.0.0.1:$NODE_PORT (data in $WORK/data; JVM flags: $NODE_OPTS)" >&2
# shellcheck disable=SC2086
TMPDIR=$WORK java $NODE_OPTS -DGANTRY_LOG_LEVEL=WARN -jar "$JAR" --data-dir "$WORK/data" \
    --host 127.0.0.1 --port "$NODE_PORT" --cluster-port "$CLUSTER_PORT" --embedded-db-port "$DB_PORT" \
    --node-name bench --bootstrap-password "bench-Secret-42" > "$WORK/node.log" 2>&1 &
PIDS+=($!)

# Sign in, deploy the engine, make the governed key and route (and $WORK/chat.lua); prints "KEY ENGINE_PORT".
read -r KEY ENGINE_PORT < <(python3 "$ROOT/scripts/bench/setup_gateway.py" "$NODE_PORT" "$ENGINE" "$WORK" "${PIDS[-1]}")

mkdir -p "$WORK/proxy/logs"
cat > "$WORK/proxy/nginx.conf" <<EOF
worker_processes 1;
daemon off;
pid $WORK/proxy/nginx.pid;
error_log $WORK/proxy/logs/error.log warn;
events { worker_connections 8192; }
http {
  access_log off;
  client_body_temp_path $WORK/proxy/body;
  proxy_temp_path $WORK/proxy/temp;
  upstream engine { server 127.0.0.1:$ENGINE_PORT; keepalive 1024; keepalive_requests 10000000; }
  server {
    listen 127.0.0.1:$PROXY_PORT;
    keepalive_requests 10000000;
    location / {
      proxy_pass http://engine;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
EOF
"$NGINX" -p "$WORK/proxy" -c "$WORK/proxy/nginx.conf" &
PIDS+=($!)

BARE_PID="" LAYERED_PID=""
start_bare() { # port log [jvm flags...]: a bare proxy process; prints its pid once it listens
  local port=$1 log=$2
  shift 2
  # shellcheck disable=SC2086
  java $NODE_OPTS "$@" -cp "$(test_classpath)" dev.gantry.bench.BareVertxProxy "$port" "$ENGINE_PORT" \
      > "$log" 2>&1 &
  local pid=$!
  for _ in $(seq 100); do grep -qs "bare vert.x proxy on" "$log" && break; sleep 0.2; done
  grep -q "bare vert.x proxy on" "$log" || { echo "bench-gateway: the bare proxy did not start:" >&2; cat "$log" >&2; kill "$pid"; exit 1; }
  echo "$pid"
}
if [ "${SKIP_BARE:-0}" != 1 ]; then
  BARE_PID=$(start_bare "$BARE_PORT" "$WORK/bare.log")
  PIDS+=("$BARE_PID")
  if [ "${BARE_LAYERS:-0}" = 1 ]; then
    # shellcheck disable=SC2086
    LAYERED_PID=$(start_bare "$LAYERED_PORT" "$WORK/layered.log" ${BARE_LAYERS_FLAGS:--Dbare.router=true -Dbare.metrics=true})
    PIDS+=("$LAYERED_PID")
  fi
fi

# CPU time (ms) so far of a process and its children's threads, from /proc (utime + stime, clock ticks)
cpu_ms() {
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo $((total * 1000 / $(getconf CLK_TCK)))
}
NODE_PID=${PIDS[0]}
proxy_pids() { local master; master=$(cat "$WORK/proxy/nginx.pid"); echo "$master $(pgrep -P "$master" | tr '\n' ' ')"; }

run_wrk() { # name url connections seconds -> appends "name conns rps p50 p90 p99 errors cpu_us_per_request"
  local out before after pids=""
  case "$1" in gantry) pids=$NODE_PID ;; nginx) pids=$(proxy_pids) ;; vertx) pids=$BARE_PID ;; vertx+web) pids=$LAYERED_PID ;; esac
  # shellcheck disable=SC2086
  before=$( [ -n "$pids" ] && cpu_ms $pids || echo 0)
  out=$(wrk -t1 -c"$3" -d"$4"s --latency -s "$WORK/chat.lua" "$2/v1/chat/completions" 2>&1)
  # shellcheck disable=SC2086
  after=$( [ -n "$pids" ] && cpu_ms $pids || echo 0)
  python3 "$ROOT/scripts/bench/wrk_figures.py" "$1" "$3" "$((after - before))" <<<"$out" >> "$WORK/results"
}

run_streams() {
  echo "bench-gateway: streaming (its own load process)" >&2
  local bare=true  # the streams also through the bare Vert.x proxy, unless SKIP_BARE=1
  [ "${SKIP_BARE:-0}" = 1 ] && bare=false
  # shellcheck disable=SC2086
  java -Xmx1g -Dbench.stream.nginx="$NGINX" -Dbench.stream.bare=$bare ${STREAM_OPTS:-} -cp "$(test_classpath)" \
      dev.gantry.bench.StreamLoad \
      "http://127.0.0.1:$NODE_PORT" "$KEY" "$WORK"
}
if [ "${ONLY_STREAMS:-0}" = 1 ]; then  # the streaming scenarios alone (they warm up by themselves)
  run_streams
  exit 0
fi

echo "bench-gateway: warming up (the JIT compiles the gateway's path)" >&2
wrk -t1 -c32 -d"${WARMUP_SECONDS:-120}"s -s "$WORK/chat.lua" "http://127.0.0.1:$NODE_PORT/v1/chat/completions" >/dev/null
wrk -t1 -c32 -d3s -s "$WORK/chat.lua" "http://127.0.0.1:$PROXY_PORT/v1/chat/completions" >/dev/null
for port in ${BARE_PID:+$BARE_PORT} ${LAYERED_PID:+$LAYERED_PORT}; do
  wrk -t1 -c32 -d"$(( ${WARMUP_SECONDS:-120} / 2 ))"s -s "$WORK/chat.lua" "http://127.0.0.1:$port/v1/chat/completions" >/dev/null
done
: > "$WORK/results"
thread_ticks() { python3 "$ROOT/scripts/bench/thread_cpu.py" snapshot "$NODE_PID"; }
if [ -n "${ASYNC_PROFILER:-}" ]; then  # async-profiler under the 32-connection load, then stop
  # jcmd splits a bare option at its commas: the agent's options go quoted inside the argument
  jcmd "$NODE_PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"start,${ASYNC_EVENT:-event=itimer,interval=1ms}\"" >/dev/null
  run_wrk gantry "http://127.0.0.1:$NODE_PORT" 32 "$DURATION"
  jcmd "$NODE_PID" JVMTI.agent_load "$ASYNC_PROFILER" "\"stop,${ASYNC_OUTPUT:-collapsed},file=$WORK/profile.collapsed\"" >/dev/null
  python3 "$ROOT/scripts/bench/report.py" < "$WORK/results"
  python3 "$ROOT/scripts/bench/hot_frames.py" "$WORK/profile.collapsed"
  if [ -n "${PROFILE_KEEP:-}" ]; then cp "$WORK/profile.collapsed" "$PROFILE_KEEP"; fi
  exit 0
fi
if [ -n "${THREADS:-}" ]; then  # the node's CPU per thread group under the 32-connection load, then stop
  thread_ticks > "$WORK/threads.before"
  python3 "$ROOT/scripts/bench/thread_cpu.py" processes > "$WORK/processes.before"
  run_wrk gantry "http://127.0.0.1:$NODE_PORT" "${THREADS_CONNS:-32}" "$DURATION"
  thread_ticks > "$WORK/threads.after"
  python3 "$ROOT/scripts/bench/thread_cpu.py" processes > "$WORK/processes.after"
  python3 "$ROOT/scripts/bench/report.py" < "$WORK/results"
  python3 "$ROOT/scripts/bench/thread_cpu.py" compare "$WORK/threads.before" "$WORK/threads.after" "$DURATION"
  python3 "$ROOT/scripts/bench/thread_cpu.py" machine "$WORK/processes.before" "$WORK/processes.after" "$DURATION"
  exit 0
fi
if [ -n "${SYSCALLS:-}" ]; then  # system calls per request, by call, of each proxy under the 32-connection load
  need strace strace
  for party in gantry:$NODE_PID:$NODE_PORT nginx:"$(proxy_pids | awk '{print $2}')":$PROXY_PORT \
      ${BARE_PID:+vertx:$BARE_PID:$BARE_PORT} ${LAYERED_PID:+vertx+web:$LAYERED_PID:$LAYERED_PORT}; do
    IFS=: read -r name pid port <<<"$party"
    strace -c -f -q -p "$pid" -o "$WORK/strace.$name" &
    tracer=$!
    sleep 1  # strace attaches to every thread; wait for it before the load
    wrk -t1 -c32 -d"$DURATION"s -s "$WORK/chat.lua" "http://127.0.0.1:$port/v1/chat/completions" > "$WORK/wrk.$name" 2>&1
    kill -INT "$tracer"
    wait "$tracer" || true
    python3 "$ROOT/scripts/bench/syscalls.py" "$name" "$WORK/wrk.$name" "$WORK/strace.$name"
  done
  exit 0
fi
if [ -n "${PROFILE:-}" ]; then  # a flight recording of the node under the 32-connection load, then stop
  jcmd "$NODE_PID" JFR.start name=bench settings="${PROFILE_SETTINGS:-profile}" >/dev/null
  run_wrk gantry "http://127.0.0.1:$NODE_PORT" 32 "$DURATION"
  jcmd "$NODE_PID" JFR.stop name=bench filename="$PROFILE" >/dev/null
  python3 "$ROOT/scripts/bench/report.py" < "$WORK/results"
  exit 0
fi
for round in 1 2; do
  run_wrk direct "http://127.0.0.1:$ENGINE_PORT" 32 "$DURATION"
  run_wrk nginx "http://127.0.0.1:$PROXY_PORT" 32 "$DURATION"
  [ -n "$BARE_PID" ] && run_wrk vertx "http://127.0.0.1:$BARE_PORT" 32 "$DURATION"
  [ -n "$LAYERED_PID" ] && run_wrk vertx+web "http://127.0.0.1:$LAYERED_PORT" 32 "$DURATION"
  run_wrk gantry "http://127.0.0.1:$NODE_PORT" 32 "$DURATION"
done
for round in 1 2; do
  run_wrk direct "http://127.0.0.1:$ENGINE_PORT" 1 "$DURATION"
  run_wrk nginx "http://127.0.0.1:$PROXY_PORT" 1 "$DURATION"
  [ -n "$BARE_PID" ] && run_wrk vertx "http://127.0.0.1:$BARE_PORT" 1 "$DURATION"
  [ -n "$LAYERED_PID" ] && run_wrk vertx+web "http://127.0.0.1:$LAYERED_PORT" 1 "$DURATION"
  run_wrk gantry "http://127.0.0.1:$NODE_PORT" 1 "$DURATION"
done
python3 "$ROOT/scripts/bench/report.py" < "$WORK/results"
python3 "$ROOT/scripts/bench/check_usage.py" "$NODE_PORT" "$WORK" "$KEY"

if [ "${SKIP_STREAMS:-0}" != 1 ]; then
  run_streams
fi
