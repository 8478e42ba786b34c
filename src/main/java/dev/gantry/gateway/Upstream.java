package dev.gantry.gateway;

import dev.gantry.cluster.ClusterSecret;
import dev.gantry.cluster.ModelInstance;

/**
 * A running model instance as the gateway reaches it. An engine of this node ({@code authorization}
 * set: the derived engine key, kept in memory only) is called on loopback; an engine of another node is
 * reached through that node's relay route at {@code address:nodePort} ({@link EngineRelay}).
 */
record Upstream(String id, String name, String modelName, String nodeName, String address, int port, int nodePort,
    String authorization, ProviderCall provider) {

  Upstream(String id, String name, String modelName, String nodeName, String address, int port, int nodePort,
      String authorization) {
    this(id, name, modelName, nodeName, address, port, nodePort, authorization, null);
  }

  /** An external provider's model, reached with one of its credentials ({@link ProviderCall}). */
  static Upstream of(ProviderCall call) {
    return new Upstream("provider:" + call.provider().name(), call.provider().name(), call.target().name(), null, null,
        0, 0, null, call);
  }

  boolean external() {
    return provider != null;
  }

  /** How failure messages name it: never with a credential. */
  String describe() {
    return external() ? "provider '" + name + "' (model '" + modelName + "', credential " + provider.fingerprintHint() + ")"
        : "instance " + name + " on node " + nodeName;
  }

  /** Engines listen here only, whatever the node's address. */
  static final String LOOPBACK = "127.0.0.1";

  boolean local() {
    return authorization != null;
  }

  /**
   * The instance record of {@code gantry.instances} as seen from node {@code localNode}, or null when it
   * cannot be reached: no engine port yet, or (another node's) no address or relay port.
   */
  static Upstream of(ModelInstance instance, String localNode, ClusterSecret secret) {
    String id = instance.id();
    String address = instance.address();
    int port = instance.port();
    int nodePort = instance.nodePort();
    boolean local = instance.on(localNode);
    if (id == null || port <= 0 || !local && (address == null || nodePort <= 0)) {
      return null;
    }
    return new Upstream(id, instance.name(), instance.modelName(), instance.nodeName(), address, port, nodePort,
        local ? "Bearer " + secret.engineKey(id) : null);
  }
}
