package dev.gantry.engine;

import dev.gantry.cluster.ModelInstance;
import dev.gantry.cluster.ReplicaParts;
import dev.gantry.hub.DownloadProgress;
import dev.gantry.hub.HubSnapshot;
import dev.gantry.hub.ModelCache;
import dev.gantry.model.HubResolver;
import dev.gantry.model.HubSources;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a hub model's files into this node's {@link ModelCache} before its engine starts. The instance
 * shows {@code downloading} with its progress (reported once a second by the cache); when the files are
 * there, {@link #ready} hands the supervisor the spec to launch, {@code local_path} pointing into the
 * cache. A failed download marks the instance {@code error} and is tried again after a back-off that
 * doubles up to a minute. Runs on the supervisor's event loop; the cache does the blocking work.
 *
 * <p>A part of a replica over several nodes ({@code rank} ≥ 0, keyed like its process: the instance id for
 * the leader, {@code id#rank} for a worker) downloads on its own node too, reporting through
 * {@link ReplicaParts}: the part's progress, the instance's sum over parts; a failure names the node; once
 * the files are here the part is marked {@code files_ready} (the leader starts when every part is).
 */
final class ModelDownloads {

  private static final Logger LOG = LoggerFactory.getLogger(ModelDownloads.class);
  static final long FIRST_RETRY_MS = 5_000;
  static final long MAX_RETRY_MS = 60_000;

  private final io.vertx.core.Context context;
  private final ModelCache cache;
  private final HubResolver tokens;
  private final Updater updater;
  private final String node;
  private final Map<String, Boolean> running = new HashMap<>();
  private final Map<String, Ready> done = new HashMap<>();
  private final Map<String, long[]> retry = new HashMap<>();
  private final Map<String, Future<?>> lastUpdate = new HashMap<>();

  /** Changes an instance record (compare-and-set) for part {@code rank} (-1: one node); completes once stored. */
  interface Updater {
    Future<?> update(String id, int rank, UnaryOperator<ModelInstance> change);
  }

  /** @param context the supervisor's context: every callback comes back to it */
  ModelDownloads(io.vertx.core.Context context, ModelCache cache, HubResolver tokens, Updater updater, String node) {
    this.context = context;
    this.cache = cache;
    this.tokens = tokens;
    this.updater = updater;
    this.node = node;
  }

  static boolean needed(JsonObject model) {
    return HubSources.isHub(model) && model.getJsonObject("resolved") != null;
  }

  /** The spec to launch once the files of {@code key} are here (taken: asked once); null while they are not. */
  JsonObject ready(String key) {
    Ready ready = done.remove(key);
    return ready == null ? null : ready.spec();
  }

  /**
   * Whether the files of {@code key} are here (its spec not taken yet) for this placement of the instance: a
   * replica placed again since (its restart count moved on) checks its files again, so that its part is marked
   * {@code files_ready} in the new placement too.
   */
  boolean holds(String key, ModelInstance instance) {
    Ready ready = done.get(key);
    if (ready != null && ready.restarts() != instance.restartCount()) {
      done.remove(key);
      return false;
    }
    return ready != null;
  }

  /** A launch spec whose files are here, for the placement (restart count) they were fetched for. */
  private record Ready(JsonObject spec, int restarts) {
  }

  /**
   * Starts getting the files of the process {@code key} (instance {@code instance}, part {@code rank}; -1 for a
   * replica on one node) unless that runs already or waits for its retry; {@code then} runs when it ends.
   */
  void start(String key, ModelInstance instance, int rank, JsonObject model, Runnable then) {
    String id = instance.id();
    long[] backoff = retry.get(key);
    if (running.containsKey(key) || backoff != null && System.currentTimeMillis() < backoff[0]) {
      return;
    }
    running.put(key, true);
    HubSnapshot snapshot = HubSnapshot.fromJson(model.getJsonObject("resolved"));
    String hub = snapshot.kind().title();
    String first = cache.holds(snapshot) ? "checking the cached files of " + snapshot.repo()
        : "downloading " + snapshot.repo() + " from " + hub;
    inOrder(key, id, rank, progressed(rank, new ModelInstance.Download(0, snapshot.totalBytes(), 0, null), first));
    Future.fromCompletionStage(cache.ensure(snapshot, tokens.openToken(model),
        progress -> context.runOnContext(v -> inOrder(key, id, rank, progressed(rank, toRecord(progress),
            progress.message() + " from " + hub)))), context)
        .onComplete(ar -> {
          Future<?> reported = lastUpdate.getOrDefault(key, Future.succeededFuture());
          lastUpdate.remove(key);
          if (ar.succeeded()) {
            retry.remove(key);
            reported.transform(x -> rank < 0 ? Future.succeededFuture()
                : updater.update(id, rank, i -> ReplicaParts.holdingFiles(i, rank, node)))
                .onComplete(x -> context.runOnContext(v -> {
                  running.remove(key);
                  done.put(key, new Ready(launchSpec(model, ar.result()), instance.restartCount()));
                  then.run();
                }));
            return;
          }
          long[] wait = retry.computeIfAbsent(key, k -> new long[] {0, FIRST_RETRY_MS / 2});
          wait[1] = Math.min(MAX_RETRY_MS, wait[1] * 2);
          wait[0] = System.currentTimeMillis() + wait[1];
          String why = ar.cause().getMessage();
          LOG.warn("model download failed [instance: {}, part: {}, repo: {}, cause: {}]", instance.name(), rank,
              snapshot.repo(), why);
          String message = "download failed" + (rank < 0 ? "" : " on " + node) + ": " + why + "; trying again in "
              + wait[1] / 1000 + " s";
          reported.onComplete(x -> context.runOnContext(v -> {
            running.remove(key);
            updater.update(id, rank, rank < 0 ? i -> i.failed(i.restartCount(), message)
                : i -> ReplicaParts.downloadFailed(i, rank, node, message));
            then.run();
          }));
        });
  }

  private UnaryOperator<ModelInstance> progressed(int rank, ModelInstance.Download progress, String message) {
    return rank < 0 ? i -> i.downloading(progress, message)
        : i -> ReplicaParts.downloading(i, rank, node, progress, message);
  }

  /** Applies progress reports one after the other (each waits for the previous one to be stored). */
  private void inOrder(String key, String id, int rank, UnaryOperator<ModelInstance> change) {
    lastUpdate.compute(key, (k, previous) -> (previous == null ? Future.succeededFuture() : previous)
        .transform(x -> updater.update(id, rank, change)));
  }

  /** Forgets processes (keys) no longer placed here (a running download goes on for the others that share it). */
  void retain(Set<String> keys) {
    done.keySet().retainAll(keys);
    retry.keySet().retainAll(keys);
  }

  private static JsonObject launchSpec(JsonObject model, Path path) {
    return model.copy().put("local_path", path.toString());
  }

  private static ModelInstance.Download toRecord(DownloadProgress p) {
    return new ModelInstance.Download(p.bytes(), p.total(), p.bytesPerSecond(), p.etaSeconds());
  }
}
