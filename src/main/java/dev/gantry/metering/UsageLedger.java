package dev.gantry.metering;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets usage records into the database at least once without ever blocking an event loop: batches of
 * at most {@link #BATCH} records (sent when full or on each {@link #tick}), a few batches in flight, a
 * failed batch kept and retried with exponential backoff, records beyond {@code maxInMemory} spooled to
 * disk and replayed once the database answers again. Single-threaded: use it from one event loop.
 */
final class UsageLedger {

  static final int BATCH = 500;
  static final int MAX_IN_FLIGHT = 4;
  static final long FIRST_BACKOFF_MS = 250;
  static final long MAX_BACKOFF_MS = 10_000;
  private static final Logger LOG = LoggerFactory.getLogger(UsageLedger.class);

  private final Vertx vertx;
  private final Function<List<JsonObject>, Future<Integer>> sink;
  private final UsageSpool spool;
  private final int maxInMemory;
  private final ArrayDeque<JsonObject> pending = new ArrayDeque<>();
  private int inFlight;
  private int failures;
  private long retryTimer = -1;
  private boolean replaying;
  private boolean draining;
  private Promise<Void> drained;

  UsageLedger(Vertx vertx, Function<List<JsonObject>, Future<Integer>> sink, Path spoolDir, int maxInMemory) {
    this.vertx = vertx;
    this.sink = sink;
    this.spool = new UsageSpool(spoolDir);
    this.maxInMemory = maxInMemory;
  }

  void add(JsonObject record) {
    pending.add(record);
    if (pending.size() >= BATCH) {
      flush(true);
    }
    if (pending.size() > maxInMemory) {
      spill(takeAll());
    }
  }

  /** Sends what is pending, and replays the spool when the database is answering and nothing else is queued. */
  void tick() {
    flush(false);
    if (retryTimer < 0 && inFlight == 0 && pending.isEmpty() && !replaying && !draining) {
      replayOldest();
    }
  }

  int pending() {
    return pending.size();
  }

  /** Sends everything one last time; what the database does not take is spooled. */
  Future<Void> drain() {
    draining = true;
    drained = Promise.promise();
    vertx.cancelTimer(retryTimer);
    retryTimer = -1;
    flush(false);
    if (!pending.isEmpty()) {
      spill(takeAll());
    }
    settleDrain();
    return drained.future();
  }

  private void flush(boolean fullBatchesOnly) {
    while (retryTimer < 0 && inFlight < MAX_IN_FLIGHT && !pending.isEmpty()
        && (!fullBatchesOnly || pending.size() >= BATCH)) {
      List<JsonObject> batch = new ArrayList<>(Math.min(BATCH, pending.size()));
      while (batch.size() < BATCH && !pending.isEmpty()) {
        batch.add(pending.poll());
      }
      send(batch);
    }
  }

  private void send(List<JsonObject> batch) {
    inFlight++;
    sink.apply(batch).onComplete(result -> {
      inFlight--;
      if (result.succeeded()) {
        if (failures > 0) {
          LOG.info("usage records reach the database again [after failures: {}]", failures);
        }
        failures = 0;
      } else if (draining) {
        spill(batch);
      } else {
        pending.addAll(batch);
        backOff(result.cause());
      }
      settleDrain();
    });
  }

  private void backOff(Throwable cause) {
    failures++;
    if (retryTimer >= 0) {
      return;
    }
    long delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(failures - 1, 10));
    if (failures == 1 || delay == MAX_BACKOFF_MS) {
      LOG.warn("usage records cannot be written, retrying [in ms: {}] [pending: {}] [cause: {}]", delay,
          pending.size(), cause.getMessage());
    }
    retryTimer = vertx.setTimer(delay, t -> {
      retryTimer = -1;
      flush(false);
    });
  }

  private List<JsonObject> takeAll() {
    List<JsonObject> all = new ArrayList<>(pending);
    pending.clear();
    return all;
  }

  private void spill(List<JsonObject> records) {
    inFlight++;
    vertx.executeBlocking(() -> spool.write(records), false).onComplete(result -> {
      inFlight--;
      if (result.succeeded()) {
        LOG.warn("usage records spooled to disk until the database answers [records: {}] [file: {}]",
            records.size(), result.result());
      } else {
        LOG.error("cannot spool usage records to {}; keeping them in memory [records: {}] [cause: {}]",
            spool.dir(), records.size(), result.cause().getMessage());
        pending.addAll(records);
      }
      settleDrain();
    });
  }

  private void replayOldest() {
    replaying = true;
    vertx.executeBlocking(() -> {
      Optional<Path> file = spool.oldest();
      return file.isEmpty() ? null : new Spooled(file.get(), spool.read(file.get()));
    }, false)
        .compose(spooled -> spooled == null ? Future.succeededFuture() : insertAll(spooled.records(), 0)
            .compose(v -> vertx.executeBlocking(() -> {
              spool.delete(spooled.file());
              LOG.info("replayed spooled usage records [records: {}] [file: {}]", spooled.records().size(), spooled.file());
              return null;
            }, false)))
        .onComplete(result -> {
          replaying = false;
          if (result.failed()) {
            backOff(result.cause());
          }
        });
  }

  private Future<Void> insertAll(List<JsonObject> records, int from) {
    if (from >= records.size()) {
      return Future.succeededFuture();
    }
    int to = Math.min(records.size(), from + BATCH);
    return sink.apply(records.subList(from, to)).compose(n -> insertAll(records, to));
  }

  private void settleDrain() {
    if (draining && inFlight == 0 && drained != null) {
      if (!pending.isEmpty()) {
        spill(takeAll());
        return;
      }
      drained.tryComplete();
    }
  }

  private record Spooled(Path file, List<JsonObject> records) {
  }
}
