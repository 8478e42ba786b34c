package dev.gantry.pool;

import dev.gantry.api.ListQuery;
import dev.gantry.api.RequestValidator;
import dev.gantry.auth.Access;
import dev.gantry.cluster.SecretBox;
import dev.gantry.cluster.SharedMap;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/worker-pools} (admin): pools of cloud nodes. Credentials are checked with the provider at
 * create (a refusal is a 400 with the provider's words), sealed with the cluster's {@link SecretBox} and never
 * returned ({@code credentials_set} says they are there). A pool's view carries the reconciler's
 * {@code status}; {@code DELETE} marks it {@code deleting} (202) and the reconciler deletes its instances,
 * then the pool.
 */
public final class WorkerPoolRoutes {

  private static final Set<String> SORTABLE = Set.of("name", "provider", "created_at");
  private static final List<String> SEARCHABLE = List.of("name", "provider", "region");

  private final PgWorkerPoolStore store;
  private final SecretBox box;
  private final CloudProviders providers;
  private final PoolTags tags;
  private final SharedMap status;
  private final SharedMap events;
  private final RequestValidator validator;

  public WorkerPoolRoutes(PgWorkerPoolStore store, SecretBox box, CloudProviders providers, PoolTags tags,
      SharedMap status, SharedMap events, RequestValidator validator) {
    this.store = store;
    this.box = box;
    this.providers = providers;
    this.tags = tags;
    this.status = status;
    this.events = events;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.ADMIN.on(router.get("/v2/worker-pools")).handler(this::list);
    Access.ADMIN.on(router.post("/v2/worker-pools")).handler(this::create);
    Access.ADMIN.on(router.get("/v2/worker-pools/:name")).respond(ctx -> get(ctx.pathParam("name")));
    Access.ADMIN.on(router.patch("/v2/worker-pools/:name")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/worker-pools/:name")).handler(this::delete);
    Access.ADMIN.on(router.get("/v2/worker-pools/:name/events")).respond(ctx -> get(ctx.pathParam("name"))
        .compose(pool -> events.get(pool.getString("name")))
        .map(raw -> new JsonObject().put("items", raw == null ? new JsonArray() : new JsonArray(raw))));
  }

  /** The credentials of a stored pool, opened (the reconciler's only way to them). */
  public static JsonObject openCredentials(SecretBox box, String pool, String sealed) {
    return new JsonObject(box.open(purpose(pool), sealed));
  }

  private static String purpose(String pool) {
    return "worker-pool:" + pool;
  }

  private void list(RoutingContext ctx) {
    ListQuery query = ListQuery.from(ctx.queryParams(), SORTABLE);
    Future.all(store.all(), status.entries()).map(both -> {
      List<JsonObject> pools = both.resultAt(0);
      java.util.Map<String, String> statuses = both.resultAt(1);
      return query.apply(pools.stream().map(p -> withStatus(p, statuses.get(p.getString("name")))).toList(), SEARCHABLE);
    }).onSuccess(ctx::json).onFailure(ctx::fail);
  }

  private Future<JsonObject> get(String name) {
    return store.get(name).compose(pool -> pool == null
        ? Future.failedFuture(ApiException.notFound("no worker pool named '" + name + "'"))
        : status.get(name).map(raw -> withStatus(pool, raw)));
  }

  private static JsonObject withStatus(JsonObject pool, String rawStatus) {
    return pool.copy().put("credentials_set", true)
        .put("status", rawStatus == null ? new JsonObject().put("message", "waiting for the reconciler") : new JsonObject(rawStatus));
  }

  private void create(RoutingContext ctx) {
    JsonObject body = validator.body(ctx, "WorkerPoolCreate");
    JsonObject credentials = body.getJsonObject("credentials");
    JsonObject spec = body.copy();
    spec.remove("credentials");
    checkEndpoint(spec.getString("endpoint"));
    WorkerPool pool = WorkerPool.fromJson(spec);
    CloudProviders.checkCredentials(pool.provider(), credentials);
    verify(pool, credentials)
        .compose(v -> store.create(spec, box.seal(purpose(pool.name()), credentials.encode())))
        .map(saved -> withStatus(saved, null))
        .onSuccess(saved -> ctx.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(saved.encode()))
        .onFailure(ctx::fail);
  }

  /**
   * An endpoint is stored and shown in clear (the reconciler's events and the pool's view): credentials in it
   * ({@code https://user:token@host}) would bypass the sealed {@code credentials}, so they are refused.
   */
  private static void checkEndpoint(String endpoint) {
    int start = endpoint == null ? -1 : endpoint.indexOf("://");
    if (start >= 0) {
      String rest = endpoint.substring(start + 3);
      int end = rest.replaceAll("[/?#].*", "").length();
      if (rest.substring(0, end).contains("@")) {
        throw new ApiException(400, "BadRequest", "field 'endpoint' must not carry credentials (user:token@): it is "
            + "stored and shown in clear; give them in 'credentials', which are sealed", "endpoint");
      }
    }
  }

  /** Asks the provider to list the pool's instances: credentials it refuses are a 400 with its reason. */
  private Future<Void> verify(WorkerPool pool, JsonObject credentials) {
    CloudProvider provider;
    try {
      provider = providers.once(pool, credentials);
    } catch (ApiException e) {
      return Future.failedFuture(e);
    }
    return provider.listByTags(tags.of(pool.name())).<Void>mapEmpty().eventually(() -> {
      provider.close();
      return Future.succeededFuture();
    }).recover(e -> {
      if (e instanceof CloudException cloud && cloud.kind() == CloudException.Kind.REFUSED) {
        return Future.failedFuture(new ApiException(400, "BadRequest", "the provider refused the credentials or "
            + "settings: " + cloud.describe(), "credentials"));
      }
      return Future.succeededFuture();
    });
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject changes = validator.body(ctx, "WorkerPoolUpdate");
    JsonObject credentials = changes.getJsonObject("credentials");
    changes.remove("credentials");
    return store.get(name).compose(current -> {
      if (current == null) {
        return Future.failedFuture(ApiException.notFound("no worker pool named '" + name + "'"));
      }
      if (current.getBoolean("deleting", false)) {
        return Future.failedFuture(ApiException.conflict("worker pool '" + name + "' is being deleted"));
      }
      JsonObject spec = current.copy();
      spec.remove("created_at");
      spec.remove("updated_at");
      spec.mergeIn(changes);
      checkEndpoint(spec.getString("endpoint"));
      WorkerPool pool = WorkerPool.fromJson(spec);
      String sealed = null;
      if (credentials != null) {
        CloudProviders.checkCredentials(pool.provider(), credentials);
        sealed = box.seal(purpose(name), credentials.encode());
      }
      return store.update(spec, sealed);
    }).compose(saved -> saved == null ? Future.failedFuture(ApiException.notFound("no worker pool named '" + name + "'"))
        : status.get(name).map(raw -> withStatus(saved, raw)));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    store.get(name).compose(current -> {
      if (current == null) {
        return Future.failedFuture(ApiException.notFound("no worker pool named '" + name + "'"));
      }
      JsonObject spec = current.copy().put("deleting", true);
      spec.remove("created_at");
      spec.remove("updated_at");
      return store.update(spec, null);
    }).onSuccess(saved -> ctx.response().setStatusCode(202).putHeader("Content-Type", "application/json")
        .end(withStatus(saved, null).encode())).onFailure(ctx::fail);
  }
}
