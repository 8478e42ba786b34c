package dev.gantry.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Wraps an engine's command so the engine cannot outlive its node: a small shell runs the engine and
 * watches the pipe to the node's JVM; when that pipe closes (the JVM exited, even by {@code kill -9})
 * it stops the engine (TERM, then KILL after 10 s). A TERM sent to the wrapper is passed on — the trap is
 * set before the engine starts, so a TERM that arrives in between is passed on as soon as it has — and the
 * wrapper exits with the engine's exit code.
 */
final class ParentWatch {

  static final String SCRIPT = String.join("\n",
      "exec 3<&0",
      "pid=",
      "trap 'stop=1; [ -n \"$pid\" ] && kill -TERM $pid 2>/dev/null' TERM INT",
      "\"$@\" </dev/null 3<&- &",
      "pid=$!",
      "[ -n \"$stop\" ] && kill -TERM $pid 2>/dev/null",
      "( while read -r _; do :; done; kill -TERM $pid 2>/dev/null || exit 0; i=0;"
          + " while kill -0 $pid 2>/dev/null && [ $i -lt 10 ]; do sleep 1; i=$((i+1)); done;"
          + " kill -KILL $pid 2>/dev/null ) <&3 &",
      "wait $pid; code=$?",
      "while kill -0 $pid 2>/dev/null; do wait $pid; code=$?; done",
      "exit $code");

  static List<String> wrap(List<String> argv) {
    List<String> wrapped = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "gantry-engine"));
    wrapped.addAll(argv);
    return wrapped;
  }

  private ParentWatch() {
  }
}
