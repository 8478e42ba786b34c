package dev.gantry.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
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

/** {@code /v2/nodes}: the live node records; admins edit labels and maintenance (persisted). */
public final class NodeRoutes {

  private static final Set<String> SORTABLE = Set.of("name", "state", "address", "started_at", "heartbeat_at");
  private static final List<String> SEARCHABLE = List.of("name", "address", "state");

  private final Vertx vertx;
  private final PgNodeStore store;
  private final IMap<String, String> nodes;
  private final IMap<String, String> settings;
  private final WatchHub hub;
  private final RequestValidator validator;

  public NodeRoutes(Vertx vertx, HazelcastInstance hazelcast, PgNodeStore store, WatchHub hub, RequestValidator validator) {
    this.vertx = vertx;
    this.store = store;
    this.nodes = hazelcast.getMap(ClusterMaps.NODES);
    this.settings = hazelcast.getMap(ClusterMaps.NODE_SETTINGS);
    this.hub = hub;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/nodes")).handler(this::list);
    Access.MANAGEMENT.on(router.get("/v2/nodes/:name")).respond(ctx -> get(ctx.pathParam("name")));
    Access.ADMIN.on(router.patch("/v2/nodes/:name")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/nodes/:name")).handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, this::all, item -> true);
  }

  private Future<List<JsonObject>> all() {
    return vertx.executeBlocking(() -> {
      List<JsonObject> out = new ArrayList<>();
      nodes.values().forEach(raw -> out.add(new JsonObject(raw)));
      return out;
    }, false);
  }

  private Future<JsonObject> get(String name) {
    return Future.fromCompletionStage(nodes.getAsync(name), vertx.getOrCreateContext())
        .compose(raw -> raw == null ? Future.failedFuture(ApiException.notFound("no node named '" + name + "'"))
            : Future.succeededFuture(new JsonObject(raw)));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject body = validator.body(ctx, "NodeUpdate");
    return get(name)
        .compose(node -> store.update(name, body.getJsonObject("labels"), body.getBoolean("maintenance")))
        .compose(saved -> saved == null ? Future.failedFuture(ApiException.notFound("no node named '" + name + "'"))
            : vertx.executeBlocking(() -> apply(name, saved), false));
  }

  /** Stores the settings for the node's agent and updates the live record at once (the agent agrees on its next beat). */
  private JsonObject apply(String name, JsonObject saved) {
    settings.set(name, saved.encode());
    String raw = nodes.get(name);
    JsonObject record = new JsonObject(raw).put("labels", saved.getJsonObject("labels"))
        .put("maintenance", saved.getBoolean("maintenance"));
    if (!"unreachable".equals(record.getString("state"))) {
      boolean maintenance = saved.getBoolean("maintenance");
      record.put("state", maintenance ? "maintenance" : "ready")
          .put("state_message", maintenance ? "in maintenance: no new replicas are placed here" : null);
    }
    nodes.set(name, record.encode());
    return record;
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    get(name).compose(node -> {
      if (!"unreachable".equals(node.getString("state"))) {
        return Future.failedFuture(ApiException.conflict("node '" + name
            + "' is still in the cluster; stop it first (only unreachable nodes can be removed)"));
      }
      return store.delete(name).compose(v -> vertx.executeBlocking(() -> {
        settings.delete(name);
        nodes.remove(name);
        return null;
      }, false));
    }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
