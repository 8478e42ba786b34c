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

mvn -B verify "$@"
