package dev.gantry.model;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/model-instances}: the replicas, live from the cluster. Deleting one makes the scheduler
 * place a fresh replica (elsewhere if its node is gone). Logs are served by {@link InstanceLogs}.
 */
public final class InstanceRoutes {

  private static final Set<String> SORTABLE = Set.of("name", "model_name", "node_name", "state", "created_at");
  private static final List<String> SEARCHABLE = List.of("name", "model_name", "node_name", "state");

  private final Vertx vertx;
  private final LiveInstances instances;
  private final WatchHub hub;
  private final InstanceLogs logs;

  public InstanceRoutes(Vertx vertx, LiveInstances instances, WatchHub hub, InstanceLogs logs) {
    this.vertx = vertx;
    this.instances = instances;
    this.hub = hub;
    this.logs = logs;
  }

  /** What the API shows of an instance: the whole record (it holds no secret: engine keys are derived, never stored). */
  public static JsonObject publicView(ModelInstance instance) {
    return instance.toJson();
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/model-instances")).handler(this::list);
    Access.MANAGEMENT.on(router.get("/v2/model-instances/:id"))
        .respond(ctx -> find(ctx.pathParam("id")).map(InstanceRoutes::publicView));
    Access.ADMIN.on(router.get("/v2/model-instances/:id/logs")).handler(ctx -> find(ctx.pathParam("id"))
        .onSuccess(instance -> logs.serve(ctx, instance)).onFailure(ctx::fail));
    Access.ADMIN.on(router.delete("/v2/model-instances/:id")).handler(ctx -> find(ctx.pathParam("id"))
        .compose(instance -> instances.remove(instance.id()))
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(ctx::fail));
  }

  /** Lists or watches replicas; {@code ?model_name=} narrows both to one model's. */
  private void list(RoutingContext ctx) {
    String model = ctx.request().getParam("model_name");
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, this::all,
        instance -> model == null || model.equals(instance.getString("model_name")));
  }

  private Future<List<JsonObject>> all() {
    return instances.all().map(all -> all.stream().map(InstanceRoutes::publicView).toList());
  }

  private Future<ModelInstance> find(String id) {
    return instances.get(id).compose(instance -> instance == null
        ? Future.failedFuture(ApiException.notFound("no model instance with id '" + id + "'"))
        : Future.succeededFuture(instance));
  }
}
