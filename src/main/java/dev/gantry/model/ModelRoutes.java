package dev.gantry.model;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.auth.Authenticator;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.SharedMap;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.Set;

/**
 * {@code /v2/models}: deployment specs. PostgreSQL keeps them; the cluster map mirrors them for the
 * scheduler and the gateway. Changing {@code replicas} scales; 0 stops every replica.
 */
public final class ModelRoutes {

  private static final Set<String> SORTABLE = Set.of("id", "name", "backend", "replicas", "created_at", "updated_at");
  private static final List<String> SEARCHABLE = List.of("name", "description", "backend");

  private final Vertx vertx;
  private final PgModelStore store;
  private final LiveModels models;
  private final WatchHub hub;
  private final RequestValidator validator;
  private final SharedMap autoscaleEvents;
  private final HubResolver hubs;
  private final ModelEvaluation evaluation;

  public ModelRoutes(Vertx vertx, LiveModels models, PgModelStore store, WatchHub hub, RequestValidator validator,
      SharedMap autoscaleEvents, HubResolver hubs, dev.gantry.cluster.LiveNodes nodes) {
    this.vertx = vertx;
    this.hubs = hubs;
    this.evaluation = new ModelEvaluation(hubs, nodes);
    this.store = store;
    this.models = models;
    this.autoscaleEvents = autoscaleEvents;
    this.hub = hub;
    this.validator = validator;
  }

  /**
   * Sets an autoscaled model's replicas, and only them (a change a user made meanwhile is kept): PostgreSQL
   * first, then the cluster map. The autoscaler's hand.
   */
  public static Future<JsonObject> scale(PgModelStore store, LiveModels models, JsonObject model, int replicas) {
    return store.setAutoscaledReplicas(model.getLong("id"), replicas)
        .compose(saved -> saved == null ? Future.succeededFuture() : models.put(saved));
  }

  /** Mirrors every stored model into the cluster map (each node does it at start; idempotent). */
  public static Future<Void> load(PgModelStore store, LiveModels models) {
    return store.list().compose(models::putAll);
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/models")).handler(this::list);
    Access.ADMIN.on(router.post("/v2/models")).respond(this::create);
    Access.ADMIN.on(router.post("/v2/models/evaluate")).respond(ctx -> evaluation.evaluate(validator.body(ctx, "ModelEvaluate")));
    Access.MANAGEMENT.on(router.get("/v2/models/:id")).respond(ctx -> find(ctx.pathParam("id")).map(viewFor(ctx)));
    Access.MANAGEMENT.on(router.get("/v2/models/:id/autoscale-events")).respond(ctx -> find(ctx.pathParam("id"))
        .compose(model -> autoscaleEvents.get(model.getString("name")))
        .map(raw -> new JsonObject().put("items", raw == null ? new JsonArray() : new JsonArray(raw))));
    Access.ADMIN.on(router.patch("/v2/models/:id")).respond(this::update);
    Access.ADMIN.on(router.put("/v2/models/:id")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/models/:id")).handler(ctx -> find(ctx.pathParam("id"))
        .compose(model -> store.delete(model.getLong("id")).map(model))
        .compose(model -> mirrorRemove(model.getString("name")))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail));
  }

  private void list(RoutingContext ctx) {
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, store::list, item -> true, viewFor(ctx));
  }

  /** What the caller sees of a model: everything for admins; for plain users, the spec without how it runs. */
  private static UnaryOperator<JsonObject> viewFor(RoutingContext ctx) {
    return Authenticator.principal(ctx).admin() ? ModelSpecs::adminView : ModelSpecs::userView;
  }

  private Future<JsonObject> create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "ModelCreate");
    String token = (String) body.remove("hub_token");
    JsonObject spec = ModelSpecs.normalize(body);
    return hubs.resolve(spec, token)
        .compose(resolved -> store.create(body.getString("name"), resolved))
        .compose(this::mirror)
        .map(ModelSpecs::adminView)
        .onSuccess(model -> ctx.response().setStatusCode(201));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    JsonObject changes = validator.body(ctx, "ModelUpdate");
    String token = (String) changes.remove("hub_token");
    boolean sourceChanged = token != null || changes.fieldNames().stream().anyMatch(HubResolver.SOURCE_FIELDS::contains);
    return find(ctx.pathParam("id")).compose(current -> {
      JsonObject spec = ModelSpecs.normalize(current.copy().mergeIn(changes));
      Future<JsonObject> resolved = sourceChanged || !spec.containsKey("resolved") && HubSources.isHub(spec)
          ? hubs.resolve(spec, token) : Future.succeededFuture(spec);
      return resolved.compose(next -> store.update(current.getLong("id"), next));
    }).compose(model -> model == null ? Future.failedFuture(ApiException.notFound("the model was deleted meanwhile"))
        : mirror(model)).map(ModelSpecs::adminView);
  }

  /** A model by numeric id or by name. */
  private Future<JsonObject> find(String idOrName) {
    Future<JsonObject> lookup = idOrName.matches("[0-9]{1,18}")
        ? store.get(Long.parseLong(idOrName))
        : models.get(idOrName);
    return lookup.compose(model -> model == null
        ? Future.failedFuture(ApiException.notFound("no model with id or name '" + idOrName + "'"))
        : Future.succeededFuture(model));
  }

  private Future<JsonObject> mirror(JsonObject model) {
    return models.put(model);
  }

  private Future<Void> mirrorRemove(String name) {
    return models.remove(name);
  }
}
