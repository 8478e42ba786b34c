package dev.gantry.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A node's live record in {@code gantry.nodes}: who it is, where it listens, its state, and the last
 * hardware sample its agent took ({@code os}, {@code cpu}, {@code memory}, {@code devices} stay JSON:
 * they are shown, not reasoned about here), and the backends whose engine it can start ({@code backends},
 * null from a node that does not say) and the engine executables it found with their versions ({@code engines}:
 * {@code [{backend, version, executable}]}, null from a node that does not say). Nothing in it is secret, so {@link #toJson()} is also the
 * public view. The JSON shape is the one the API documents and the scheduler reads.
 */
public record NodeRecord(String name, String address, int port, int clusterPort, String memberId,
    Map<String, String> labels, boolean maintenance, boolean drain, NodeState state, String stateMessage, String version,
    Instant startedAt, Instant heartbeatAt, Instant unreachableSince, Hardware hardware, List<String> backends,
    JsonArray engines) {

  public static final String MAINTENANCE_MESSAGE = "in maintenance: no new replicas are placed here";
  public static final String DRAIN_MESSAGE = "in maintenance, draining: its replicas move to other nodes, each stopping "
      + "once its replacement runs";

  /** What the record says about maintenance: null when not in it. */
  public static String maintenanceMessage(NodeSettings settings) {
    return !settings.maintenance() ? null : settings.drain() ? DRAIN_MESSAGE : MAINTENANCE_MESSAGE;
  }

  /** The agent's last sample of the machine. */
  public record Hardware(JsonObject os, JsonObject cpu, JsonObject memory, JsonArray devices) {
  }

  public NodeRecord {
    labels = Map.copyOf(labels);
    backends = backends == null ? null : List.copyOf(backends);
    engines = engines == null ? null : engines.copy();
  }

  public NodeRecord(String name, String address, int port, int clusterPort, String memberId,
      Map<String, String> labels, boolean maintenance, boolean drain, NodeState state, String stateMessage,
      String version, Instant startedAt, Instant heartbeatAt, Instant unreachableSince, Hardware hardware,
      List<String> backends) {
    this(name, address, port, clusterPort, memberId, labels, maintenance, drain, state, stateMessage, version, startedAt,
        heartbeatAt, unreachableSince, hardware, backends, null);
  }

  /** The record with an admin's settings applied; an unreachable, stopping or stopped node stays so. */
  public NodeRecord withSettings(NodeSettings settings) {
    NodeState nextState = state;
    String message = stateMessage;
    if (state != NodeState.UNREACHABLE && !state.leaving()) {
      nextState = settings.maintenance() ? NodeState.MAINTENANCE : NodeState.READY;
      message = maintenanceMessage(settings);
    }
    return new NodeRecord(name, address, port, clusterPort, memberId, settings.labels(), settings.maintenance(),
        settings.drain(),
        nextState, message, version, startedAt, heartbeatAt, unreachableSince, hardware, backends, engines);
  }

  /** The record of a node whose member left at {@code now}. */
  public NodeRecord unreachable(Instant now) {
    return new NodeRecord(name, address, port, clusterPort, memberId, labels, maintenance, drain, NodeState.UNREACHABLE,
        "left the cluster at " + now + "; last heartbeat " + heartbeatAt, version, startedAt, heartbeatAt, now, hardware, backends,
        engines);
  }

  /** The record of a node that began a graceful stop at {@code now}. */
  public NodeRecord stopping(Instant now) {
    return new NodeRecord(name, address, port, clusterPort, memberId, labels, maintenance, drain, NodeState.STOPPING,
        "shutting down since " + now + ": its replicas move to other nodes, then its engines stop", version, startedAt,
        now, null, hardware, backends, engines);
  }

  /** The record of a node that finished a graceful stop at {@code now}. */
  public NodeRecord stopped(Instant now) {
    return new NodeRecord(name, address, port, clusterPort, memberId, labels, maintenance, drain, NodeState.STOPPED,
        "stopped at " + now + " (graceful shutdown); it is back when it starts again", version, startedAt, now, null,
        hardware, backends, engines);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("name", name)
        .put("address", address)
        .put("port", port)
        .put("cluster_port", clusterPort)
        .put("member_id", memberId)
        .put("labels", NodeSettings.labelsJson(labels))
        .put("maintenance", maintenance)
        .put("drain", drain)
        .put("state", state.json())
        .put("state_message", stateMessage)
        .put("version", version)
        .put("started_at", startedAt.toString())
        .put("heartbeat_at", heartbeatAt.toString())
        .put("os", hardware.os())
        .put("cpu", hardware.cpu())
        .put("memory", hardware.memory())
        .put("devices", hardware.devices())
        .put("backends", backends == null ? null : new JsonArray(backends))
        .put("engines", engines == null ? null : engines.copy());
    return unreachableSince == null ? json : json.put("unreachable_since", unreachableSince.toString());
  }

  public static NodeRecord fromJson(JsonObject json) {
    String since = json.getString("unreachable_since");
    return new NodeRecord(json.getString("name"), json.getString("address"), json.getInteger("port", 0),
        json.getInteger("cluster_port", 0), json.getString("member_id"), NodeSettings.labels(json.getJsonObject("labels")),
        json.getBoolean("maintenance", false), json.getBoolean("drain", false), NodeState.fromJson(json.getString("state", "not_ready")),
        json.getString("state_message"), json.getString("version"), Instant.parse(json.getString("started_at")),
        Instant.parse(json.getString("heartbeat_at")), since == null ? null : Instant.parse(since),
        new Hardware(json.getJsonObject("os"), json.getJsonObject("cpu"), json.getJsonObject("memory"),
            json.getJsonArray("devices", new JsonArray())),
        json.getJsonArray("backends") == null ? null
            : json.getJsonArray("backends").stream().map(String::valueOf).toList(),
        json.getJsonArray("engines"));
  }
}
