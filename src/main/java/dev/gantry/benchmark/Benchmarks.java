package dev.gantry.benchmark;

import dev.gantry.auth.AccountDirectory;
import dev.gantry.auth.ApiKeySecrets;
import dev.gantry.auth.PgApiKeyStore;
import dev.gantry.auth.Principal;
import dev.gantry.cluster.InstanceState;
import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.common.ApiException;
import dev.gantry.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts, follows and ends benchmark runs on this node. A run calls the gateway of this node with an API
 * key of its own (scope inference, this model only, owned by the admin who started it, named
 * {@code benchmark-<id>}, deleted when the run ends), so it is metered, limited and routed like any
 * client's. What the model is (its serving settings) and where its replicas run (devices per node) are
 * kept with the results, so results compare per model, spec and hardware.
 */
public final class Benchmarks {

  private static final Logger LOG = LoggerFactory.getLogger(Benchmarks.class);
  private static final Set<String> SPEC_FIELDS = Set.of("source", "builtin_model", "repo", "revision", "file", "backend",
      "backend_version", "backend_parameters", "speculative", "kv_cache", "devices_per_replica", "context_length",
      "placement_strategy", "device_vendor");

  private final Vertx vertx;
  private final PgBenchmarkStore store;
  private final PgApiKeyStore keys;
  private final AccountDirectory directory;
  private final LiveModels models;
  private final LiveInstances instances;
  private final LiveNodes nodes;
  private final String nodeName;
  private final String host;
  private final int port;
  private final Map<String, BenchmarkRun> running = new ConcurrentHashMap<>();

  public Benchmarks(Vertx vertx, PgBenchmarkStore store, PgApiKeyStore keys, AccountDirectory directory, LiveModels models,
      LiveInstances instances, LiveNodes nodes, String nodeName, String host, int port) {
    this.vertx = vertx;
    this.store = store;
    this.keys = keys;
    this.directory = directory;
    this.models = models;
    this.instances = instances;
    this.nodes = nodes;
    this.nodeName = nodeName;
    this.host = host;
    this.port = port;
  }

  /** Validates the request, records the run and starts it; answers the record (state running). */
  Future<JsonObject> start(Principal caller, JsonObject body) {
    String model = body.getString("model");
    if (model == null || model.isBlank()) {
      return Future.failedFuture(new ApiException(400, "invalid_request", "model names the deployed model to benchmark", "model"));
    }
    LoadProfile profile = LoadProfile.from(body.getJsonObject("profile"));
    JsonObject sla = SlaPresets.resolve(body.getValue("sla"));
    String id = "bench-" + Ids.random(10).toLowerCase();
    return models.get(model).compose(record -> {
      if (record == null) {
        return Future.failedFuture(new ApiException(404, "not_found", "model '" + model + "' does not exist; "
            + "GET /v2/models lists the deployed models", "model"));
      }
      return Future.all(instances.all(), nodes.all()).compose(all -> {
        List<ModelInstance> mine = all.<List<ModelInstance>>resultAt(0).stream()
            .filter(i -> model.equals(i.modelName()) && i.state() == InstanceState.RUNNING).toList();
        if (mine.isEmpty() && record.getJsonObject("autoscale") == null) {
          return Future.failedFuture(new ApiException(409, "conflict", "model '" + model + "' has no running replica; "
              + "scale it up or wait until one runs (GET /v2/model-instances)", "model"));
        }
        JsonObject run = new JsonObject().put("id", id).put("model", model).put("profile", profile.toJson())
            .put("sla", sla).put("spec", spec(record)).put("hardware", hardware(mine, all.resultAt(1)))
            .put("node", nodeName).put("created_by", caller.userId());
        return store.insert(run).compose(saved -> launch(id, model, caller, profile, sla).map(saved));
      });
    });
  }

  /** Cancels a running run (wherever it runs: its node sees the request within a second), or deletes an ended one. */
  Future<Boolean> cancelOrDelete(String id) {
    return store.requestCancel(id).compose(cancelling -> cancelling ? Future.succeededFuture(true) : store.delete(id));
  }

  private Future<Void> launch(String id, String model, Principal caller, LoadProfile profile, JsonObject sla) {
    ApiKeySecrets.Generated generated = ApiKeySecrets.generate();
    long lifetime = (profile.durationSeconds() > 0 ? profile.durationSeconds() : 3_600) + 600L;
    JsonObject key = new JsonObject().put("id", generated.publicId()).put("name", "benchmark-" + id)
        .put("description", "made by benchmark " + id + " for its requests; deleted when it ends")
        .put("scope", "inference").put("allowed_models", new JsonArray().add(model));
    return keys.create(caller.userId(), key, ApiKeySecrets.hash(generated.secret()), ApiKeySecrets.hint(generated.secret()),
            OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(lifetime))
        .compose(record -> directory.putKey(record))
        .onSuccess(v -> {
          BenchmarkRun run = new BenchmarkRun(vertx, host, port, generated.value(), model, profile, id.hashCode());
          running.put(id, run);
          long timer = vertx.setPeriodic(1000, t -> follow(id, run, profile));
          run.start().onComplete(result -> {
            vertx.cancelTimer(timer);
            running.remove(id);
            end(id, run, sla, profile, generated.publicId());
          });
        });
  }

  /** Once a second: progress to the store, and a cancel asked on any node honoured. */
  private void follow(String id, BenchmarkRun run, LoadProfile profile) {
    store.progress(id, progress(run, profile));
    store.state(id).onSuccess(state -> {
      if ("cancelling".equals(state)) {
        run.cancel();
      }
    });
  }

  private void end(String id, BenchmarkRun run, JsonObject sla, LoadProfile profile, String keyId) {
    List<Sample> samples = run.samples();
    JsonObject results = BenchmarkStats.summarize(samples, run.elapsedSeconds(), sla);
    store.state(id)
        .compose(state -> {
          boolean cancelled = "cancelling".equals(state);
          String message = cancelled ? "cancelled after " + samples.size() + " requests"
              : results.getInteger("failed") > 0 ? results.getInteger("failed") + " of " + samples.size() + " requests failed" : null;
          return store.finish(id, cancelled ? "cancelled" : "completed", message, progress(run, profile), results);
        })
        .onFailure(e -> LOG.warn("benchmark {}: its results could not be stored: {}", id, e.getMessage()))
        .eventually(() -> keys.delete(keyId).compose(v -> directory.removeKey(keyId)))
        .onFailure(e -> LOG.warn("benchmark {}: its API key {} could not be deleted: {}", id, keyId, e.getMessage()));
  }

  private static JsonObject progress(BenchmarkRun run, LoadProfile profile) {
    return new JsonObject().put("completed", run.completed()).put("total", profile.requests())
        .put("elapsed_seconds", BenchmarkStats.round(run.elapsedSeconds()));
  }

  private static JsonObject spec(JsonObject model) {
    JsonObject spec = new JsonObject();
    SPEC_FIELDS.stream().sorted().filter(model::containsKey).forEach(field -> spec.put(field, model.getValue(field)));
    return spec;
  }

  /** Per node running a replica: its devices (vendor, name, memory) and how many replicas it runs. */
  private static JsonObject hardware(List<ModelInstance> replicas, List<NodeRecord> nodes) {
    JsonArray list = new JsonArray();
    replicas.stream().map(ModelInstance::nodeName).distinct().sorted().forEach(name -> {
      NodeRecord node = nodes.stream().filter(n -> n.name().equals(name)).findFirst().orElse(null);
      JsonArray devices = new JsonArray();
      if (node != null && node.hardware() != null && node.hardware().devices() != null) {
        node.hardware().devices().stream().map(JsonObject.class::cast).forEach(d -> devices.add(new JsonObject()
            .put("vendor", d.getString("vendor")).put("name", d.getString("name")).put("memory_total", d.getValue("memory_total"))));
      }
      list.add(new JsonObject().put("node", name).put("replicas", replicas.stream().filter(r -> name.equals(r.nodeName())).count())
          .put("devices", devices).put("cpu", node == null || node.hardware() == null ? null : node.hardware().cpu()));
    });
    return new JsonObject().put("nodes", list);
  }
}
