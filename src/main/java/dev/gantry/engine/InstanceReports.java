package dev.gantry.engine;

import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.ReplicaParts;
import java.util.function.UnaryOperator;

/**
 * How one engine process tells its instance record what happened: a replica on one node directly
 * ({@code rank} -1), a part of a replica over several nodes through {@link ReplicaParts}, for the
 * generation the process was started in. A worker's reports do not stamp its node as the one the gateway
 * reaches ({@link EngineProcess.Host#updateWorkerPart}).
 */
final class InstanceReports {

  private final EngineProcess.Host host;
  private final String id;
  private final int rank;
  private final int generation;

  InstanceReports(EngineProcess.Host host, ModelInstance instance, int rank) {
    this.host = host;
    this.id = instance.id();
    this.rank = rank;
    this.generation = instance.generation();
  }

  boolean part() {
    return rank >= 0;
  }

  /** Whether the process serves and is probed: every engine but a worker part. */
  boolean probed() {
    return rank <= 0;
  }

  void started(int port, long pid, int rendezvousPort, int restarts, String healthPath) {
    if (rank < 0) {
      String message = "engine started (pid " + pid + "), waiting for " + healthPath + " to answer";
      update(i -> i.starting(port, pid, restarts, message));
    } else if (rank == 0) {
      String message = "leader started (pid " + pid + "), waiting for every part to join and " + healthPath + " to answer";
      update(i -> ReplicaParts.started(i, 0, generation, port, pid, rendezvousPort, message));
    } else {
      String message = "worker started (pid " + pid + "), joining the leader";
      update(i -> ReplicaParts.started(i, rank, generation, port, pid, 0, message));
    }
  }

  /**
   * A replica's engine (on one node) has not answered yet: how long it has waited and the last line of its log.
   * Only while the record still shows this process starting: a report that comes late changes nothing.
   */
  void stillStarting(long pid, String healthPath, long seconds, String lastLogLine) {
    String message = "engine started (pid " + pid + ") " + elapsed(seconds) + " ago, waiting for " + healthPath
        + " to answer; " + (lastLogLine == null ? "no log output yet" : "its log: " + lastLogLine);
    update(i -> i.stillStarting(pid, message));
  }

  /** {@code 45 s}, {@code 12 min}, {@code 2 h 5 min}. */
  static String elapsed(long seconds) {
    if (seconds < 120) {
      return seconds + " s";
    }
    long minutes = seconds / 60;
    return minutes < 120 ? minutes + " min" : minutes / 60 + " h " + minutes % 60 + " min";
  }

  void ready() {
    update(rank == 0 ? i -> ReplicaParts.leaderReady(i, generation) : ModelInstance::running);
  }

  /** A part's engine exited: the whole replica starts again (a new generation); answers the message. */
  String lost(int code) {
    String message = "part " + rank + " on " + host.nodeName() + " exited (code " + code + "); restarting the replica";
    update(i -> ReplicaParts.lost(i, rank, generation, message));
    return message;
  }

  void failed(int restarts, String message) {
    update(rank < 0 ? i -> i.failed(restarts, message) : i -> ReplicaParts.failed(i, rank, generation, restarts, message));
  }

  private void update(UnaryOperator<ModelInstance> change) {
    if (rank > 0) {
      host.updateWorkerPart(id, change);
    } else {
      host.updateInstance(id, change);
    }
  }
}
