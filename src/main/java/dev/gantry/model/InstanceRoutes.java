package dev.gantry.model;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.api.ListEndpoint;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
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
  private final IMap<String, String> instances;
  private final WatchHub hub;
  private final InstanceLogs logs;

  public InstanceRoutes(Vertx vertx, HazelcastInstance hazelcast, WatchHub hub, InstanceLogs logs) {
    this.vertx = vertx;
    this.instances = hazelcast.getMap(ClusterMaps.INSTANCES);
    this.hub = hub;
    this.logs = logs;
  }

  /** What the API shows of an instance: the whole record (it holds no secret: engine keys are derived, never stored). */
  public static JsonObject publicView(JsonObject instance) {
    return instance.copy();
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/model-instances")).handler(this::list);
    Access.MANAGEMENT.on(router.get("/v2/model-instances/:id"))
        .respond(ctx -> find(ctx.pathParam("id")).map(InstanceRoutes::publicView));
    Access.ADMIN.on(router.get("/v2/model-instances/:id/logs")).handler(ctx -> find(ctx.pathParam("id"))
        .onSuccess(instance -> logs.serve(ctx, instance)).onFailure(ctx::fail));
    Access.ADMIN.on(router.delete("/v2/model-instances/:id")).handler(ctx -> find(ctx.pathParam("id"))
        .compose(instance -> Future.fromCompletionStage(instances.removeAsync(instance.getString("id")),
            vertx.getOrCreateContext()))
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
    return vertx.executeBlocking(() -> {
      List<JsonObject> out = new ArrayList<>();
      instances.values().forEach(raw -> out.add(publicView(new JsonObject(raw))));
      return out;
    }, false);
  }

  private Future<JsonObject> find(String id) {
    return Future.fromCompletionStage(instances.getAsync(id), vertx.getOrCreateContext())
        .compose(raw -> raw == null ? Future.failedFuture(ApiException.notFound("no model instance with id '" + id + "'"))
            : Future.succeededFuture(new JsonObject(raw)));
  }
}
