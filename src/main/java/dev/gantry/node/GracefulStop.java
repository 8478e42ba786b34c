package dev.gantry.node;

import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.health.Readiness;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a node does between SIGTERM (or {@code close()}) and leaving the cluster, so that stopping a node
 * is not a crash: no engine starts any more and the node is no longer ready; it announces that it is
 * {@code stopping}, so the scheduler places replacements of its replicas on other nodes at once while its
 * own keep serving; once those run (or cannot be placed), its replicas drain — out of routing, the
 * requests in flight to them finish — and its engines stop; its own gateway's requests finish; and it
 * leaves as {@code stopped}. Every wait ends at the deadline; each step is logged. Blocking: it runs on
 * the thread that stops the node.
 */
public final class GracefulStop {

  private static final Logger LOG = LoggerFactory.getLogger(GracefulStop.class);
  private static final long POLL_MS = 100;
  /** How long a draining replica stays reachable after the last request: other gateways see the change in ms. */
  private static final long SETTLE_MS = 500;

  private final String nodeName;
  private final LiveNodes nodes;
  private final LiveModels models;
  private final LiveInstances instances;
  private final LocalWork work;
  private final Readiness readiness;
  private final Supplier<Future<?>> stopHeartbeat;

  public GracefulStop(String nodeName, LiveNodes nodes, LiveModels models, LiveInstances instances,
      LocalWork work, Readiness readiness, Supplier<Future<?>> stopHeartbeat) {
    this.nodeName = nodeName;
    this.nodes = nodes;
    this.models = models;
    this.instances = instances;
    this.work = work;
    this.readiness = readiness;
    this.stopHeartbeat = stopHeartbeat;
  }

  public void run(Duration timeout) {
    long started = System.nanoTime();
    Instant deadline = Instant.now().plus(timeout);
    LOG.info("shutting down [node: {}] [timeout s: {}]", nodeName, timeout.toSeconds());
    work.quiesce();
    readiness.markLeaving();
    stopHeartbeat.get().await();
    nodes.update(nodeName, record -> record.stopping(Instant.now())).await();
    LOG.info("shutting down: no new engines, not ready, announced as stopping");

    List<ModelInstance> mine = mine();
    if (!mine.isEmpty()) {
      Set<String> modelNames = mine.stream().map(ModelInstance::modelName).collect(Collectors.toSet());
      LOG.info("shutting down: waiting for replicas of {} on other nodes", modelNames);
      boolean replaced = waitUntil(deadline, () -> replacedElsewhere(modelNames));
      LOG.info(replaced ? "shutting down: replicas elsewhere are running (or cannot be placed)"
          : "shutting down: timeout while replicas start elsewhere; stopping anyway");

      String message = "node " + nodeName + " is shutting down: finishing the requests in flight";
      Future.join(mine.stream().map(i -> instances.update(i.id(), current -> current.draining(message))).toList())
          .await();
      long drainStart = System.currentTimeMillis();
      boolean drained = waitUntil(deadline, () -> System.currentTimeMillis() - drainStart >= SETTLE_MS
          && mine.stream().allMatch(i -> work.inFlightTo(i.id()) == 0));
      LOG.info(drained ? "shutting down: replicas drained" : "shutting down: timeout while draining; stopping anyway");
    }
    int stopped = work.stopEngines().await();
    Future.join(mine().stream().map(i -> instances.remove(i.id())).toList()).await();
    LOG.info("shutting down: engines stopped [count: {}]", stopped);

    boolean finished = waitUntil(deadline, () -> work.inFlight() == 0);
    LOG.info(finished ? "shutting down: requests in flight finished"
        : "shutting down: timeout with requests in flight [count: {}]", work.inFlight());
    nodes.update(nodeName, record -> record.stopped(Instant.now())).await();
    LOG.info("shutting down: stopped, leaving the cluster [ms: {}]", (System.nanoTime() - started) / 1_000_000);
  }

  private List<ModelInstance> mine() {
    return instances.all().await().stream().filter(i -> i.on(nodeName) && i.state().wantsEngine()).toList();
  }

  /** Whether every model that had a replica here has its replicas elsewhere ({@link Handover}). */
  private boolean replacedElsewhere(Set<String> modelNames) {
    return Handover.ready(modelNames, nodeName, models.all().await(), instances.all().await()).containsAll(modelNames);
  }

  private static boolean waitUntil(Instant deadline, BooleanSupplier condition) {
    while (!condition.getAsBoolean()) {
      if (Instant.now().isAfter(deadline)) {
        return false;
      }
      try {
        Thread.sleep(POLL_MS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
