package dev.gantry.node;

import dev.gantry.api.ListEndpoint;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.NodeRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /v2/gpu-devices}: every device of every node (the CPU of each node included, as type
 * {@code cpu}), each with its {@code node_name}. Watchable: derived from the node records.
 */
public final class DeviceRoutes {

  private static final Set<String> SORTABLE = Set.of("id", "node_name", "type", "name", "index", "memory_total");
  private static final List<String> SEARCHABLE = List.of("id", "node_name", "name", "type", "vendor");

  private final LiveNodes nodes;
  private final WatchHub hub;

  public DeviceRoutes(LiveNodes nodes, WatchHub hub) {
    this.nodes = nodes;
    this.hub = hub;
  }

  /** A device watch hub fed from node record changes (one event per device), thinned by a {@link NodeWatchThrottle}. */
  public static Future<WatchHub> hub(Vertx vertx, LiveNodes nodes) {
    WatchHub hub = new WatchHub("gpu-devices", "id");
    NodeWatchThrottle changes = NodeWatchThrottle.of(vertx,
        (type, node) -> devicesOf(node).forEach(device -> hub.emit(type, device)));
    return nodes.listen((type, node) -> changes.accept(type.name(), node)).map(listening -> hub);
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/gpu-devices")).handler(this::list);
  }

  private void list(RoutingContext ctx) {
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, this::all, item -> true);
  }

  private Future<List<JsonObject>> all() {
    return nodes.all().map(records -> {
      List<JsonObject> out = new ArrayList<>();
      records.forEach(node -> out.addAll(devicesOf(node)));
      return out;
    });
  }

  static List<JsonObject> devicesOf(NodeRecord node) {
    List<JsonObject> out = new ArrayList<>();
    node.hardware().devices().forEach(d ->
        out.add(((JsonObject) d).copy().put("node_name", node.name()).put("node_state", node.state().json())));
    return out;
  }
}
