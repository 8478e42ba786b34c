package dev.gantry.tuning;

import dev.gantry.auth.Principal;
import dev.gantry.benchmark.LoadProfile;
import dev.gantry.benchmark.SlaPresets;
import dev.gantry.catalog.CandidateGrid;
import dev.gantry.catalog.Catalog;
import dev.gantry.catalog.CatalogFamily;
import dev.gantry.catalog.CatalogSpec;
import dev.gantry.catalog.PgMeasuredSpecStore;
import dev.gantry.common.Addresses;
import dev.gantry.common.ApiException;
import dev.gantry.common.Ids;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and ends "find the best spec" runs on this node. A run calls this node's management API with a
 * key of its own (scope management, owned by the admin who started it, named {@code tuning-<id>}, deleted
 * when the run ends), so its temporary models and benchmarks are made exactly as an operator's would be.
 * Every change of a run is published to every node's watch stream.
 */
final class TuningRuns {

  static final String RESOURCE = "tuning-runs";
  private static final Logger LOG = LoggerFactory.getLogger(TuningRuns.class);
  private static final JsonObject DEFAULT_PROFILE = new JsonObject().put("requests", 20).put("concurrency", 2)
      .put("max_tokens", 16);

  private final Vertx vertx;
  private final PgTuningStore store;
  private final PgMeasuredSpecStore measured;
  private final Catalog catalog;
  private final RunKeys keys;
  private final String nodeName;
  private final String host;
  private final int port;

  TuningRuns(Vertx vertx, PgTuningStore store, PgMeasuredSpecStore measured, Catalog catalog, RunKeys keys,
      String nodeName, String host, int port) {
    this.vertx = vertx;
    this.store = store;
    this.measured = measured;
    this.catalog = catalog;
    this.keys = keys;
    this.nodeName = nodeName;
    this.host = host;
    this.port = port;
  }

  /**
   * Validates the request, records the run and starts it (one at a time: the database refuses a second running
   * row, so two posted at once cannot both start); answers the record: running, or failed with the reason when
   * a step before its first candidate failed.
   */
  Future<JsonObject> start(Principal caller, JsonObject body) {
    String family = body.getString("family");
    if (family == null || !family.matches("[a-zA-Z0-9][a-zA-Z0-9._:-]{0,80}")) {
      return Future.failedFuture(new ApiException(400, "invalid_request", "family names the catalog family the winner is "
          + "recorded in (letters, digits and . _ : -); GET /v2/catalog lists them", "family"));
    }
    LoadProfile profile = LoadProfile.from(body.getJsonObject("profile", DEFAULT_PROFILE));
    Object sla = body.getValue("sla", "chat");
    SlaPresets.resolve(sla);
    String hubToken = hubToken(body);
    return store.running().compose(other -> other == null ? vertx.executeBlocking(catalog::load, false)
            .compose(loaded -> measured.list().map(loaded::withMeasured))
        : Future.failedFuture(PgTuningStore.busy(other)))
        .compose(loaded -> {
      JsonObject request = request(body, loaded.families().stream().filter(f -> f.name().equals(family)).findFirst()
          .orElse(null), profile, sla);
      String id = "tune-" + Ids.random(8).toLowerCase();
      JsonObject run = new JsonObject().put("id", id).put("family", family).put("base_spec", body.getString("spec"))
          .put("request", request).put("progress", new JsonObject().put("candidate", 0)
              .put("total", request.getJsonArray("candidates").size()).put("step", "starting"))
          .put("candidates", candidates(id, request)).put("node", nodeName).put("created_by", caller.userId());
      request.remove("candidates");
      return store.insert(run).compose(saved -> launch(saved, caller, hubToken).map(saved)
          .recover(e -> abandon(saved, e)));
    }).onSuccess(saved -> publish("CREATED", saved));
  }

  /** Cancels a running run (wherever it runs: its node sees the request within a second), or deletes an ended one. */
  Future<Boolean> cancelOrDelete(String id) {
    return store.requestCancel(id).compose(cancelling -> cancelling ? Future.succeededFuture(true) : store.delete(id));
  }

  /** The base model, grid, profile and SLA of a run; 400 naming the field when something is missing or wrong. */
  private static JsonObject request(JsonObject body, CatalogFamily family, LoadProfile profile, Object sla) {
    String specId = body.getString("spec");
    JsonObject base = body.getJsonObject("model");
    JsonObject grid = body.getJsonObject("grid");
    String mode = body.getString("mode", "standard");
    if (specId != null) {
      CatalogSpec spec = family == null ? null : family.specs().stream().filter(s -> s.id().equals(specId)).findFirst().orElse(null);
      if (spec == null) {
        throw new ApiException(404, "not_found", "the catalog has no spec '" + specId + "' in family '" + body.getString("family")
            + "'; GET /v2/catalog?all=true lists them", "spec");
      }
      base = spec.model();
      grid = grid != null ? grid : spec.grid();
      mode = spec.mode();
    } else if (base == null || !(base.getValue("source") instanceof String) || !(base.getValue("backend") instanceof String)) {
      throw new ApiException(400, "invalid_request", "give a catalog spec (family + spec) or a model form (model, with at "
          + "least source and backend) to start from", "model");
    } else if (base.containsKey("name")) {
      throw new ApiException(400, "invalid_request", "model must not carry a name: each candidate is deployed under a "
          + "temporary name of its own", "model.name");
    }
    if (base.getValue("backend_parameters") != null && !(base.getValue("backend_parameters") instanceof JsonArray)) {
      throw new ApiException(400, "invalid_request", "model.backend_parameters must be a list of strings, e.g. "
          + "[\"--ctx-size\", \"4096\"]", "model.backend_parameters");
    }
    if (base.getValue("env") != null && !(base.getValue("env") instanceof JsonObject)) {
      throw new ApiException(400, "invalid_request", "model.env must be an object of variable names and values",
          "model.env");
    }
    if (grid == null) {
      throw new ApiException(400, "invalid_request", "grid gives the alternatives to try, e.g. {\"replicas\": [1, 2]}; "
          + "this spec carries none", "grid");
    }
    List<JsonObject> values;
    try {
      values = CandidateGrid.candidates(grid);
    } catch (IllegalArgumentException e) {
      throw new ApiException(400, "invalid_request", e.getMessage(), "grid");
    }
    JsonArray candidates = new JsonArray();
    values.forEach(candidates::add);
    return new JsonObject().put("model", base.copy()).put("grid", grid.copy()).put("mode", mode)
        .put("profile", profile.toJson()).put("sla", sla).put("candidates", candidates)
        .put("deploy_timeout_seconds", body.getInteger("deploy_timeout_seconds", 600));
  }

  private static JsonArray candidates(String id, JsonObject request) {
    JsonArray out = new JsonArray();
    JsonArray values = request.getJsonArray("candidates");
    for (int i = 0; i < values.size(); i++) {
      out.add(new JsonObject().put("index", i + 1).put("values", values.getJsonObject(i))
          .put("model", CandidateGrid.apply(request.getJsonObject("model"), values.getJsonObject(i)))
          .put("model_name", id + "-c" + (i + 1)).put("state", "pending"));
    }
    return out;
  }

  /**
   * Takes the model form's {@code hub_token} out of the request, so that it is never stored in the run, shown by
   * {@code GET /v2/tuning-runs} or published to watchers; the run keeps it in memory for its candidates' deploys.
   */
  private static String hubToken(JsonObject body) {
    if (!(body.getValue("model") instanceof JsonObject model) || !model.containsKey("hub_token")) {
      return null;
    }
    JsonObject stripped = model.copy();
    Object token = stripped.remove("hub_token");
    body.put("model", stripped);
    return token == null ? null : String.valueOf(token);
  }

  /**
   * Makes the run's key and starts its runner, which ends the run itself. A failure here (before any candidate
   * started) fails the launch; {@link #abandon} then ends the run failed and nothing of it remains.
   */
  private Future<Void> launch(JsonObject run, Principal caller, String hubToken) {
    String id = run.getString("id");
    JsonObject request = run.getJsonObject("request");
    long perCandidate = request.getInteger("deploy_timeout_seconds") + 120L
        + Math.max(request.getJsonObject("profile").getInteger("duration_seconds", 0), 3_600);
    return keys.create(caller.userId(), id,
            OffsetDateTime.now(ZoneOffset.UTC).plusSeconds(perCandidate * run.getJsonArray("candidates").size() + 600))
        .onSuccess(key -> {
          SelfApi api = new SelfApi(vertx, host, port, key.value());
          new TuningRunner(vertx, store, measured, api, item -> publish("UPDATED", item), run, hubToken).start()
              .eventually(() -> api.close())
              .eventually(() -> keys.delete(key.id()))
              .onFailure(e -> LOG.warn("tuning run {}: its API key {} could not be deleted: {}", id, key.id(),
                  e.getMessage()));
        })
        .mapEmpty();
  }

  /** The run could not start: it ends failed with the reason (no candidate was deployed, so nothing else remains). */
  private Future<JsonObject> abandon(JsonObject run, Throwable cause) {
    String id = run.getString("id");
    LOG.warn("tuning run {} could not start: {}", id, cause.getMessage());
    JsonObject progress = run.getJsonObject("progress").copy().put("step", "done");
    return keys.deleteOf(id).otherwiseEmpty()
        .compose(v -> store.finish(id, "failed", "the run could not start: " + cause.getMessage(), progress,
            run.getJsonArray("candidates"), null));
  }

  void publish(String type, JsonObject item) {
    vertx.eventBus().publish(Addresses.watch(RESOURCE), new JsonObject().put("type", type).put("item", item));
  }
}
