package dev.gantry.gateway;

import dev.gantry.cluster.ClusterSecret;
import io.vertx.core.json.JsonObject;

/**
 * A running model instance as the gateway reaches it. An engine of this node ({@code authorization}
 * set: the derived engine key, kept in memory only) is called on loopback; an engine of another node is
 * reached through that node's relay route at {@code address:nodePort} ({@link EngineRelay}).
 */
record Upstream(String id, String name, String modelName, String nodeName, String address, int port, int nodePort,
    String authorization) {

  /** Engines listen here only, whatever the node's address. */
  static final String LOOPBACK = "127.0.0.1";

  boolean local() {
    return authorization != null;
  }

  /**
   * The instance record of {@code gantry.instances} as seen from node {@code localNode}, or null when it
   * cannot be reached: no engine port yet, or (another node's) no address or relay port.
   */
  static Upstream of(JsonObject instance, String localNode, ClusterSecret secret) {
    String id = instance.getString("id");
    String address = instance.getString("address");
    int port = instance.getValue("port") instanceof Number n ? n.intValue() : 0;
    int nodePort = instance.getValue("node_port") instanceof Number n ? n.intValue() : 0;
    boolean local = localNode.equals(instance.getString("node_name"));
    if (id == null || port <= 0 || !local && (address == null || nodePort <= 0)) {
      return null;
    }
    return new Upstream(id, instance.getString("name", id), instance.getString("model_name"),
        instance.getString("node_name"), address, port, nodePort, local ? "Bearer " + secret.engineKey(id) : null);
  }
}
