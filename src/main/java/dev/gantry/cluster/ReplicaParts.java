package dev.gantry.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * The transitions of a replica placed over several nodes ({@link InstancePart}), each reported by the node
 * that runs the part. Every report carries the {@code generation} its process was started for: a report
 * about an earlier start (a worker that exited because the leader it served was already restarted) changes
 * nothing. Losing any part starts a new generation: every part is stopped and started again, the leader
 * first, the workers once the leader's rendezvous port is known.
 */
public final class ReplicaParts {

  private ReplicaParts() {
  }

  /** The part's engine process started; the leader's also gives the instance its port and pid. */
  public static ModelInstance started(ModelInstance i, int rank, int generation, int enginePort, long pid,
      int rendezvousPort, String message) {
    if (stale(i, rank, generation)) {
      return i;
    }
    ModelInstance base = rank == 0 ? i.starting(enginePort, pid, i.restartCount(), message) : i;
    return base.edit(d -> d.parts = replace(d.parts, rank,
        p -> p.with(InstanceState.STARTING, message, pid, rank == 0 ? rendezvousPort : 0)));
  }

  /**
   * The leader answers its readiness path, which it does only once every rank has joined it: the
   * instance and every started part are running.
   */
  public static ModelInstance leaderReady(ModelInstance i, int generation) {
    if (stale(i, 0, generation)) {
      return i;
    }
    return i.running().edit(d -> d.parts = d.parts.stream().map(p -> p.state() == InstanceState.STARTING
        ? p.with(InstanceState.RUNNING, null, p.pid(), p.rendezvousPort()) : p).toList());
  }

  /** A part could not be started (its command was refused, its executable is missing): shown, retried by its node. */
  public static ModelInstance failed(ModelInstance i, int rank, int generation, int restarts, String message) {
    if (stale(i, rank, generation)) {
      return i;
    }
    return i.failed(restarts, message).edit(d -> d.parts = replace(d.parts, rank,
        p -> p.with(InstanceState.ERROR, message, null, 0)));
  }

  /** A part's engine exited: the whole replica starts again as a new generation, saying which part was lost. */
  public static ModelInstance lost(ModelInstance i, int rank, int generation, String message) {
    if (stale(i, rank, generation)) {
      return i;
    }
    return i.edit(d -> {
      d.state = InstanceState.SCHEDULED;
      d.stateMessage = message;
      d.pid = null;
      d.restartCount = i.restartCount() + 1;
      d.generation = i.generation() + 1;
      d.lastRestart = message;
      d.parts = d.parts.stream().map(p -> p.with(InstanceState.SCHEDULED, p.rank() == rank ? message : null, null, 0))
          .toList();
    });
  }

  /**
   * Part {@code rank}'s node fetches the hub model's files into its own cache: the part shows its progress,
   * the instance the sum over every part's node and the slowest one ({@link #fetchSummary}). A report from a
   * node that no longer holds that part, or after the part's engine started, changes nothing.
   */
  public static ModelInstance downloading(ModelInstance i, int rank, String node, ModelInstance.Download progress,
      String message) {
    if (!fetchingOn(i, rank, node)) {
      return i;
    }
    return fetchSummary(i.edit(d -> d.parts = replace(d.parts, rank,
        p -> p.fetching(InstanceState.DOWNLOADING, message, progress))));
  }

  /** Part {@code rank}'s node could not get the files: the part and the instance are {@code error}, naming the node. */
  public static ModelInstance downloadFailed(ModelInstance i, int rank, String node, String message) {
    if (!fetchingOn(i, rank, node)) {
      return i;
    }
    return fetchSummary(i.edit(d -> d.parts = replace(d.parts, rank,
        p -> p.fetching(InstanceState.ERROR, message, null))));
  }

  /** Part {@code rank}'s node holds the files; once every part's does, the leader's node starts the leader. */
  public static ModelInstance holdingFiles(ModelInstance i, int rank, String node) {
    if (!fetchingOn(i, rank, node)) {
      return i;
    }
    return fetchSummary(i.edit(d -> d.parts = replace(d.parts, rank,
        p -> p.holdingFiles("model files ready on " + node))));
  }

  /** Whether every part's node holds the hub model's files (the leader may start). */
  public static boolean everyPartHoldsFiles(ModelInstance i) {
    return !i.parts().isEmpty() && i.parts().stream().allMatch(InstancePart::filesReady);
  }

  /**
   * The instance while its parts' nodes fetch files (before the leader started): {@code error} with the first
   * failed part's message (naming its node); else {@code downloading} with the bytes of every part's node
   * summed (a node that holds the files counts them all) and the slowest part named in the message.
   */
  static ModelInstance fetchSummary(ModelInstance i) {
    if (!beforeEngine(i.state())) {
      return i;
    }
    List<InstancePart> parts = i.parts();
    for (InstancePart part : parts) {
      if (part.state() == InstanceState.ERROR) {
        return i.failed(i.restartCount(), name(part) + ": " + part.message());
      }
    }
    long each = parts.stream().filter(p -> p.download() != null).mapToLong(p -> p.download().total()).max().orElse(0);
    long bytes = 0;
    long rate = 0;
    Long eta = null;
    InstancePart slowest = null;
    for (InstancePart part : parts) {
      if (part.filesReady()) {
        bytes += each;
        continue;
      }
      ModelInstance.Download d = part.download();
      bytes += d == null ? 0 : Math.min(d.bytes(), each);
      rate += d == null ? 0 : d.bytesPerSecond();
      if (d != null && d.etaSeconds() != null) {
        eta = eta == null ? d.etaSeconds() : Math.max(eta, d.etaSeconds());
      }
      if (slowest == null || percent(part) < percent(slowest)) {
        slowest = part;
      }
    }
    int ready = (int) parts.stream().filter(InstancePart::filesReady).count();
    String message = slowest == null ? "model files ready on every part's node; starting the leader"
        : "downloading on every part's node (" + ready + " of " + parts.size() + " have the files); slowest: "
            + name(slowest) + ": " + (slowest.message() == null ? "not started yet" : slowest.message());
    ModelInstance.Download total = new ModelInstance.Download(bytes, each * parts.size(), rate, eta);
    return i.edit(d -> {
      d.state = InstanceState.DOWNLOADING;
      d.download = total;
      d.stateMessage = message;
    });
  }

  private static int percent(InstancePart part) {
    return part.download() == null ? -1 : part.download().percent();
  }

  private static boolean beforeEngine(InstanceState state) {
    return state == InstanceState.SCHEDULED || state == InstanceState.DOWNLOADING || state == InstanceState.ERROR;
  }

  private static boolean fetchingOn(ModelInstance i, int rank, String node) {
    if (rank < 0 || rank >= i.parts().size()) {
      return false;
    }
    InstancePart part = i.parts().get(rank);
    return part.node().equals(node) && beforeEngine(part.state()) && part.pid() == null;
  }

  /** The words that name a part in messages: {@code part 1 on node-b}. */
  public static String name(InstancePart part) {
    return "part " + part.rank() + " on " + part.node();
  }

  private static boolean stale(ModelInstance i, int rank, int generation) {
    return i.generation() != generation || rank >= i.parts().size();
  }

  private static List<InstancePart> replace(List<InstancePart> parts, int rank,
      java.util.function.UnaryOperator<InstancePart> change) {
    List<InstancePart> out = new ArrayList<>(parts);
    out.set(rank, change.apply(parts.get(rank)));
    return out;
  }
}
