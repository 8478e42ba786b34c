package dev.gantry.tuning;

import dev.gantry.cluster.LeaderRounds;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeState;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The leader's watch over tuning runs whose node is gone. A run is driven by the node that started it; when
 * that node left the cluster (its record says unreachable or stopped, its member is no longer in the cluster,
 * or it has no record at all), the leader ends the run failed ("node X left the cluster during candidate
 * 2/4") and deletes the temporary models and the API key it made. Should the node still be alive (a cut
 * network), its runner sees the run ended and stops.
 */
final class AbandonedRuns {

  static final long PERIOD_MS = 2_000;
  private static final Logger LOG = LoggerFactory.getLogger(AbandonedRuns.class);
  /** A node that started a run this recently may not have published its record yet. */
  private static final Duration NO_RECORD_GRACE = Duration.ofSeconds(30);

  private final PgTuningStore store;
  private final LiveNodes nodes;
  private final Membership membership;
  private final TuningFeature.ModelRemover remover;
  private final RunKeys keys;
  private final Consumer<JsonObject> publish;

  AbandonedRuns(PgTuningStore store, LiveNodes nodes, Membership membership, TuningFeature.ModelRemover remover, RunKeys keys,
      Consumer<JsonObject> publish) {
    this.store = store;
    this.nodes = nodes;
    this.membership = membership;
    this.remover = remover;
    this.keys = keys;
    this.publish = publish;
  }

  void start(Vertx vertx) {
    LeaderRounds.every(vertx, PERIOD_MS, membership, this::round,
        e -> LOG.warn("tuning runs of departed nodes not checked: {}", e.getMessage()));
  }

  /** One round: ends every running run whose node is gone. */
  Future<Void> round() {
    return store.active().compose(runs -> runs.isEmpty() ? Future.succeededFuture() : nodes.all().compose(records -> {
      Map<String, NodeRecord> byName = records.stream().collect(Collectors.toMap(NodeRecord::name, Function.identity(),
          (a, b) -> a));
      Set<String> members = membership.memberIds();
      OffsetDateTime now = OffsetDateTime.now();
      return Future.join(runs.stream().map(run -> {
        String why = gone(byName.get(run.node()), members, run.createdAt(), now);
        return why == null ? Future.succeededFuture() : end(run, why);
      }).toList()).mapEmpty();
    }));
  }

  /** Why the node of a run counts as gone (unreachable, stopped, not in the cluster), or null while it is there. */
  static String gone(NodeRecord record, Set<String> members, OffsetDateTime created, OffsetDateTime now) {
    if (record == null) {
      return created.plus(NO_RECORD_GRACE).isBefore(now) ? "no longer known to the cluster" : null;
    }
    if (record.state() == NodeState.UNREACHABLE || record.state() == NodeState.STOPPED) {
      return record.state().json();
    }
    if (record.memberId() != null && !members.contains(record.memberId())) {
      return "no longer a member";
    }
    return null;
  }

  /** "node X left the cluster during candidate 2/4 (unreachable)". */
  static String message(PgTuningStore.Active run, String why) {
    JsonObject progress = run.progress() == null ? new JsonObject() : run.progress();
    int candidate = progress.getInteger("candidate", 0);
    String when = candidate <= 0 ? "before its first candidate"
        : "during candidate " + candidate + "/" + progress.getInteger("total", candidate);
    return "node " + run.node() + " left the cluster " + when + " (" + why + "); the run ended there, and its temporary "
        + "models and API key were deleted";
  }

  private Future<Void> end(PgTuningStore.Active run, String why) {
    String message = message(run, why);
    return store.failAbandoned(run.id(), message).compose(models -> {
      if (models == null) {
        return Future.succeededFuture();
      }
      LOG.warn("tuning run {} failed: {}", run.id(), message);
      List<Future<Void>> cleanups = models.stream().map(name -> remover.remove(name)
          .onFailure(e -> LOG.warn("tuning run {}: temporary model {} not deleted: {}", run.id(), name, e.getMessage())))
          .toList();
      return Future.join(cleanups).otherwiseEmpty()
          .compose(v -> keys.deleteOf(run.id()).onFailure(e -> LOG.warn("tuning run {}: its API key not deleted: {}",
              run.id(), e.getMessage())).otherwiseEmpty())
          .compose(v -> store.get(run.id()))
          .map(ended -> {
            if (ended != null) {
              publish.accept(ended);
            }
            return (Void) null;
          });
    });
  }
}
