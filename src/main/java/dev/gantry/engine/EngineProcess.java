package dev.gantry.engine;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import dev.gantry.cluster.ModelInstance;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one engine process of one instance on this node: starts it with its log file, polls its
 * health path until it answers (then {@code running}), restarts it with exponential backoff when it
 * exits or stops answering, and stops it gracefully (then forcibly). All methods run on the
 * supervisor's event loop; blocking steps go to workers.
 *
 * <p>A part of a replica over several nodes ({@code rank} ≥ 0) reports through {@link InstanceReports}
 * instead: the leader (rank 0) also claims a rendezvous port and is probed; a worker is not probed (it
 * serves nothing; the leader answers only once every worker joined it). When a part exits it does not
 * restart itself: it reports the part lost, which starts a new generation of the whole replica.
 */
final class EngineProcess {

  private static final Logger LOG = LoggerFactory.getLogger(EngineProcess.class);
  static final long HEALTH_POLL_MS = 500;
  /** How long a running engine may fail its health checks before it is restarted (generous: a busy engine is slow). */
  static final long UNHEALTHY_AFTER_MS = 30_000;
  static final long PROBE_TIMEOUT_MS = 5_000;
  static final Duration STOP_GRACE = Duration.ofSeconds(10);
  static final long MAX_BACKOFF_MS = 60_000;
  /** How often a starting engine's state message is brought up to date: how long it has waited, its last log line. */
  static final long STARTING_REPORT_MS = 5_000;

  /** What the process needs from its supervisor. */
  interface Host {
    Vertx vertx();

    HttpClient http();

    PortPool ports();

    EngineLogFiles logs();

    PidFiles pids();

    /** Changes the instance record (compare-and-set in the cluster map); runs the change off the event loop. */
    void updateInstance(String id, UnaryOperator<ModelInstance> change);

    /** Changes the instance record for a worker part: without stamping this node as the one the gateway reaches. */
    void updateWorkerPart(String id, UnaryOperator<ModelInstance> change);

    /** The command of the instance's engine, or of its part {@code rank} (-1: the replica runs on one node). */
    EngineCommand commandFor(ModelInstance instance, JsonObject model, int port, int rank, int rendezvousPort);

    /** This node's name, for messages about parts. */
    String nodeName();

    /** The bearer token this instance's engine requires (derived, never stored). */
    String engineKey(String instanceId);

    /** Whether the node is shutting down: no engine is started or restarted any more. */
    boolean closing();
  }

  private final Host host;
  /** The instance's id, or {@code id#rank} for a worker part (the key of its pid file). */
  private final String key;
  private final String id;
  private final int rank;
  private final InstanceReports reports;
  private final ModelInstance instance;
  private final JsonObject model;
  private Process process;
  private int port;
  private int rendezvousPort;
  private int restarts;
  private long unhealthySince = -1;
  private boolean probing;
  private int failuresInRow;
  private boolean running;
  private boolean stopping;
  private long healthTimer = -1;
  private long restartTimer = -1;
  private long startingTimer = -1;
  private Path logFile;
  private String healthPath;
  private String identityPath;
  private String metricsPath;
  private EngineContainer container;

  EngineProcess(Host host, ModelInstance instance, JsonObject model) {
    this(host, instance, model, -1);
  }

  EngineProcess(Host host, ModelInstance instance, JsonObject model, int rank) {
    this.host = host;
    this.rank = rank;
    this.id = instance.id();
    this.key = rank > 0 ? id + "#" + rank : id;
    this.reports = new InstanceReports(host, instance, rank);
    this.instance = instance;
    this.model = model;
    this.restarts = instance.restartCount();
  }

  String id() {
    return id;
  }

  /** The generation of the replica this process was started for (0 for a replica on one node). */
  int generation() {
    return instance.generation();
  }

  String instanceName() {
    return instance.name();
  }

  /** Where its metrics are read while it runs: {@code 127.0.0.1:port/path}; null when it is not running or has none. */
  String metricsUri() {
    return running && metricsPath != null ? port + metricsPath : null;
  }

  JsonObject model() {
    return model;
  }

  String logFileName() {
    return logFile == null ? null : logFile.toString();
  }

  void start() {
    if (stopping || host.closing()) {
      return;
    }
    host.vertx().executeBlocking(this::launch, false).onComplete(ar -> {
      if (ar.failed()) {
        failed(ar.cause().getMessage());
      } else if (stopping) {
        ar.result().destroyForcibly();
      } else {
        watch(ar.result());
      }
    });
  }

  /**
   * Checks the model file, then starts the process with its output going to this run's log file and a
   * clean environment ({@link EngineEnvironment}).
   */
  private Process launch() throws IOException {
    ModelFiles.check(model);
    port = host.ports().acquire();
    rendezvousPort = rank == 0 ? host.ports().acquire() : 0;
    EngineCommand command = host.commandFor(instance, model, port, rank, rendezvousPort);
    healthPath = command.healthPath();
    identityPath = command.identityPath();
    metricsPath = command.metricsPath();
    container = command.container();
    if (container != null) {
      container.remove();  // a container of the same name left by a crash would block the name
    }
    logFile = host.logs().fileFor(instance.name(), restarts);
    ProcessBuilder builder = new ProcessBuilder(ParentWatch.wrap(command.argv())).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    if (command.directory() != null) {
      builder.directory(command.directory().toFile());
    }
    Map<String, String> env = builder.environment();
    Map<String, String> clean = EngineEnvironment.of(System.getenv(), command.env());
    env.clear();
    env.putAll(clean);
    try {
      Process started = builder.start();
      host.pids().record(key, started.toHandle());
      return started;
    } catch (IOException e) {
      throw new IOException("cannot start " + command.argv().get(0) + ": " + e.getMessage(), e);
    }
  }

  private void watch(Process started) {
    process = started;
    long pid = started.pid();
    LOG.info("engine started [instance: {}] [pid: {}] [port: {}] [log: {}]", instance.name(), pid, port, logFile);
    started.onExit().thenAccept(p -> host.vertx().runOnContext(v -> exited(p.exitValue())));
    reports.started(port, pid, rendezvousPort, restarts, healthPath);
    if (reports.probed()) {
      healthTimer = host.vertx().setPeriodic(HEALTH_POLL_MS, t -> probe());
    }
    if (!reports.part()) {
      long since = System.nanoTime();
      startingTimer = host.vertx().setPeriodic(STARTING_REPORT_MS, t -> reportStarting(started, since));
    }
  }

  /**
   * While the engine has not answered its health path yet: how long it has been starting and its last log line
   * (vLLM's and SGLang's loading progress, a download, the error it is about to die of), instead of the same
   * "waiting" for the minutes a large model takes.
   */
  private void reportStarting(Process started, long since) {
    if (running || stopping || process != started || !started.isAlive()) {
      host.vertx().cancelTimer(startingTimer);
      return;
    }
    Path log = logFile;
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - since);
    host.vertx().executeBlocking(() -> EngineLogFiles.lastLine(log, host.engineKey(id)), false).onSuccess(line -> {
      if (!running && !stopping && process == started) {
        reports.stillStarting(started.pid(), healthPath, seconds, line);
      }
    });
  }

  private void probe() {
    if (probing) {
      return;
    }
    probing = true;
    Future<Boolean> check = get(healthPath).compose(healthy -> healthy && !running && identityPath != null
        ? get(identityPath) : Future.succeededFuture(healthy));
    check.onComplete(ar -> {
          probing = false;
          boolean healthy = ar.succeeded() && ar.result() && process.isAlive();
          long now = System.currentTimeMillis();
          if (healthy) {
            unhealthySince = -1;
            if (!running) {
              running = true;
              failuresInRow = 0;
              host.vertx().cancelTimer(startingTimer);
              reports.ready();
            }
          } else if (running && unhealthySince < 0) {
            unhealthySince = now;
          } else if (running && now - unhealthySince >= UNHEALTHY_AFTER_MS) {
            LOG.warn("engine stopped answering its health check, restarting [instance: {}]", instance.name());
            running = false;
            process.destroyForcibly();
          }
        });
  }

  /** Whether the engine answers 200 on a path, sent with the engine key. */
  private Future<Boolean> get(String path) {
    RequestOptions options = new RequestOptions().setMethod(HttpMethod.GET).setPort(port)
        .setHost(Backends.ENGINE_HOST).setURI(path).setTimeout(PROBE_TIMEOUT_MS);
    return host.http().request(options)
        .compose(req -> req.putHeader("Authorization", "Bearer " + host.engineKey(id)).send())
        .map(response -> response.statusCode() == 200)
        .otherwise(false);
  }

  private void exited(int code) {
    host.vertx().cancelTimer(healthTimer);
    host.vertx().cancelTimer(startingTimer);
    closeQuietly(process);
    releasePorts();
    host.pids().forget(key);
    running = false;
    if (stopping) {
      return;
    }
    String problem = EngineLogFiles.lastProblem(logFile, host.engineKey(id));
    if (reports.part()) {
      String message = reports.lost(code);
      LOG.warn("replica part exited [instance: {}] [message: {}] [reason: {}]", instance.name(), message, problem);
      return;
    }
    restarts++;
    long backoff = nextBackoff();
    LOG.warn("engine exited [instance: {}] [code: {}] [restart in ms: {}] [reason: {}]", instance.name(),
        code, backoff, problem);
    int count = restarts;
    String message = "engine exited with code " + code + ": " + problem + " (restart " + count + " in "
        + backoff / 1000 + " s)";
    host.updateInstance(id, i -> i.failed(count, message));
    restartTimer = host.vertx().setTimer(backoff, t -> start());
  }

  private void releasePorts() {
    if (port > 0) {
      host.ports().release(port);
    }
    if (rendezvousPort > 0) {
      host.ports().release(rendezvousPort);
      rendezvousPort = 0;
    }
  }

  private void failed(String message) {
    releasePorts();
    restarts++;
    long backoff = nextBackoff();
    int count = restarts;
    String shown = message + " (retry in " + backoff / 1000 + " s)";
    reports.failed(count, shown);
    restartTimer = host.vertx().setTimer(backoff, t -> start());
  }

  /** Closing the wrapper's stdin lets its watcher end (it would also stop the engine if one were left). */
  private static void closeQuietly(Process p) {
    try {
      p.getOutputStream().close();
    } catch (IOException ignored) {
      // the pipe is already gone
    }
  }

  /** 1 s, 2 s, 4 s ... up to a minute while the engine keeps failing; back to 1 s once it has run. */
  private long nextBackoff() {
    failuresInRow++;
    return Math.min(MAX_BACKOFF_MS, 1000L << Math.min(failuresInRow - 1, 16));
  }

  /** Stops for good: SIGTERM, then SIGKILL after the grace period. Safe to call more than once. */
  Future<Void> stop() {
    stopping = true;
    host.vertx().cancelTimer(healthTimer);
    host.vertx().cancelTimer(startingTimer);
    host.vertx().cancelTimer(restartTimer);
    Process p = process;
    EngineContainer box = container;
    if ((p == null || !p.isAlive()) && box == null) {
      return Future.succeededFuture();
    }
    return host.vertx().executeBlocking(() -> {
      if (box != null) {
        box.stop();
      }
      if (p != null && p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        if (!p.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
          p.descendants().forEach(ProcessHandle::destroyForcibly);
          p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
      }
      if (box != null) {
        box.remove();
        java.nio.file.Files.deleteIfExists(box.envFile());
      }
      return null;
    }, false).onComplete(ar -> {
      releasePorts();
      host.pids().forget(key);
      LOG.info("engine stopped [instance: {}]", instance.name());
    }).mapEmpty();
  }
}
