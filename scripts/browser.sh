#!/usr/bin/env bash
# Debian's Chromium and its matching ChromeDriver for the console's browser tests
# (src/test/java/dev/gantry/console), installed once when missing (~30-45 s, ~500 MB).
# Silent unless something goes wrong; then apt's output is printed and the script fails.
set -euo pipefail

if [[ -x /usr/bin/chromium && -x /usr/bin/chromedriver ]]; then
  exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
  echo "browser.sh: chromium and chromium-driver are missing and only root can install them; the browser tests will be skipped" >&2
  exit 0
fi
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
export DEBIAN_FRONTEND=noninteractive
if ! { apt-get update -qq && apt-get install -y -qq chromium chromium-driver; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "browser.sh: could not install chromium and chromium-driver (output above)" >&2
  exit 1
fi
