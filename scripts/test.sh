#!/usr/bin/env bash
# The whole test suite: unit, in-JVM integration (embedded PostgreSQL, in-JVM Hazelcast clusters) and
# multi-process tests (real `java -jar target/gantry.jar` nodes, real llama-server).
# Installs or builds what the tests need first (cached after the first run).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v mvn >/dev/null 2>&1; then
  apt-get update -qq && apt-get install -y -qq maven
fi
# upstream llama-server for the llama.cpp backend tests (built offline once, ~4 min, then cached)
GANTRY_LLAMA_SERVER="$(bash scripts/llama-server.sh | tail -n 1)"
export GANTRY_LLAMA_SERVER
bash scripts/browser.sh  # Chromium + ChromeDriver for the console's browser tests (installed once when missing)

# docker-compose.yml as Docker reads it, where Compose is installed (the suite's ComposeFileTest runs anyway)
if docker compose version >/dev/null 2>&1; then
  env POSTGRES_PASSWORD=check GANTRY_BOOTSTRAP_PASSWORD=check GANTRY_CLUSTER_SECRET=check \
      GANTRY_OIDC_CLIENT_SECRET=check KEYCLOAK_ADMIN_PASSWORD=check GRAFANA_ADMIN_PASSWORD=check \
      docker compose -f docker-compose.yml config -q
  echo "docker-compose.yml: docker compose config accepts it"
else
  echo "docker compose is not installed here: docker-compose.yml is checked by ComposeFileTest only"
fi

# the Gatling simulations run in their own Maven process (LoadTestSmokeIT): fetch Gatling once
mvn -B -q -f loadtest/pom.xml test-compile gatling:help >/dev/null

# a failure ends with a digest of what failed and what its node processes logged last
mvn -B verify "$@" || { status=$?; bash scripts/failure-digest.sh; exit $status; }
