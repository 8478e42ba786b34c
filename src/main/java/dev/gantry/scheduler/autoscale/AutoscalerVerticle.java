package dev.gantry.scheduler.autoscale;

import dev.gantry.common.AutoscaleSpec;
import dev.gantry.common.Schedules;
import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.LeaderRounds;
import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.SharedMap;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sets the replicas of autoscaled models, on the node that leads the cluster, once a second: it reads
 * what every gateway reports ({@code gantry.model-demand}: requests received and held per model and node;
 * requests in flight per instance from the gateways' shared counts), asks {@link AutoscalePolicy}, and
 * writes a decision like a person's {@code PATCH replicas} would (PostgreSQL, then the cluster map), with
 * its reason kept in {@code gantry.autoscale-events} and logged. A leader that takes over starts its
 * windows afresh, which only delays the next move.
 */
public final class AutoscalerVerticle extends VerticleBase {

  static final long TICK_MS = 1_000;
  static final int EVENTS_KEPT = 20;
  private static final Logger LOG = LoggerFactory.getLogger(AutoscalerVerticle.class);

  private final BiFunction<JsonObject, Integer, Future<?>> setReplicas;
  private final LiveModels models;
  private final LiveInstances instances;
  private final SharedMap demand;
  private final SharedMap events;
  private final SharedMap engineLoad;
  private final Membership membership;
  private final ToIntFunction<String> inFlight;
  private final AutoscalePolicy policy = new AutoscalePolicy();
  private final Map<String, Long> requestsSeen = new HashMap<>();

  /**
   * @param setReplicas changes a model's replicas as {@code PATCH /v2/models/{id}} would (database, then map)
   * @param inFlight requests in flight to an instance from every gateway
   * @param engineLoad the engines' latest normalized readings per instance ({@code gantry.engine-load})
   */
  public AutoscalerVerticle(BiFunction<JsonObject, Integer, Future<?>> setReplicas, LiveModels models,
      LiveInstances instances, SharedMap demand, SharedMap events, SharedMap engineLoad, Membership membership,
      ToIntFunction<String> inFlight) {
    this.engineLoad = engineLoad;
    this.setReplicas = setReplicas;
    this.models = models;
    this.instances = instances;
    this.demand = demand;
    this.events = events;
    this.membership = membership;
    this.inFlight = inFlight;
  }

  @Override
  public Future<?> start() {
    LeaderRounds.every(vertx, TICK_MS, membership, this::tick,
        e -> LOG.warn("autoscaling round failed: {}", e.getMessage()));
    return Future.succeededFuture();
  }

  private Future<Void> tick() {
    return Future.all(models.all(), instances.all(), demand.entries(), engineLoad.entries()).compose(state -> {
      Instant now = Instant.now();
      List<JsonObject> all = state.resultAt(0);
      List<ModelInstance> replicas = state.resultAt(1);
      Map<String, String> reported = state.resultAt(2);
      Map<String, Integer> waiting = new HashMap<>();
      Set<String> arrived = new HashSet<>();
      reported.forEach((key, raw) -> {
        JsonObject entry = new JsonObject(raw);
        String model = entry.getString("model");
        waiting.merge(model, entry.getInteger("waiting", 0), Integer::sum);
        long requests = entry.getLong("requests", 0L);
        Long before = requestsSeen.put(key, requests);
        if (before == null ? requests > 0 : requests != before) {
          arrived.add(model);
        }
      });
      requestsSeen.keySet().retainAll(reported.keySet());
      EngineLoads engines = EngineLoads.of(state.<Map<String, String>>resultAt(3).values());
      List<Future<?>> writes = new ArrayList<>();
      Set<String> autoscaled = new HashSet<>();
      for (JsonObject model : all) {
        AutoscaleSpec spec = AutoscaleSpec.of(model);
        String name = model.getString("name");
        if (spec == null) {
          continue;
        }
        Schedules.Override window = Schedules.at(model, now);
        if (window != null) {
          spec = spec.withBounds(window.min(), window.max());
        }
        autoscaled.add(name);
        double load = replicas.stream().filter(i -> name.equals(i.modelName()) && i.state() != InstanceState.PENDING)
            .mapToInt(i -> inFlight.applyAsInt(i.id())).sum();
        AutoscalePolicy.Decision decision = policy.observe(name, spec, model.getInteger("replicas", 1),
            new AutoscalePolicy.Observation(now, load, waiting.getOrDefault(name, 0), arrived.contains(name),
                engines.queued(name), engines.kvUsage(name)));
        if (decision != null) {
          writes.add(apply(model, window == null ? decision : new AutoscalePolicy.Decision(decision.from(), decision.to(),
              decision.reason() + " (schedules[" + window.index() + "] is open)"), now));
        }
      }
      all.stream().map(m -> m.getString("name")).filter(n -> !autoscaled.contains(n)).forEach(policy::forget);
      return Future.all(writes).mapEmpty();
    });
  }

  /** Lists the decision first (so whoever sees the new replicas finds its reason), then writes the replicas. */
  private Future<Void> apply(JsonObject model, AutoscalePolicy.Decision decision, Instant now) {
    String name = model.getString("name");
    LOG.info("autoscaling [model: {}] [{}]", name, decision.reason());
    return events.get(name)
        .compose(raw -> {
          JsonArray list = raw == null ? new JsonArray() : new JsonArray(raw);
          JsonArray next = new JsonArray().add(new JsonObject().put("at", now.toString()).put("from", decision.from())
              .put("to", decision.to()).put("reason", decision.reason()));
          for (int i = 0; i < list.size() && next.size() < EVENTS_KEPT; i++) {
            next.add(list.getValue(i));
          }
          return events.set(name, next.encode());
        })
        .compose(v -> setReplicas.apply(model, decision.to()))
        .mapEmpty();
  }

}
