package dev.gantry.node;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.RequestValidator;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeSettings;
import dev.gantry.cluster.NodeState;
import dev.gantry.common.ApiException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Set;

/** {@code /v2/nodes}: the live node records; admins edit labels and maintenance (persisted). */
public final class NodeRoutes {

  private static final Set<String> SORTABLE = Set.of("name", "state", "address", "started_at", "heartbeat_at");
  private static final List<String> SEARCHABLE = List.of("name", "address", "state");

  private final Vertx vertx;
  private final PgNodeStore store;
  private final LiveNodes nodes;
  private final WatchHub hub;
  private final RequestValidator validator;

  public NodeRoutes(Vertx vertx, LiveNodes nodes, PgNodeStore store, WatchHub hub, RequestValidator validator) {
    this.vertx = vertx;
    this.store = store;
    this.nodes = nodes;
    this.hub = hub;
    this.validator = validator;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/nodes")).handler(this::list);
    Access.MANAGEMENT.on(router.get("/v2/nodes/:name")).respond(ctx -> get(ctx.pathParam("name")).map(NodeRecord::toJson));
    Access.ADMIN.on(router.patch("/v2/nodes/:name")).respond(this::update);
    Access.ADMIN.on(router.delete("/v2/nodes/:name")).handler(this::delete);
  }

  private void list(RoutingContext ctx) {
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, this::all, item -> true);
  }

  private Future<List<JsonObject>> all() {
    return nodes.all().map(records -> records.stream().map(NodeRecord::toJson).toList());
  }

  private Future<NodeRecord> get(String name) {
    return nodes.get(name).compose(record -> record == null
        ? Future.failedFuture(ApiException.notFound("no node named '" + name + "'")) : Future.succeededFuture(record));
  }

  private Future<JsonObject> update(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    JsonObject body = validator.body(ctx, "NodeUpdate");
    Boolean drain = body.getBoolean("drain");
    Boolean maintenance = Boolean.TRUE.equals(drain) && body.getBoolean("maintenance") == null ? Boolean.TRUE
        : body.getBoolean("maintenance");
    if (Boolean.TRUE.equals(drain) && Boolean.FALSE.equals(maintenance)) {
      throw ApiException.badRequest("drain moves a node's replicas away for maintenance: it needs \"maintenance\": true "
          + "(or leave maintenance out; drain sets it)");
    }
    return get(name)
        .compose(node -> store.update(name, body.getJsonObject("labels"), maintenance, drain))
        .compose(saved -> saved == null ? Future.failedFuture(ApiException.notFound("no node named '" + name + "'"))
            : apply(name, NodeSettings.fromJson(saved)));
  }

  /** Shares the settings with the node's agent and updates the live record at once (the agent agrees on its next beat). */
  private Future<JsonObject> apply(String name, NodeSettings saved) {
    return nodes.shareSettings(name, saved)
        .compose(v -> nodes.update(name, record -> record.withSettings(saved)))
        .compose(record -> record == null ? Future.failedFuture(ApiException.notFound("no node named '" + name + "'"))
            : Future.succeededFuture(record.toJson()));
  }

  private void delete(RoutingContext ctx) {
    String name = ctx.pathParam("name");
    get(name).compose(node -> {
      if (node.state() != NodeState.UNREACHABLE && node.state() != NodeState.STOPPED) {
        return Future.failedFuture(ApiException.conflict("node '" + name
            + "' is still in the cluster; stop it first (only unreachable or stopped nodes can be removed)"));
      }
      return store.delete(name).compose(v -> nodes.forget(name));
    }).onSuccess(v -> ctx.response().setStatusCode(204).end()).onFailure(ctx::fail);
  }
}
