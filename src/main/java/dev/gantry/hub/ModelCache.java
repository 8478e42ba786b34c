package dev.gantry.hub;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * This node's model cache ({@link CacheLayout}). {@link #ensure} makes every file of a snapshot present
 * and intact, downloading the missing ones in parallel: one download per file however many replicas or
 * models want it (later callers join the running one), a free-disk check before anything starts, a
 * cached file whose size or sha256 no longer matches deleted and fetched again. Progress is reported
 * every {@code progressEvery}, in order, never going backwards, and once more at the end. Downloads run on
 * the cache's own daemon threads (they are long and blocking); {@link #close} stops them, keeping parts.
 */
public final class ModelCache implements AutoCloseable {

  /** Space kept free beyond what the files need. */
  static final long DISK_MARGIN = 64L << 20;

  private final CacheLayout layout;
  private final HubHttp http;
  private final RetryPolicy retry;
  private final Duration progressEvery;
  private final LongSupplier usableSpace;
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("gantry-download"));
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("gantry-download-progress"));
  private final Map<Path, FileTask> inflight = new ConcurrentHashMap<>();
  private volatile boolean closed;

  public ModelCache(Path root, HubHttp http, RetryPolicy retry, Duration progressEvery, LongSupplier usableSpace) {
    this.layout = new CacheLayout(root);
    this.http = http;
    this.retry = retry;
    this.progressEvery = progressEvery;
    this.usableSpace = usableSpace != null ? usableSpace : () -> freeSpace(root);
  }

  /** A node's cache under {@code <data-dir>/model-cache}, reporting progress once a second. */
  public static ModelCache onNode(Path dataDir) {
    return new ModelCache(dataDir.resolve("model-cache"), new HubHttp(), RetryPolicy.defaults(), Duration.ofSeconds(1), null);
  }

  public CacheLayout layout() {
    return layout;
  }

  /** Whether every file of the snapshot is already here (no hub needed to start it). */
  public boolean holds(HubSnapshot snapshot) {
    return snapshot.files().stream().allMatch(f -> Files.isRegularFile(layout.file(snapshot, f)));
  }

  /** Makes the snapshot's files present and intact; completes with the path the engine is given. */
  public CompletableFuture<Path> ensure(HubSnapshot snapshot, String token, Consumer<DownloadProgress> progress) {
    return CompletableFuture.supplyAsync(() -> {
      checkDisk(snapshot);
      return snapshot.files().stream().map(file -> task(snapshot, file, token)).toList();
    }, workers).thenCompose(tasks -> report(snapshot, tasks, progress)).thenApply(v -> layout.enginePath(snapshot));
  }

  private FileTask task(HubSnapshot snapshot, HubFile file, String token) {
    Path target = layout.file(snapshot, file);
    FileTask[] created = new FileTask[1];
    FileTask task = inflight.computeIfAbsent(target, t -> created[0] = new FileTask());
    if (created[0] == task) {
      // started outside computeIfAbsent: a fetch that ends at once removes the entry from its own thread
      CompletableFuture.runAsync(() -> fetch(snapshot, file, token, target, task), workers)
          .whenComplete((v, e) -> {
            inflight.remove(target, task);
            if (e == null) {
              task.done.complete(null);
            } else {
              task.done.completeExceptionally(e instanceof CompletionException c ? c.getCause() : e);
            }
          });
    }
    return task;
  }

  private void fetch(HubSnapshot snapshot, HubFile file, String token, Path target, FileTask task) {
    try {
      if (CachedFiles.intact(layout, target, file)) {
        task.bytes.set(file.size());
        return;
      }
      ModelHub hub = ModelHub.of(snapshot.kind(), http);
      new FileDownload(http, retry, () -> closed).fetch(hub.fileUrl(snapshot, file), token, file, target,
          task.bytes::set);
      CachedFiles.markVerified(layout, target, file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private CompletableFuture<Void> report(HubSnapshot snapshot, List<FileTask> tasks, Consumer<DownloadProgress> sink) {
    ProgressMeter meter = new ProgressMeter(snapshot.totalBytes(), sink);
    var tick = ticker.scheduleAtFixedRate(() -> meter.report(sum(tasks), System.nanoTime()), 0,
        progressEvery.toMillis(), TimeUnit.MILLISECONDS);
    CompletableFuture<Void> all = CompletableFuture.allOf(tasks.stream().map(t -> t.done).toArray(CompletableFuture[]::new));
    CompletableFuture<Void> reported = new CompletableFuture<>();
    all.whenComplete((v, e) -> {
      tick.cancel(false);
      Runnable last = () -> {
        if (e == null) {
          meter.report(sum(tasks), System.nanoTime());
          reported.complete(null);
        } else {
          reported.completeExceptionally(e instanceof CompletionException c ? c.getCause() : e);
        }
      };
      try {
        ticker.execute(last);
      } catch (java.util.concurrent.RejectedExecutionException closing) {
        reported.completeExceptionally(new java.io.InterruptedIOException("download stopped: the node is shutting down"));
      }
    });
    return reported;
  }

  private static long sum(List<FileTask> tasks) {
    return tasks.stream().mapToLong(t -> t.bytes.get()).sum();
  }

  private void checkDisk(HubSnapshot snapshot) {
    long needed = 0;
    for (HubFile file : snapshot.files()) {
      Path target = layout.file(snapshot, file);
      Path part = target.resolveSibling(target.getFileName() + CacheLayout.PART);
      if (!Files.exists(target)) {
        needed += Math.max(0, file.size() - (Files.exists(part) ? part.toFile().length() : 0));
      }
    }
    long free = usableSpace.getAsLong();
    if (needed > 0 && free < needed + DISK_MARGIN) {
      throw new UncheckedIOException(new HubException(507, false, "not enough disk for " + snapshot.repo() + ": it needs "
          + DownloadProgress.size(needed + DISK_MARGIN) + " free in " + layout.root() + ", there are "
          + DownloadProgress.size(free) + "; free space or delete unused files (DELETE /v2/model-files/{id})"));
    }
  }

  /** Every file in the cache, complete or partial. */
  public List<JsonObject> list() throws IOException {
    return CachedFiles.list(layout);
  }

  /** Deletes one cached file (and its part and verification mark) by its path relative to the cache root. */
  public boolean delete(String relativePath) throws IOException {
    return CachedFiles.delete(layout, relativePath);
  }

  /** Whether a download of the file (relative to the root) runs now. */
  public boolean downloading(String relativePath) {
    return inflight.containsKey(layout.inside(layout.root().resolve(relativePath)));
  }

  @Override
  public void close() {
    closed = true;
    workers.shutdownNow();
    ticker.shutdownNow();
    try {
      workers.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static long freeSpace(Path root) {
    try {
      Files.createDirectories(root);
      return Files.getFileStore(root).getUsableSpace();
    } catch (IOException e) {
      return Long.MAX_VALUE;
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread thread = new Thread(r, name);
      thread.setDaemon(true);
      return thread;
    };
  }

  /** One file's download, shared by everyone who wants it. */
  private static final class FileTask {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final AtomicLong bytes = new AtomicLong();
  }
}
