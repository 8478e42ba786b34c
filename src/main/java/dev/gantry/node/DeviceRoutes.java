package dev.gantry.node;

import com.hazelcast.core.HazelcastInstance;
import dev.gantry.api.ListEndpoint;
import dev.gantry.api.WatchHub;
import dev.gantry.auth.Access;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.JsonMap;
import dev.gantry.cluster.MapEvents;
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

  private final Vertx vertx;
  private final JsonMap nodes;
  private final WatchHub hub;

  public DeviceRoutes(Vertx vertx, HazelcastInstance hazelcast, WatchHub hub) {
    this.vertx = vertx;
    this.nodes = new JsonMap(hazelcast.getMap(ClusterMaps.NODES));
    this.hub = hub;
  }

  /** Feeds a device watch hub from node record changes (one event per device). */
  public static WatchHub hub(HazelcastInstance hazelcast) {
    WatchHub hub = new WatchHub("gpu-devices", "id");
    MapEvents.listen(hazelcast.getMap(ClusterMaps.NODES),
        (type, node) -> devicesOf(node).forEach(device -> hub.emit(type, device)));
    return hub;
  }

  public void mount(Router router) {
    Access.MANAGEMENT.on(router.get("/v2/gpu-devices")).handler(this::list);
  }

  private void list(RoutingContext ctx) {
    new ListEndpoint(hub, SORTABLE, SEARCHABLE).handle(ctx, this::all, item -> true);
  }

  private Future<List<JsonObject>> all() {
    return vertx.executeBlocking(() -> {
      List<JsonObject> out = new ArrayList<>();
      nodes.values().forEach(node -> out.addAll(devicesOf(node)));
      return out;
    }, false);
  }

  static List<JsonObject> devicesOf(JsonObject node) {
    List<JsonObject> out = new ArrayList<>();
    node.getJsonArray("devices", new io.vertx.core.json.JsonArray()).forEach(d ->
        out.add(((JsonObject) d).copy().put("node_name", node.getString("name")).put("node_state", node.getString("state"))));
    return out;
  }
}
