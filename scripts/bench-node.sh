#!/usr/bin/env bash
# Node benchmarks (issue 2), printed, not asserted: cold start of one node with embedded PostgreSQL to
# /health/ready, warm restart, idle RSS, join time of a second node, and the time the cluster takes to
# mark a kill -9'ed node unreachable. Runs real `java -jar target/gantry.jar` processes on loopback.
# Usage: scripts/bench-node.sh [runs]   (default 3; medians are printed)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${1:-3}"
JAR=target/gantry.jar
[ -f "$JAR" ] || mvn -B -q package -DskipTests
WORK="$(mktemp -d)"
PIDS=()
cleanup() { # a node killed with -9 leaves its embedded postmaster running (own session): stop it by pid
  for p in "${PIDS[@]:-}"; do kill -9 "$p" 2>/dev/null || true; done
  for f in "$WORK"/*/postgres/postmaster.pid; do [ -f "$f" ] && kill -INT "$(head -n 1 "$f")" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

ms() { date +%s%3N; }
free_port() { python3 -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }
wait_ready() { # port deadline_s
  local end=$(( $(date +%s) + $2 ))
  until curl -sf "localhost:$1/health/ready" >/dev/null; do
    [ "$(date +%s)" -lt "$end" ] || { echo "node on $1 not ready in $2 s" >&2; return 1; }
    sleep 0.05
  done
}
export GANTRY_CLUSTER_SECRET="${GANTRY_CLUSTER_SECRET:-$(head -c 32 /dev/urandom | od -An -tx1 | tr -d " \n")}"
start_node() { # name port cport dbport extra... ; echoes pid
  local name=$1 port=$2 cport=$3 dbport=$4; shift 4
  java ${JAVA_OPTS:--XX:+UseSerialGC -Xms32m -Xmn32m -Xmx512m} -jar "$JAR" --node-name "$name" --data-dir "$WORK/$name" --port "$port" --cluster-port "$cport" \
    --embedded-db-port "$dbport" --bootstrap-password benchpass1 --http-instances 2 "$@" >"$WORK/$name.log" 2>&1 &
  echo $!
}
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

cold=(); warm=(); rss=(); join=(); lost=()
for run in $(seq 1 "$RUNS"); do
  p1=$(free_port); c1=$(free_port); d1=$(free_port); p2=$(free_port); c2=$(free_port)
  rm -rf "$WORK/n1" "$WORK/n2"
  t0=$(ms); pid1=$(start_node n1 "$p1" "$c1" "$d1"); PIDS+=("$pid1"); wait_ready "$p1" 60; cold+=($(( $(ms) - t0 )))
  kill "$pid1"; wait "$pid1" 2>/dev/null || true
  t0=$(ms); pid1=$(start_node n1 "$p1" "$c1" "$d1"); PIDS+=("$pid1"); wait_ready "$p1" 60; warm+=($(( $(ms) - t0 )))
  curl -s -c "$WORK/cj" -H 'Content-Type: application/json' -d '{"username":"admin","password":"benchpass1"}' \
    "localhost:$p1/auth/login" >/dev/null
  sleep 10
  rss+=($(awk '/VmRSS/ {print int($2/1024)}' "/proc/$pid1/status"))
  t0=$(ms); pid2=$(start_node n2 "$p2" "$c2" "$d1" --join "127.0.0.1:$c1" \
    --db-url "postgresql://postgres@127.0.0.1:$d1/postgres" --db-password-file "$WORK/n1/postgres_password")
  PIDS+=("$pid2")
  until curl -sf -b "$WORK/cj" "localhost:$p1/v2/nodes/n2" | grep -q '"state":"ready"'; do sleep 0.02; done
  join+=($(( $(ms) - t0 )))
  wait_ready "$p2" 60
  t0=$(ms); kill -9 "$pid2"
  until curl -sf -b "$WORK/cj" "localhost:$p1/v2/nodes/n2" | grep -q '"state":"unreachable"'; do sleep 0.01; done
  lost+=($(( $(ms) - t0 )))
  kill "$pid1"; wait "$pid1" 2>/dev/null || true
  echo "run $run: cold ${cold[-1]} ms, warm ${warm[-1]} ms, idle rss ${rss[-1]} MB, join ${join[-1]} ms, unreachable ${lost[-1]} ms" >&2
done

printf '\n%-52s %10s %10s\n' "figure (median of $RUNS runs)" "measured" "budget"
printf '%-52s %8s ms %10s\n' "cold start, embedded PostgreSQL, to /health/ready" "$(printf '%s\n' "${cold[@]}" | median)" "10000 ms"
printf '%-52s %8s ms %10s\n' "restart with existing data dir, to /health/ready" "$(printf '%s\n' "${warm[@]}" | median)" "-"
printf '%-52s %8s MB %10s\n' "idle RSS of a node (engines excluded)" "$(printf '%s\n' "${rss[@]}" | median)" "300 MB"
printf '%-52s %8s ms %10s\n' "second node: start to 'ready' in the first's list" "$(printf '%s\n' "${join[@]}" | median)" "-"
printf '%-52s %8s ms %10s\n' "kill -9 of a node to 'unreachable' on another" "$(printf '%s\n' "${lost[@]}" | median)" "2000 ms"
