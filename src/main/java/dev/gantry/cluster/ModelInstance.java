package dev.gantry.cluster;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

/**
 * One replica of a model in {@code gantry.instances}: where it is placed, what it claims there, where its
 * engine listens and what state it is in. Changed only through the named transitions below (the
 * scheduler places, marks and revives it; the owning node's supervisor starts, runs and fails it), each a
 * new record, applied by compare-and-set in {@link LiveInstances}. It holds no secret (engine keys are
 * derived from the cluster secret), so {@link #toJson()} is also the public view; the JSON shape is the
 * one {@code openapi.json} documents.
 */
public record ModelInstance(String id, String name, Long modelId, String modelName, String backend,
    List<String> categories, InstanceState state, String stateMessage, int restartCount, List<String> deviceIds,
    Claim claim, String nodeName, String address, int port, int nodePort, String memberId, Long pid,
    Instant unreachableSince, Instant createdAt, Instant updatedAt, Download download, List<InstancePart> parts,
    int generation, String lastRestart) {

  /** What a placed replica holds on its node (bytes and cores), for the next placements to count. */
  public record Claim(long ram, long memoryPerDevice, int cpuCores) {

    public JsonObject toJson() {
      return new JsonObject().put("ram", ram).put("memory_per_device", memoryPerDevice).put("cpu_cores", cpuCores);
    }

    public static Claim fromJson(JsonObject json) {
      return json == null ? null : new Claim(json.getLong("ram", 0L), json.getLong("memory_per_device", 0L),
          json.getInteger("cpu_cores", 0));
    }
  }

  /** How far the download of a replica's model files is (while {@code downloading}); rate in bytes/s, ETA null while unknown. */
  public record Download(long bytes, long total, long bytesPerSecond, Long etaSeconds) {

    public int percent() {
      return total <= 0 ? 0 : (int) Math.min(100, bytes * 100 / total);
    }

    JsonObject toJson() {
      return new JsonObject().put("percent", percent()).put("bytes", bytes).put("total_bytes", total)
          .put("bytes_per_second", bytesPerSecond).put("eta_seconds", etaSeconds);
    }

    static Download fromJson(JsonObject json) {
      return json == null ? null : new Download(json.getLong("bytes", 0L), json.getLong("total_bytes", 0L),
          json.getLong("bytes_per_second", 0L), json.getLong("eta_seconds"));
    }
  }

  public ModelInstance {
    categories = categories == null ? List.of() : List.copyOf(categories);
    deviceIds = deviceIds == null ? List.of() : List.copyOf(deviceIds);
    parts = parts == null ? List.of() : List.copyOf(parts);
  }

  /** A record without parts: a replica on one node. */
  public ModelInstance(String id, String name, Long modelId, String modelName, String backend, List<String> categories,
      InstanceState state, String stateMessage, int restartCount, List<String> deviceIds, Claim claim, String nodeName,
      String address, int port, int nodePort, String memberId, Long pid, Instant unreachableSince, Instant createdAt,
      Instant updatedAt, Download download) {
    this(id, name, modelId, modelName, backend, categories, state, stateMessage, restartCount, deviceIds, claim,
        nodeName, address, port, nodePort, memberId, pid, unreachableSince, createdAt, updatedAt, download, List.of(), 0,
        null);
  }

  /** A new replica of a model, waiting to be placed. */
  public static ModelInstance pending(String id, String name, Long modelId, String modelName, String backend,
      List<String> categories, Instant now) {
    return new ModelInstance(id, name, modelId, modelName, backend, categories, InstanceState.PENDING,
        "waiting to be placed", 0, List.of(), null, null, null, 0, 0, null, null, null, now, now, null, List.of(), 0,
        null);
  }

  // ---- the scheduler's transitions

  /** Still waiting for room, with the reason. */
  public ModelInstance waiting(String message) {
    return edit(d -> {
      d.state = InstanceState.PENDING;
      d.stateMessage = message;
    });
  }

  /**
   * Placed over several nodes: the leader's part (rank 0) gives the instance its node, address, devices and
   * claim (the gateway routes to it); every part is started by its own node.
   */
  public ModelInstance placedOver(List<InstancePart> placedParts, String message) {
    InstancePart leader = placedParts.get(0);
    return placed(leader.node(), leader.address(), leader.deviceIds(), leader.claim(), message)
        .edit(d -> d.parts = placedParts);
  }

  /** Back to pending with no node and no parts: the whole replica is placed and started again. */
  public ModelInstance replaced(String message) {
    return edit(d -> {
      d.state = InstanceState.PENDING;
      d.stateMessage = message;
      d.nodeName = null;
      d.address = null;
      d.deviceIds = List.of();
      d.claim = null;
      d.parts = List.of();
      d.pid = null;
      d.port = 0;
      d.restartCount = restartCount + 1;
      d.lastRestart = message;
    });
  }

  /** Placed on a node: its supervisor starts the engine next. */
  public ModelInstance placed(String node, String nodeAddress, List<String> devices, Claim held, String message) {
    return edit(d -> {
      d.state = InstanceState.SCHEDULED;
      d.nodeName = node;
      d.address = nodeAddress;
      d.deviceIds = devices;
      d.claim = held;
      d.stateMessage = message;
    });
  }

  /** Its node left the cluster at {@code now}. */
  public ModelInstance unreachable(Instant now, String message) {
    return edit(d -> {
      d.state = InstanceState.UNREACHABLE;
      d.unreachableSince = now;
      d.stateMessage = message;
    });
  }

  /** Its node came back: the engine is started again there. */
  public ModelInstance revived(String message) {
    return edit(d -> {
      d.state = InstanceState.SCHEDULED;
      d.unreachableSince = null;
      d.stateMessage = message;
    });
  }

  // ---- the owning node's transitions

  /** Its node is stopping: out of routing; the engine finishes what it has, then stops. */
  public ModelInstance draining(String message) {
    return edit(d -> {
      d.state = InstanceState.DRAINING;
      d.stateMessage = message;
    });
  }

  /**
   * Its node fetches the model's files from the hub: how far it is, and what is happening (retries, waits).
   * A late report after the engine started changes nothing.
   */
  public ModelInstance downloading(Download progress, String message) {
    if (state != InstanceState.SCHEDULED && state != InstanceState.DOWNLOADING && state != InstanceState.ERROR) {
      return this;
    }
    return edit(d -> {
      d.state = InstanceState.DOWNLOADING;
      d.download = progress;
      d.stateMessage = message;
    });
  }

  /** The engine process started and is loading. */
  public ModelInstance starting(int enginePort, long enginePid, int restarts, String message) {
    return edit(d -> {
      d.state = InstanceState.STARTING;
      d.download = null;
      d.port = enginePort;
      d.pid = enginePid;
      d.restartCount = restarts;
      d.stateMessage = message;
    });
  }

  /** A new state message while the engine {@code enginePid} is still starting; else the record as it is. */
  public ModelInstance stillStarting(long enginePid, String message) {
    return state() == InstanceState.STARTING && pid() != null && pid() == enginePid
        ? edit(d -> d.stateMessage = message) : this;
  }

  /** The engine answers its health path. */
  public ModelInstance running() {
    return edit(d -> {
      d.state = InstanceState.RUNNING;
      d.stateMessage = null;
    });
  }

  /** The engine exited or could not start; {@code restarts} counts the attempts so far. */
  public ModelInstance failed(int restarts, String message) {
    return edit(d -> {
      d.state = InstanceState.ERROR;
      d.restartCount = restarts;
      d.pid = null;
      d.download = null;
      d.stateMessage = message;
    });
  }

  /** Stamps who owns the engine: the cluster member, and the HTTP port its relay route listens on. */
  public ModelInstance ownedBy(String member, int relayPort) {
    return edit(d -> {
      d.memberId = member;
      d.nodePort = relayPort;
    });
  }

  public ModelInstance touched(Instant now) {
    return edit(d -> d.updatedAt = now);
  }

  /** Whether the replica is placed on {@code node}. */
  public boolean on(String node) {
    return node != null && node.equals(nodeName);
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("id", id)
        .put("name", name)
        .put("model_id", modelId)
        .put("model_name", modelName)
        .put("backend", backend)
        .put("categories", new JsonArray(categories))
        .put("state", state.json())
        .put("state_message", stateMessage)
        .put("restart_count", restartCount)
        .put("device_ids", new JsonArray(deviceIds))
        .put("node_name", nodeName)
        .put("address", address)
        .put("port", port > 0 ? port : null)
        .put("node_port", nodePort > 0 ? nodePort : null)
        .put("member_id", memberId)
        .put("pid", pid)
        .put("created_at", createdAt == null ? null : createdAt.toString())
        .put("updated_at", updatedAt == null ? null : updatedAt.toString());
    if (claim != null) {
      json.put("claim", claim.toJson());
    }
    if (download != null) {
      json.put("download", download.toJson());
    }
    if (!parts.isEmpty()) {
      json.put("parts", new JsonArray(parts.stream().map(InstancePart::toJson).toList())).put("generation", generation);
    }
    if (lastRestart != null) {
      json.put("last_restart_reason", lastRestart);
    }
    return unreachableSince == null ? json : json.put("unreachable_since", unreachableSince.toString());
  }

  public static ModelInstance fromJson(JsonObject json) {
    return new ModelInstance(json.getString("id"), json.getString("name", json.getString("id")),
        json.getValue("model_id") instanceof Number n ? n.longValue() : null, json.getString("model_name"),
        json.getString("backend"), strings(json.getJsonArray("categories")),
        InstanceState.fromJson(json.getString("state")), json.getString("state_message"),
        json.getInteger("restart_count", 0), strings(json.getJsonArray("device_ids")),
        Claim.fromJson(json.getJsonObject("claim")), json.getString("node_name"), json.getString("address"),
        json.getValue("port") instanceof Number n ? n.intValue() : 0,
        json.getValue("node_port") instanceof Number n ? n.intValue() : 0, json.getString("member_id"),
        json.getValue("pid") instanceof Number n ? n.longValue() : null, instant(json.getString("unreachable_since")),
        instant(json.getString("created_at")), instant(json.getString("updated_at")),
        Download.fromJson(json.getJsonObject("download")),
        json.getJsonArray("parts", new JsonArray()).stream().map(o -> InstancePart.fromJson((JsonObject) o)).toList(),
        json.getInteger("generation", 0), json.getString("last_restart_reason"));
  }

  private static List<String> strings(JsonArray array) {
    return array == null ? List.of() : array.stream().map(String::valueOf).toList();
  }

  private static Instant instant(String value) {
    return value == null ? null : Instant.parse(value);
  }

  ModelInstance edit(Consumer<Draft> change) {
    Draft d = new Draft(this);
    change.accept(d);
    return d.build();
  }

  /** The fields of a record while a transition changes some of them. */
  static final class Draft {
    final String id;
    final String name;
    final Long modelId;
    final String modelName;
    final String backend;
    final List<String> categories;
    InstanceState state;
    String stateMessage;
    int restartCount;
    List<String> deviceIds;
    Claim claim;
    String nodeName;
    String address;
    int port;
    int nodePort;
    String memberId;
    Long pid;
    Instant unreachableSince;
    final Instant createdAt;
    Instant updatedAt;
    Download download;
    List<InstancePart> parts;
    int generation;
    String lastRestart;

    Draft(ModelInstance i) {
      id = i.id;
      name = i.name;
      modelId = i.modelId;
      modelName = i.modelName;
      backend = i.backend;
      categories = i.categories;
      state = i.state;
      stateMessage = i.stateMessage;
      restartCount = i.restartCount;
      deviceIds = i.deviceIds;
      claim = i.claim;
      nodeName = i.nodeName;
      address = i.address;
      port = i.port;
      nodePort = i.nodePort;
      memberId = i.memberId;
      pid = i.pid;
      unreachableSince = i.unreachableSince;
      createdAt = i.createdAt;
      updatedAt = i.updatedAt;
      download = i.download;
      parts = i.parts;
      generation = i.generation;
      lastRestart = i.lastRestart;
    }

    ModelInstance build() {
      return new ModelInstance(id, name, modelId, modelName, backend, categories, state, stateMessage, restartCount,
          deviceIds, claim, nodeName, address, port, nodePort, memberId, pid, unreachableSince, createdAt, updatedAt,
          download, parts, generation, lastRestart);
    }
  }
}
