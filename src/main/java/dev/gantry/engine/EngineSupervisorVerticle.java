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
import dev.gantry.engine.container.ContainerImages;
import dev.gantry.engine.container.ContainerLaunch;
import dev.gantry.engine.container.ContainerRuntime;
import dev.gantry.engine.backend.InstalledEngine;
import dev.gantry.node.device.PartitionUuids;
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
    executables = new EngineExecutables(config.llamaServer(), config.enginesDir(), System.getenv(), config.containers());
    cache = ModelCache.onNode(config.dataDir());
    downloads = new ModelDownloads(context, cache, new HubResolver(vertx, new SecretBox(config.clusterSecret()),
        config.sources().hubEnvironment(System.getenv())),
        (id, rank, change) -> rank > 0 ? changeWorkerPart(id, change) : changeInstance(id, change), config.nodeName());
    return vertx.executeBlocking(pids::killOrphans)
        .compose(killed -> vertx.eventBus().<JsonObject>consumer(Addresses.engineLogs(config.nodeName()),
            message -> EngineLogService.answer(vertx, logs, instances, message)).completion())
        .compose(v -> vertx.eventBus().<JsonObject>consumer(Addresses.modelFiles(config.nodeName()),
            new ModelFileService(vertx, cache, instances, models, config.nodeName())::answer).completion())
        .compose(v -> Future.all(
            instances.listen((type, instance) -> {
              if (instance.on(config.nodeName()) || PartsOnNode.hasPartOn(instance, config.nodeName())
                  || PartsOnNode.runsAny(processes.keySet(), instance.id())) {
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
        if (!instance.state().wantsEngine() || model == null) {
          continue;
        }
        if (instance.parts().isEmpty() && instance.on(config.nodeName())) {
          out.put(instance.id(), new Desired(instance, model, -1, true));
        }
        boolean hubFiles = ModelDownloads.needed(model);
        PartsOnNode.placed(instance, config.nodeName()).forEach((key, rank) -> out.put(key,
            new Desired(instance, model, rank, PartsOnNode.mayStart(instance, rank, hubFiles))));
      }
      return out;
    });
  }

  /**
   * An instance (or its part {@code rank}; -1 for a replica on one node) placed on this node, with its model;
   * {@code startable}: its engine may start now (a part that may not yet only gets its hub files).
   */
  private record Desired(ModelInstance instance, JsonObject model, int rank, boolean startable) {
  }

  private void apply(Map<String, Desired> placed) {
    Map<String, Desired> desired = placed.entrySet().stream().filter(e -> e.getValue().startable())
        .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    Set<String> gone = processes.keySet().stream().filter(key -> !desired.containsKey(key)
        || processes.get(key).generation() != desired.get(key).instance().generation()).collect(Collectors.toSet());
    gone.forEach(key -> {
      EngineProcess process = processes.remove(key);
      boolean restarting = desired.containsKey(key);
      process.stop().onComplete(ar -> vertx.executeBlocking(() -> {
        if (!restarting) {
          WorkDirs.delete(workDir(process.instanceName()));
        }
        return null;
      }, false));
    });
    downloads.retain(placed.keySet());
    placed.forEach((id, wanted) -> {
      if (!processes.containsKey(id) && !closing) {
        JsonObject model = wanted.model();
        if (ModelDownloads.needed(model) && !downloads.holds(id, wanted.instance())) {
          downloads.start(id, wanted.instance(), wanted.rank(), wanted.model(), this::reconcile);
          return;
        }
        if (!wanted.startable()) {
          return;
        }
        if (ModelDownloads.needed(model)) {
          model = downloads.ready(id);
        }
        EngineProcess process = new EngineProcess(this, wanted.instance(), model, wanted.rank());
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

  @Override
  public void updateWorkerPart(String id, UnaryOperator<ModelInstance> change) {
    changeWorkerPart(id, change);
  }

  @Override
  public String nodeName() {
    return config.nodeName();
  }

  private Future<ModelInstance> changeWorkerPart(String id, UnaryOperator<ModelInstance> change) {
    return instances.update(id, i -> change.apply(i).touched(java.time.Instant.now()));
  }

  private Future<ModelInstance> changeInstance(String id, UnaryOperator<ModelInstance> change) {
    String member = membership.localMemberId();
    return instances.update(id, i -> change.apply(i).ownedBy(member, config.port()).touched(java.time.Instant.now()));
  }

  @Override
  public EngineCommand commandFor(ModelInstance instance, JsonObject model, int port, int rank, int rendezvousPort) {
    List<String> deviceIds = rank < 0 ? instance.deviceIds() : instance.parts().get(rank).deviceIds();
    List<String> accelerators = PartsOnNode.accelerators(deviceIds);
    List<Integer> gpus = PartsOnNode.indexes(accelerators);
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
    ModelInstance.Claim claimed = rank < 0 ? instance.claim() : instance.parts().get(rank).claim();
    ModelInstance.Claim held = claimed == null ? new ModelInstance.Claim(0, 0, 0) : claimed;
    JsonObject launched = EngineTuning.resolved(model, held.ram(), held.memoryPerDevice(), gpus.size());
    String image = engine == null ? null : ContainerImages.imageOf(engine);
    if (image != null) {
      if (rank >= 0) {
        throw new IllegalArgumentException("one replica over several nodes runs its parts as engine processes; "
            + "container mode does not publish the rendezvous port yet: run this node with --engine-runtime process");
      }
      if (accelerators.stream().map(PartitionUuids::visibleId).anyMatch(v -> !v.chars().allMatch(Character::isDigit))) {
        throw new IllegalArgumentException("container mode does not pass MIG devices through yet: run this node with "
            + "--engine-runtime process to serve on MIG devices");
      }
      InstalledEngine inImage = new InstalledEngine(backend, engine.version(),
          EngineBackends.byName(backend).orElseThrow().executableName());
      ContainerRuntime runtime = executables.containerRuntime().orElseThrow(() -> new IllegalArgumentException(
          "the container runtime '" + config.containers().runtime() + "' is no longer found on this node"));
      return ContainerLaunch.command(new LaunchSpec(launched, id, ContainerLaunch.CONTAINER_HOST, port, engineKey(id),
          gpus, java, CLASSPATH, config.llamaServer(), type, inImage, workDir(instance.name())), image, runtime,
          instance.name(), workDir(instance.name()).resolveSibling(instance.name() + ".env"));
    }
    LaunchSpec spec = new LaunchSpec(launched, id, Backends.ENGINE_HOST, port, engineKey(id), gpus, java,
        CLASSPATH, config.llamaServer(), type, engine, workDir(instance.name()))
        .withVisibleIds(accelerators.stream().map(PartitionUuids::visibleId).toList());
    return Backends.command(rank < 0 ? spec : spec.withMultiNode(PartsOnNode.launch(instance, rank, rendezvousPort)));
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
