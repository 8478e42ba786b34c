#!/bin/sh
# Removes a benchmark's work folder once what ran in it has stopped: the processes named (the node, which
# writes its history files as it stops, and stops its engines, whose TMPDIR the folder is) and the embedded
# PostgreSQL, whose postmaster.pid goes when it has shut down; 20 s at most.
# Usage: remove_work.sh WORK EXIT_STATUS [PID...]. A failed run (status not 0) or KEEP_WORK=1 keeps the folder.
work=$1
status=$2
shift 2
if [ "$status" != 0 ] || [ "${KEEP_WORK:-0}" = 1 ]; then
  echo "work folder kept: $work" >&2
  exit 0
fi
alive() { # a process that has not ended (a zombie waiting for its parent has)
  [ -e "/proc/$1/stat" ] && ! sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | grep -q '^Z'
}
running() {
  for pid in "$@"; do alive "$pid" && return 0; done
  [ -n "$(find "$work" -name postmaster.pid 2>/dev/null | head -1)" ]
}
i=0
while running "$@" && [ $i -lt 100 ]; do
  sleep 0.2
  i=$((i + 1))
done
rm -rf "$work"
