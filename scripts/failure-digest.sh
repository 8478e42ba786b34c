#!/usr/bin/env bash
# After a failed `mvn verify`: a short digest of what failed, printed last so that a log viewer showing only
# the end of the output still shows it. For each failing test: its first failure line, and for the node
# processes it ran (target/it-logs/*.log named in its report or its -output.txt) their last warnings and errors with their times
# (a blocked event loop, a Hazelcast retry, a refused database) and the last lines they wrote.
set -uo pipefail
cd "$(dirname "$0")/.."

reports=$(grep -lE '<<< (FAILURE|ERROR)!' target/surefire-reports/*.txt target/failsafe-reports/*.txt 2>/dev/null)
[ -z "$reports" ] && exit 0
echo
echo "=== failure digest (scripts/failure-digest.sh) ==="
for report in $reports; do
  grep -A1 -E '^[a-zA-Z].*<<< (FAILURE|ERROR)!' "$report" | grep -v '^--$' | cut -c1-400
  named="$report ${report%.txt}-output.txt"
  for log in $(cat $named 2>/dev/null | grep -oE 'target/it-logs/[A-Za-z0-9._-]+\.log' | sort -u); do
    [ -f "$log" ] || continue
    echo "--- $log: last warnings/errors"
    grep -E '^[0-9:.]+ (WARN|ERROR)' "$log" | tail -n 6 | cut -c1-300
    echo "--- $log: last lines"
    tail -n 3 "$log" | cut -c1-300
  done
done
