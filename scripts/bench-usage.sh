#!/usr/bin/env bash
# Usage ingest benchmark (issue 7, item 9), printed, not asserted, baselines measured in the same run:
# the serving thread's cost of journaling a usage record (against the old event-bus hand-off), records/s
# from a journal backlog into PostgreSQL (embedded, default settings: fsync on) with batches of 4,000
# (against 500, the old ledger's), and the lag while records arrive at a fixed rate.
#
# Usage:   scripts/bench-usage.sh
# Env:     MVN_FLAGS   Maven flags (default -o: offline)
#          JAVA_OPTS   JVM flags (default -Xmx1g)
#          BENCH_OPTS  -Dbench.writes=300000 (write-path loop), -Dbench.backlog=200000 (shipping),
#                      -Dbench.rate=20000 -Dbench.rate.seconds=15 (lag)
set -euo pipefail

cd "$(dirname "$0")/.."
readonly CLASSPATH_FILE="target/bench-classpath.txt"

# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS--o} test-compile
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS--o} dependency:build-classpath -Dmdep.outputFile="${CLASSPATH_FILE}" -Dmdep.includeScope=test

# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx1g} ${BENCH_OPTS:-} -DGANTRY_LOG_LEVEL=WARN \
    -cp "target/test-classes:target/classes:$(cat "${CLASSPATH_FILE}")" dev.gantry.bench.UsageIngestBench
