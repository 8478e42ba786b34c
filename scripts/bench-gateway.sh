#!/usr/bin/env bash
# Gateway benchmark (DESIGN.md §9): overhead of the gateway against calling the engine directly, and
# nginx proxy_pass as a baseline when nginx is installed (apt-get install -y nginx), all in one run:
# non-streaming latency percentiles and throughput at concurrency 1, 16, 64 and at 1,000 requests/s,
# then time to first token and inter-token gaps at 100 and 1,000 concurrent streams. Prints tables.
#
# Usage:   scripts/bench-gateway.sh            (from anywhere; builds the test classes first)
# Env:     MVN_FLAGS   Maven flags (default -o: offline, from the local repository; set it empty to go online)
#          JAVA_OPTS   JVM flags for the benchmark JVM, which runs the node and the load (default -Xmx1g)
#          BENCH_OPTS  durations in seconds (defaults: -Dbench.warmup=15 per target, -Dbench.seconds=5 per
#                      request scenario, -Dbench.stream.seconds=10 per stream scenario)
set -euo pipefail

cd "$(dirname "$0")/.."
readonly CLASSPATH_FILE="target/bench-classpath.txt"

# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS--o} test-compile
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS--o} dependency:build-classpath -Dmdep.outputFile="${CLASSPATH_FILE}" -Dmdep.includeScope=test

# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx1g} ${BENCH_OPTS:-} -DGANTRY_LOG_LEVEL=WARN \
    -cp "target/test-classes:target/classes:$(cat "${CLASSPATH_FILE}")" dev.gantry.bench.GatewayBench
