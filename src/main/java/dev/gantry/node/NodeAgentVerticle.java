package dev.gantry.node;

import dev.gantry.cluster.LiveNodes;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.NodeRecord;
import dev.gantry.cluster.NodeSettings;
import dev.gantry.cluster.NodeState;
import dev.gantry.config.GantryConfig;
import dev.gantry.engine.EngineExecutables;
import dev.gantry.engine.backend.InstalledEngine;
import dev.gantry.node.device.AcceleratorDetector;
import dev.gantry.node.device.Device;
import dev.gantry.node.device.PartitionUuids;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this node's live record (identity, labels, state, heartbeat, OS, CPU, memory, accelerators
 * found by {@link AcceleratorDetector}, read on a worker thread) into the cluster every
 * {@link #HEARTBEAT_MS} ms. Labels and maintenance come from the cluster's node settings, which the API
 * changes and PostgreSQL keeps.
 */
public final class NodeAgentVerticle extends VerticleBase {

  public static final long HEARTBEAT_MS = 3_000;
  private static final Logger LOG = LoggerFactory.getLogger(NodeAgentVerticle.class);

  private final GantryConfig config;
  private final LiveNodes nodes;
  private final Membership membership;
  private final PgNodeStore store;
  private final Supplier<Future<String>> healthProblem;
  private final String version;
  private final Consumer<NodeSample> samples;
  private final Instant startedAt = Instant.now();
  private SystemProbe probe;
  private AcceleratorDetector accelerators;
  private EngineExecutables executables;
  /** The engines found by the last search (empty until the first ends); a search runs beside the heartbeat. */
  private volatile List<InstalledEngine> engines = List.of();
  private boolean searching;
  private long timer;
  private Future<Void> lastPublish = Future.succeededFuture();

  /**
   * @param healthProblem answers null when the node is healthy, otherwise what is wrong (shown as state_message)
   * @param samples       told each heartbeat's readings (Prometheus gauges, history); called on a worker thread
   */
  public NodeAgentVerticle(GantryConfig config, LiveNodes nodes, Membership membership, PgNodeStore store,
      Supplier<Future<String>> healthProblem, String version, Consumer<NodeSample> samples) {
    this.config = config;
    this.nodes = nodes;
    this.membership = membership;
    this.store = store;
    this.healthProblem = healthProblem;
    this.version = version;
    this.samples = samples;
  }

  @Override
  public Future<?> start() {
    accelerators = AcceleratorDetector.fromSystemProperties(config.nodeName());
    executables = new EngineExecutables(config.llamaServer(), config.enginesDir(), System.getenv(), config.containers());
    return vertx.executeBlocking(SystemProbe::new)
        .onSuccess(p -> probe = p)
        .compose(p -> store.register(config.nodeName(), new JsonObject(new HashMap<>(config.labels()))))
        .compose(saved -> nodes.shareSettings(config.nodeName(), NodeSettings.fromJson(saved)))
        .compose(v -> publish())
        .onSuccess(v -> timer = vertx.setPeriodic(HEARTBEAT_MS, t -> lastPublish = publish()));
  }

  /** Stops the heartbeat; answers once a heartbeat already on its way has landed (nothing overwrites what follows). */
  @Override
  public Future<?> stop() {
    vertx.cancelTimer(timer);
    return lastPublish.otherwiseEmpty();
  }

  private Future<Void> publish() {
    searchEngines();
    Future<JsonObject> sample = vertx.executeBlocking(this::sample, false);
    Future<NodeSettings> settings = nodes.settings(config.nodeName());
    Future<String> problem = healthProblem.get();
    return Future.all(sample, settings, problem)
        .compose(all -> nodes.publish(record(sample.result(), settings.result(), problem.result())));
  }

  /** Reads the machine and its accelerators (blocking) and tells {@link #samples} what it read. */
  private JsonObject sample() {
    JsonObject sample = probe.sample();
    List<Device> found = accelerators.detect();
    PartitionUuids.record(config.nodeName(), found);
    JsonObject cpu = sample.getJsonObject("cpu");
    JsonObject memory = sample.getJsonObject("memory");
    try {
      samples.accept(new NodeSample(System.currentTimeMillis(), cpu.getDouble("utilization") / 100.0,
          memory.getLong("used"), memory.getLong("total"), found));
    } catch (RuntimeException e) {
      LOG.warn("node sample not recorded [error: {}]", e.toString());
    }
    JsonArray gpus = new JsonArray();
    found.forEach(device -> gpus.add(device.toJson()));
    return sample.put("gpus", gpus);
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

  /**
   * Looks for engine executables off the heartbeat: asking a new one for its version can take seconds
   * (vLLM imports its Python packages), and the node must publish meanwhile.
   */
  private void searchEngines() {
    if (searching) {
      return;
    }
    searching = true;
    vertx.executeBlocking(executables::engines, false).onComplete(found -> {
      searching = false;
      if (found.succeeded()) {
        engines = found.result();
      }
    });
  }

  private NodeRecord record(JsonObject sample, NodeSettings settings, String problem) {
    NodeState state = settings.maintenance() ? NodeState.MAINTENANCE : problem != null ? NodeState.NOT_READY : NodeState.READY;
    String message = settings.maintenance() ? NodeRecord.maintenanceMessage(settings) : problem;
    return new NodeRecord(config.nodeName(), config.host(), config.port(), config.clusterPort(), membership.localMemberId(),
        settings.labels(), settings.maintenance(), settings.drain(), state, message, version, startedAt, Instant.now(), null,
        new NodeRecord.Hardware(sample.getJsonObject("os"), sample.getJsonObject("cpu"), sample.getJsonObject("memory"),
            devices(sample)), executables.available(engines),
        new JsonArray(engines.stream().map(InstalledEngine::toJson).toList()));
  }
}
