package dev.gantry.engine;

import dev.gantry.cluster.ModelInstance;
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
 */
final class ModelDownloads {

  private static final Logger LOG = LoggerFactory.getLogger(ModelDownloads.class);
  static final long FIRST_RETRY_MS = 5_000;
  static final long MAX_RETRY_MS = 60_000;

  private final io.vertx.core.Context context;
  private final ModelCache cache;
  private final HubResolver tokens;
  private final Updater updater;
  private final Map<String, Boolean> running = new HashMap<>();
  private final Map<String, JsonObject> done = new HashMap<>();
  private final Map<String, long[]> retry = new HashMap<>();
  private final Map<String, Future<?>> lastUpdate = new HashMap<>();

  /** Changes an instance record (compare-and-set); the future completes once it is stored. */
  interface Updater {
    Future<?> update(String id, UnaryOperator<ModelInstance> change);
  }

  /** @param context the supervisor's context: every callback comes back to it */
  ModelDownloads(io.vertx.core.Context context, ModelCache cache, HubResolver tokens, Updater updater) {
    this.context = context;
    this.cache = cache;
    this.tokens = tokens;
    this.updater = updater;
  }

  static boolean needed(JsonObject model) {
    return HubSources.isHub(model) && model.getJsonObject("resolved") != null;
  }

  /** The spec to launch once the instance's files are here (taken: asked once); null while they are not. */
  JsonObject ready(String instanceId) {
    return done.remove(instanceId);
  }

  /** Starts getting the files unless that runs already or waits for its retry; {@code then} runs when it ends. */
  void start(ModelInstance instance, JsonObject model, Runnable then) {
    String id = instance.id();
    long[] backoff = retry.get(id);
    if (running.containsKey(id) || backoff != null && System.currentTimeMillis() < backoff[0]) {
      return;
    }
    running.put(id, true);
    HubSnapshot snapshot = HubSnapshot.fromJson(model.getJsonObject("resolved"));
    String hub = snapshot.kind().title();
    String first = cache.holds(snapshot) ? "checking the cached files of " + snapshot.repo()
        : "downloading " + snapshot.repo() + " from " + hub;
    inOrder(id, i -> i.downloading(new ModelInstance.Download(0, snapshot.totalBytes(), 0, null), first));
    Future.fromCompletionStage(cache.ensure(snapshot, tokens.openToken(model),
        progress -> context.runOnContext(v -> inOrder(id, i -> i.downloading(toRecord(progress),
            progress.message() + " from " + hub)))), context)
        .onComplete(ar -> {
          Future<?> reported = lastUpdate.getOrDefault(id, Future.succeededFuture());
          lastUpdate.remove(id);
          if (ar.succeeded()) {
            retry.remove(id);
            reported.onComplete(x -> context.runOnContext(v -> {
              running.remove(id);
              done.put(id, launchSpec(model, ar.result()));
              then.run();
            }));
            return;
          }
          long[] wait = retry.computeIfAbsent(id, k -> new long[] {0, FIRST_RETRY_MS / 2});
          wait[1] = Math.min(MAX_RETRY_MS, wait[1] * 2);
          wait[0] = System.currentTimeMillis() + wait[1];
          String why = ar.cause().getMessage();
          LOG.warn("model download failed [instance: {}, repo: {}, cause: {}]", instance.name(), snapshot.repo(), why);
          reported.onComplete(x -> context.runOnContext(v -> {
            running.remove(id);
            updater.update(id, i -> i.failed(i.restartCount(), "download failed: " + why + "; trying again in "
                + wait[1] / 1000 + " s"));
            then.run();
          }));
        });
  }

  /** Applies progress reports one after the other (each waits for the previous one to be stored). */
  private void inOrder(String id, UnaryOperator<ModelInstance> change) {
    lastUpdate.compute(id, (k, previous) -> (previous == null ? Future.succeededFuture() : previous)
        .transform(x -> updater.update(id, change)));
  }

  /** Forgets instances that are no longer placed here (a running download goes on for the others that share it). */
  void retain(Set<String> ids) {
    done.keySet().retainAll(ids);
    retry.keySet().retainAll(ids);
  }

  private static JsonObject launchSpec(JsonObject model, Path path) {
    return model.copy().put("local_path", path.toString());
  }

  private static ModelInstance.Download toRecord(DownloadProgress p) {
    return new ModelInstance.Download(p.bytes(), p.total(), p.bytesPerSecond(), p.etaSeconds());
  }
}
