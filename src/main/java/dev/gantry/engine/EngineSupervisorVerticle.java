package dev.gantry.engine;

import com.hazelcast.core.HazelcastInstance;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.cluster.JsonMap;
import dev.gantry.cluster.MapEvents;
import dev.gantry.common.Addresses;
import dev.gantry.config.GantryConfig;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/**
 * This node's engines: starts one for every instance the scheduler placed here, stops the ones whose
 * instance went away, serves their logs to the cluster, and on start kills engines a crashed
 * predecessor left behind. Level-triggered: every map change for this node and a periodic sweep
 * compare what should run here with what does.
 */
public final class EngineSupervisorVerticle extends VerticleBase implements EngineProcess.Host {

  static final long SWEEP_MS = 2_000;
  /** This JVM's classpath with absolute entries: the builtin engine runs from Gantry's own jar. */
  private static final String CLASSPATH = java.util.Arrays.stream(System.getProperty("java.class.path")
      .split(java.io.File.pathSeparator)).map(entry -> Path.of(entry).toAbsolutePath().toString())
      .collect(Collectors.joining(java.io.File.pathSeparator));
  private static final Set<String> RUNNABLE = Set.of("scheduled", "starting", "running", "error");

  private final GantryConfig config;
  private final HazelcastInstance hazelcast;
  private final Map<String, EngineProcess> processes = new HashMap<>();
  private JsonMap instances;
  private JsonMap models;
  private HttpClient http;
  private PortPool ports;
  private EngineLogFiles logs;
  private PidFiles pids;
  private boolean reconciling;
  private boolean again;

  public EngineSupervisorVerticle(GantryConfig config, HazelcastInstance hazelcast) {
    this.config = config;
    this.hazelcast = hazelcast;
  }

  @Override
  public Future<?> start() {
    instances = new JsonMap(hazelcast.getMap(ClusterMaps.INSTANCES));
    models = new JsonMap(hazelcast.getMap(ClusterMaps.MODELS));
    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1_000).setIdleTimeout(5));
    ports = new PortPool(config.enginePorts(), Backends.ENGINE_HOST);
    logs = new EngineLogFiles(config.dataDir());
    pids = new PidFiles(config.dataDir());
    return vertx.executeBlocking(pids::killOrphans)
        .compose(killed -> vertx.eventBus().<JsonObject>consumer(Addresses.engineLogs(config.nodeName()),
            message -> EngineLogService.answer(vertx, logs, instances, message)).completion())
        .onSuccess(v -> {
          MapEvents.listen(instances.raw(), (type, item) -> {
            if (config.nodeName().equals(item.getString("node_name")) || processes.containsKey(item.getString("id"))) {
              context.runOnContext(x -> reconcile());
            }
          });
          MapEvents.listen(models.raw(), (type, item) -> context.runOnContext(x -> reconcile()));
          vertx.setPeriodic(SWEEP_MS, t -> reconcile());
          reconcile();
        });
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> stopping = processes.values().stream().map(EngineProcess::stop).toList();
    processes.clear();
    return Future.join(stopping);
  }

  private void reconcile() {
    if (reconciling) {
      again = true;
      return;
    }
    reconciling = true;
    vertx.executeBlocking(this::desired, false).onComplete(ar -> {
      if (ar.succeeded()) {
        apply(ar.result());
      }
      reconciling = false;
      if (again) {
        again = false;
        reconcile();
      }
    });
  }

  /** Instances placed on this node that should have an engine, each with its model. */
  private Map<String, JsonObject[]> desired() {
    Map<String, JsonObject[]> out = new HashMap<>();
    for (JsonObject instance : instances.values()) {
      if (config.nodeName().equals(instance.getString("node_name")) && RUNNABLE.contains(instance.getString("state"))) {
        JsonObject model = models.get(instance.getString("model_name"));
        if (model != null) {
          out.put(instance.getString("id"), new JsonObject[] {instance, model});
        }
      }
    }
    return out;
  }

  private void apply(Map<String, JsonObject[]> desired) {
    Set<String> gone = processes.keySet().stream().filter(id -> !desired.containsKey(id)).collect(Collectors.toSet());
    gone.forEach(id -> processes.remove(id).stop());
    desired.forEach((id, pair) -> {
      if (!processes.containsKey(id)) {
        EngineProcess process = new EngineProcess(this, pair[0], pair[1]);
        processes.put(id, process);
        process.start();
      }
    });
  }

  @Override
  public Vertx vertx() {
    return vertx;
  }

  @Override
  public HttpClient http() {
    return http;
  }

  @Override
  public PortPool ports() {
    return ports;
  }

  @Override
  public EngineLogFiles logs() {
    return logs;
  }

  @Override
  public PidFiles pids() {
    return pids;
  }

  /**
   * Every change also stamps who owns the engine: the Hazelcast member and {@code node_port}, this
   * node's HTTP port, where other nodes' gateways reach the engine through the relay route.
   */
  @Override
  public void updateInstance(String id, UnaryOperator<JsonObject> change) {
    String member = hazelcast.getCluster().getLocalMember().getUuid().toString();
    vertx.executeBlocking(() -> instances.update(id, i -> change.apply(i).put("member_id", member)
        .put("node_port", config.port()).put("updated_at", java.time.Instant.now().toString())));
  }

  @Override
  public EngineCommand commandFor(JsonObject instance, JsonObject model, int port) {
    List<Integer> gpus = instance.getJsonArray("device_ids", new io.vertx.core.json.JsonArray()).stream()
        .map(String::valueOf).filter(id -> !id.contains(":cpu:"))
        .map(id -> Integer.parseInt(id.substring(id.lastIndexOf(':') + 1))).toList();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String id = instance.getString("id");
    return Backends.command(new LaunchSpec(model, id, Backends.ENGINE_HOST, port, engineKey(id), gpus, java,
        CLASSPATH, config.llamaServer()));
  }

  @Override
  public String engineKey(String instanceId) {
    return config.clusterSecret().engineKey(instanceId);
  }
}
