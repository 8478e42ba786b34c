package dev.gantry.node;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.config.GantryConfig;
import dev.gantry.node.device.Device;
import dev.gantry.node.device.NvidiaSmiProbe;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Publishes this node's live record (identity, labels, state, heartbeat, OS, CPU, memory) into the
 * cluster every {@link #HEARTBEAT_MS} ms. Labels and maintenance come from the cluster's node settings,
 * which the API changes and PostgreSQL keeps.
 */
public final class NodeAgentVerticle extends VerticleBase {

  public static final long HEARTBEAT_MS = 3_000;

  private final GantryConfig config;
  private final HazelcastInstance hazelcast;
  private final PgNodeStore store;
  private final Supplier<Future<String>> healthProblem;
  private final String version;
  private final Instant startedAt = Instant.now();
  private IMap<String, String> nodes;
  private IMap<String, String> settings;
  private SystemProbe probe;
  private NvidiaSmiProbe nvidia;
  private long timer;

  /**
   * @param healthProblem answers null when the node is healthy, otherwise what is wrong (shown as state_message)
   */
  public NodeAgentVerticle(GantryConfig config, HazelcastInstance hazelcast, PgNodeStore store,
      Supplier<Future<String>> healthProblem, String version) {
    this.config = config;
    this.hazelcast = hazelcast;
    this.store = store;
    this.healthProblem = healthProblem;
    this.version = version;
  }

  @Override
  public Future<?> start() {
    nodes = hazelcast.getMap(ClusterMaps.NODES);
    settings = hazelcast.getMap(ClusterMaps.NODE_SETTINGS);
    nvidia = NvidiaSmiProbe.onPath(config.nodeName());
    return vertx.executeBlocking(SystemProbe::new)
        .onSuccess(p -> probe = p)
        .compose(p -> store.register(config.nodeName(), new JsonObject(new java.util.HashMap<>(config.labels()))))
        .compose(s -> Future.fromCompletionStage(settings.setAsync(config.nodeName(), s.encode()), context))
        .compose(v -> publish())
        .onSuccess(v -> timer = vertx.setPeriodic(HEARTBEAT_MS, t -> publish()));
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return Future.succeededFuture();
  }

  private Future<Void> publish() {
    Future<JsonObject> sample = vertx.executeBlocking(() -> probe.sample().put("gpus", gpus()), false);
    Future<String> stored = Future.fromCompletionStage(settings.getAsync(config.nodeName()), context);
    Future<String> problem = healthProblem.get();
    return Future.all(sample, stored, problem).compose(all -> {
      JsonObject nodeSettings = stored.result() == null ? new JsonObject() : new JsonObject(stored.result());
      JsonObject record = record(sample.result(), nodeSettings, problem.result());
      return Future.fromCompletionStage(nodes.setAsync(config.nodeName(), record.encode()), context);
    });
  }

  private JsonArray gpus() {
    JsonArray out = new JsonArray();
    nvidia.probe().forEach(device -> out.add(device.toJson()));
    return out;
  }

  /** The CPU, always, as device {@code <node>:cpu:0}, then the accelerators found. */
  private JsonArray devices(JsonObject sample) {
    JsonObject cpu = sample.getJsonObject("cpu");
    JsonObject memory = sample.getJsonObject("memory");
    JsonObject cpuDevice = new Device(Device.id(config.nodeName(), "cpu", 0), "cpu", "cpu", 0, cpu.getString("model"),
        null, memory.getLong("total"), memory.getLong("used"), (int) Math.round(cpu.getDouble("utilization")), null, null)
        .toJson().put("cores", cpu.getInteger("cores"));
    JsonArray devices = new JsonArray().add(cpuDevice);
    sample.getJsonArray("gpus").forEach(devices::add);
    return devices;
  }

  private JsonObject record(JsonObject sample, JsonObject nodeSettings, String problem) {
    boolean maintenance = nodeSettings.getBoolean("maintenance", false);
    String state = maintenance ? "maintenance" : problem != null ? "not_ready" : "ready";
    String message = maintenance ? "in maintenance: no new replicas are placed here" : problem;
    return new JsonObject()
        .put("name", config.nodeName())
        .put("address", config.host())
        .put("port", config.port())
        .put("cluster_port", config.clusterPort())
        .put("member_id", hazelcast.getCluster().getLocalMember().getUuid().toString())
        .put("labels", nodeSettings.getJsonObject("labels", new JsonObject()))
        .put("maintenance", maintenance)
        .put("state", state)
        .put("state_message", message)
        .put("version", version)
        .put("started_at", startedAt.toString())
        .put("heartbeat_at", Instant.now().toString())
        .put("os", sample.getJsonObject("os"))
        .put("cpu", sample.getJsonObject("cpu"))
        .put("memory", sample.getJsonObject("memory"))
        .put("devices", devices(sample));
  }
}
