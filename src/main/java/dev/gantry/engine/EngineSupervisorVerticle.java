package dev.gantry.engine;

import dev.gantry.cluster.LiveInstances;
import dev.gantry.cluster.LiveModels;
import dev.gantry.cluster.Membership;
import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.SharedMap;
import dev.gantry.common.Addresses;
import dev.gantry.common.DeviceVendor;
import dev.gantry.config.GantryConfig;
import dev.gantry.engine.backend.EngineBackends;
import dev.gantry.engine.backend.InstalledEngine;
import dev.gantry.engine.metrics.EngineMetricsVerticle;
import dev.gantry.engine.metrics.ScrapeTarget;
import dev.gantry.engine.tuning.EngineTuning;
import dev.gantry.cluster.SecretBox;
import dev.gantry.hub.ModelCache;
import dev.gantry.model.HubResolver;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
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

  private final GantryConfig config;
  private final LiveInstances instances;
  private final LiveModels models;
  private final Membership membership;
  private final Map<String, EngineProcess> processes = new HashMap<>();
  /** The engine version each instance was started with (vllm, sglang, mindie), for its metric names. */
  private final Map<String, String> startedVersions = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<SharedMap.Listening> listening = new ArrayList<>();
  private HttpClient http;
  private PortPool ports;
  private EngineLogFiles logs;
  private PidFiles pids;
  private EngineExecutables executables;
  private ModelCache cache;
  private ModelDownloads downloads;
  private volatile boolean closing;
  private boolean reconciling;
  private boolean again;

  public EngineSupervisorVerticle(GantryConfig config, LiveInstances instances, LiveModels models, Membership membership) {
    this.config = config;
    this.instances = instances;
    this.models = models;
    this.membership = membership;
  }

  @Override
  public Future<?> start() {
    http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1_000).setIdleTimeout(5));
    ports = new PortPool(config.enginePorts(), Backends.ENGINE_HOST);
    logs = new EngineLogFiles(config.dataDir());
    pids = new PidFiles(config.dataDir());
    executables = new EngineExecutables(config.llamaServer(), config.enginesDir(), System.getenv());
    cache = ModelCache.onNode(config.dataDir());
    downloads = new ModelDownloads(context, cache, new HubResolver(vertx, new SecretBox(config.clusterSecret()), Map.of()),
        this::changeInstance);
    return vertx.executeBlocking(pids::killOrphans)
        .compose(killed -> vertx.eventBus().<JsonObject>consumer(Addresses.engineLogs(config.nodeName()),
            message -> EngineLogService.answer(vertx, logs, instances, message)).completion())
        .compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.modelFiles(config.nodeName()),
            new ModelFileService(vertx, cache, instances, models, config.nodeName())::answer).completion())
        .compose(v -> Future.all(
            instances.listen((type, instance) -> {
              if (instance.on(config.nodeName()) || processes.containsKey(instance.id())) {
                context.runOnContext(x -> reconcile());
              }
            }).onSuccess(listening::add),
            models.listen((type, model) -> context.runOnContext(x -> reconcile())).onSuccess(listening::add)))
        .onSuccess(v -> {
          vertx.setPeriodic(SWEEP_MS, t -> reconcile());
          reconcile();
        });
  }

  @Override
  public Future<?> stop() {
    List<Future<?>> stopping = new ArrayList<>(processes.values().stream().map(EngineProcess::stop).toList());
    processes.clear();
    listening.forEach(l -> stopping.add(l.close()));
    return Future.join(stopping).eventually(() -> vertx.executeBlocking(() -> {
      cache.close();
      return null;
    }));
  }

  /** From now on no engine is started or restarted here (the node is shutting down); running ones keep running. */
  public void quiesce() {
    closing = true;
  }

  @Override
  public boolean closing() {
    return closing;
  }

  /** Stops every engine of this node (SIGTERM, then SIGKILL after the grace period); answers how many. */
  public Future<Integer> stopEngines() {
    return Future.<List<EngineProcess>>future(promise -> context.runOnContext(v -> {
      List<EngineProcess> running = List.copyOf(processes.values());
      processes.clear();
      promise.complete(running);
    })).compose(running -> Future.join(running.stream().map(EngineProcess::stop).toList()).map(running.size()));
  }

  /** This node's running engines that serve metrics, for {@link EngineMetricsVerticle}. */
  public Future<List<ScrapeTarget>> scrapeTargets() {
    return Future.future(promise -> context.runOnContext(v -> {
      List<ScrapeTarget> out = new ArrayList<>();
      processes.forEach((id, process) -> {
        String uri = process.metricsUri();
        if (uri != null) {
          int slash = uri.indexOf('/');
          out.add(new ScrapeTarget(id, process.instanceName(), process.model().getString("name"),
              process.model().getString("backend"), startedVersions.get(id), Integer.parseInt(uri.substring(0, slash)),
              uri.substring(slash), engineKey(id)));
        }
      });
      startedVersions.keySet().retainAll(processes.keySet());
      promise.complete(out);
    }));
  }

  private void reconcile() {
    if (closing) {
      return;
    }
    if (reconciling) {
      again = true;
      return;
    }
    reconciling = true;
    desired().onComplete(ar -> {
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
  private Future<Map<String, Desired>> desired() {
    return Future.all(instances.all(), models.all()).map(state -> {
      Map<String, JsonObject> modelsByName = new HashMap<>();
      state.<List<JsonObject>>resultAt(1).forEach(model -> modelsByName.put(model.getString("name"), model));
      Map<String, Desired> out = new HashMap<>();
      for (ModelInstance instance : state.<List<ModelInstance>>resultAt(0)) {
        JsonObject model = modelsByName.get(instance.modelName());
        if (instance.on(config.nodeName()) && instance.state().wantsEngine() && model != null) {
          out.put(instance.id(), new Desired(instance, model));
        }
      }
      return out;
    });
  }

  /** An instance this node should run, with its model. */
  private record Desired(ModelInstance instance, JsonObject model) {
  }

  private void apply(Map<String, Desired> desired) {
    Set<String> gone = processes.keySet().stream().filter(id -> !desired.containsKey(id)).collect(Collectors.toSet());
    gone.forEach(id -> {
      EngineProcess process = processes.remove(id);
      process.stop().onComplete(ar -> vertx.executeBlocking(() -> {
        WorkDirs.delete(workDir(process.instanceName()));
        return null;
      }, false));
    });
    downloads.retain(desired.keySet());
    desired.forEach((id, wanted) -> {
      if (!processes.containsKey(id) && !closing) {
        JsonObject model = wanted.model();
        if (ModelDownloads.needed(model)) {
          model = downloads.ready(id);
          if (model == null) {
            downloads.start(wanted.instance(), wanted.model(), this::reconcile);
            return;
          }
        }
        EngineProcess process = new EngineProcess(this, wanted.instance(), model);
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
  public void updateInstance(String id, UnaryOperator<ModelInstance> change) {
    changeInstance(id, change);
  }

  private Future<ModelInstance> changeInstance(String id, UnaryOperator<ModelInstance> change) {
    String member = membership.localMemberId();
    return instances.update(id, i -> change.apply(i).ownedBy(member, config.port()).touched(java.time.Instant.now()));
  }

  @Override
  public EngineCommand commandFor(ModelInstance instance, JsonObject model, int port) {
    List<String> accelerators = instance.deviceIds().stream().filter(id -> !id.contains(":cpu:")).toList();
    List<Integer> gpus = accelerators.stream().map(id -> Integer.parseInt(id.substring(id.lastIndexOf(':') + 1))).toList();
    String type = accelerators.isEmpty() ? null : DeviceVendor.typeOfDeviceId(accelerators.get(0));
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String id = instance.id();
    String backend = model.getString("backend");
    InstalledEngine engine = EngineBackends.byName(backend).isEmpty() ? null
        : executables.find(backend, model.getString("backend_version")).orElseThrow(() -> new IllegalArgumentException(
            "no " + backend + (blank(model.getString("backend_version")) ? "" : " " + model.getString("backend_version"))
                + " on this node; it has: " + executables.engines().stream().map(e -> e.backend() + " " + e.version())
                    .collect(Collectors.joining(", "))));
    if (engine != null) {
      startedVersions.put(id, engine.version());
    }
    ModelInstance.Claim held = instance.claim() == null ? new ModelInstance.Claim(0, 0, 0) : instance.claim();
    JsonObject launched = EngineTuning.resolved(model, held.ram(), held.memoryPerDevice(), gpus.size());
    return Backends.command(new LaunchSpec(launched, id, Backends.ENGINE_HOST, port, engineKey(id), gpus, java,
        CLASSPATH, config.llamaServer(), type, engine, workDir(instance.name())));
  }

  /** The instance's own folder for files its engine reads (MindIE's config.json, SGLang's key file); deleted with it. */
  private Path workDir(String instanceName) {
    return config.dataDir().resolve("engine-work").resolve(instanceName);
  }

  private static boolean blank(String text) {
    return text == null || text.isBlank();
  }

  @Override
  public String engineKey(String instanceId) {
    return config.clusterSecret().engineKey(instanceId);
  }
}
