package dev.gantry.gateway;

import io.vertx.core.json.JsonObject;

/** A running model instance as the gateway reaches it: engine address and the bearer token the engine requires. */
record Upstream(String id, String name, String modelName, String nodeName, String host, int port, String authorization) {

  /** The instance record of {@code gantry.instances}, or null when it lacks an address, a port or a secret. */
  static Upstream of(JsonObject instance) {
    String address = instance.getString("address");
    Integer port = instance.getValue("port") instanceof Number n ? n.intValue() : null;
    String secret = instance.getString("secret");
    if (address == null || port == null || port <= 0 || secret == null) {
      return null;
    }
    return new Upstream(instance.getString("id"), instance.getString("name", instance.getString("id")),
        instance.getString("model_name"), instance.getString("node_name"), address, port, "Bearer " + secret);
  }
}
