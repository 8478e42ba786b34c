#!/usr/bin/env bash
# Benchmark of the placement policy: 10,000 replicas on 1,000 simulated nodes x 8 devices.
# Prints the median of five timed runs after warm-up and placements/s (budget: 2 s, DESIGN.md §9).
#
# Usage:   scripts/bench-scheduler.sh            (from anywhere; builds the test classes first)
# Env:     MVN_FLAGS   Maven flags (default -o: offline, from the local repository; set it empty to go online)
#          JAVA_OPTS   JVM flags for the benchmark (default -Xmx1g)
set -euo pipefail

cd "$(dirname "$0")/.."
readonly CLASSPATH_FILE="target/bench-classpath.txt"

# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS--o} test-compile
# shellcheck disable=SC2086
mvn -B -q ${MVN_FLAGS--o} dependency:build-classpath -Dmdep.outputFile="${CLASSPATH_FILE}" -Dmdep.includeScope=test

# shellcheck disable=SC2086
exec java ${JAVA_OPTS:--Xmx1g} -cp "target/test-classes:target/classes:$(cat "${CLASSPATH_FILE}")" \
    dev.gantry.bench.PlacementBench
