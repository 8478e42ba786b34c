package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves usage records from the {@link UsageJournal} into PostgreSQL: reads batches of up to
 * {@code batchSize} records from the segments in the order they were opened, several lanes' open segments
 * in one batch (from the journal's memory of what it just appended while the
 * shipper keeps up, else from the segment files), keeps up to {@link #MAX_IN_FLIGHT} idempotent inserts in
 * flight, retries a failed batch with backoff (reading nothing new meanwhile, so memory stays at most
 * {@code MAX_IN_FLIGHT × batchSize} records whatever the backlog), and deletes a closed segment once every
 * record read from it is committed. It keeps no checkpoint: a restarted node ships its predecessor's
 * segments from the start and the insert drops what PostgreSQL already has. Single-threaded: use it
 * from one event loop.
 */
final class UsageShipper {

  static final int BATCH = 4_000;
  static final int MAX_IN_FLIGHT = 4;
  static final long FIRST_BACKOFF_MS = 250;
  static final long MAX_BACKOFF_MS = 10_000;
  static final long SEGMENT_MAX_AGE_NANOS = 30_000_000_000L;
  private static final Logger LOG = LoggerFactory.getLogger(UsageShipper.class);

  private final Vertx vertx;
  private final UsageJournal journal;
  private final Function<List<UsageRecord>, Future<Integer>> sink;
  private final int batchSize;
  private final Map<Path, Cursor> cursors = new TreeMap<>();
  private final ArrayDeque<Batch> retry = new ArrayDeque<>();
  private final Set<Batch> held = ConcurrentHashMap.newKeySet();
  final LongAdder shipped = new LongAdder();
  final LongAdder failedBatches = new LongAdder();
  final LongAdder skipped = new LongAdder();
  private int inFlight;
  private boolean reading;
  /** The last read found no more than was already written: wait for the next {@link #tick} to read again. */
  private boolean caughtUp;
  private boolean stopped;
  private long retryTimer = -1;
  private int failures;

  UsageShipper(Vertx vertx, UsageJournal journal, Function<List<UsageRecord>, Future<Integer>> sink, int batchSize) {
    this.vertx = vertx;
    this.journal = journal;
    this.sink = sink;
    this.batchSize = batchSize;
  }

  /** Closes an old segment, resends what failed once the backoff is over, and reads more while there is room. */
  void pump() {
    if (stopped) {
      return;
    }
    while (retryTimer < 0 && inFlight < MAX_IN_FLIGHT && !retry.isEmpty()) {
      send(retry.poll());
    }
    if (retryTimer < 0 && retry.isEmpty() && inFlight < MAX_IN_FLIGHT && !reading && !caughtUp) {
      readNext();
    }
  }

  /**
   * Reads again even when the last read had caught up with the journal: what the gateway appended since
   * then goes out as one batch per tick, rather than a statement of a few records after every insert (which
   * cost PostgreSQL as much CPU as the gateway itself under load).
   */
  void tick() {
    journal.rotateIfOlderThan(SEGMENT_MAX_AGE_NANOS);
    caughtUp = false;
    pump();
  }

  void stop() {
    stopped = true;
    vertx.cancelTimer(retryTimer);
  }

  /** Records in the journal that PostgreSQL has not confirmed yet (including those of an earlier run). */
  long pendingRecords() {
    return Math.max(0, journal.recovered() + journal.appended.sum() - shipped.sum() - skipped.sum());
  }

  /** Age of the oldest record read from the journal and not yet confirmed, 0 when none waits. */
  double oldestSeconds() {
    Instant oldest = null;
    for (Batch batch : held) {
      if (oldest == null || batch.oldest().isBefore(oldest)) {
        oldest = batch.oldest();
      }
    }
    return oldest == null ? 0 : Math.max(0, (System.currentTimeMillis() - oldest.toEpochMilli()) / 1000.0);
  }

  private void readNext() {
    reading = true;
    Set<Path> finished = new HashSet<>();
    Map<Path, Long> offsets = new HashMap<>();
    cursors.forEach((path, cursor) -> {
      if (cursor.finished) {
        finished.add(path);
      } else {
        offsets.put(path, cursor.offset);
      }
    });
    vertx.executeBlocking(() -> {
      // List first, then ask which are open: a segment opened after the question would pass for closed, and
      // a closed segment's torn last line is skipped, so one still being written must never look closed.
      List<Path> segments = journal.segments();
      Set<Long> open = journal.openSequences();
      List<Read> reads = new ArrayList<>();
      int room = batchSize;
      for (Path segment : segments) {
        if (room == 0) {
          break;
        }
        if (finished.contains(segment)) {
          continue;
        }
        long sequence = UsageJournal.sequence(segment);
        long offset = offsets.getOrDefault(segment, 0L);
        JournalReader.Chunk chunk = journal.tail(sequence, offset, room);
        if (chunk == null) {
          chunk = JournalReader.read(segment, offset, room, !open.contains(sequence));
        }
        if (!chunk.records().isEmpty() || chunk.finished() || chunk.skipped() > 0) {
          reads.add(new Read(segment, chunk));
          room -= chunk.records().size();
        }
      }
      return reads;
    }).onComplete(result -> {
      reading = false;
      if (result.failed()) {
        LOG.warn("cannot read the usage journal [dir: {}] [cause: {}]", journal.dir(), result.cause().getMessage());
        return;
      }
      List<Read> reads = result.result();
      int records = reads.stream().mapToInt(read -> read.chunk().records().size()).sum();
      caughtUp = records < batchSize;
      take(reads);
      if (!reads.isEmpty()) {
        pump();
      }
    });
  }

  /** Moves the cursors past what was read and sends the records of every segment read as one batch. */
  private void take(List<Read> reads) {
    List<UsageRecord> records = new ArrayList<>();
    List<Path> segments = new ArrayList<>();
    for (Read read : reads) {
      Cursor cursor = cursors.computeIfAbsent(read.segment(), s -> new Cursor());
      JournalReader.Chunk chunk = read.chunk();
      cursor.offset = chunk.nextOffset();
      cursor.finished = chunk.finished();
      if (chunk.skipped() > 0) {
        skipped.add(chunk.skipped());
        LOG.warn("skipped unreadable usage journal lines (a write cut short by a crash, or damage) [lines: {}] [segment: {}]",
            chunk.skipped(), read.segment());
      }
      if (!chunk.records().isEmpty()) {
        cursor.outstanding++;
        segments.add(read.segment());
        records.addAll(chunk.records());
      }
    }
    if (!records.isEmpty()) {
      send(new Batch(segments, records, oldest(records)));
    }
    reads.forEach(read -> deleteIfShipped(read.segment(), cursors.get(read.segment())));
  }

  private static Instant oldest(List<UsageRecord> records) {
    Instant oldest = records.get(0).createdAt();
    for (UsageRecord record : records) {
      if (record.createdAt().isBefore(oldest)) {
        oldest = record.createdAt();
      }
    }
    return oldest;
  }

  private void send(Batch batch) {
    inFlight++;
    held.add(batch);
    sink.apply(batch.records()).onComplete(result -> {
      inFlight--;
      if (result.succeeded()) {
        held.remove(batch);
        shipped.add(batch.records().size());
        if (failures > 0) {
          LOG.info("usage records reach the database again [after failures: {}]", failures);
          failures = 0;
        }
        for (Path segment : batch.segments()) {
          Cursor cursor = cursors.get(segment);
          cursor.outstanding--;
          deleteIfShipped(segment, cursor);
        }
      } else {
        failedBatches.increment();
        retry.add(batch);
        backOff(result.cause());
      }
      pump();
    });
  }

  private void deleteIfShipped(Path segment, Cursor cursor) {
    if (!cursor.finished || cursor.outstanding > 0 || cursor.deleting) {
      return;
    }
    cursor.deleting = true;
    vertx.executeBlocking(() -> {
      long bytes = Files.size(segment);
      Files.delete(segment);
      journal.deleted(segment, bytes);
      return bytes;
    }).onComplete(result -> {
      cursors.remove(segment);
      if (result.failed()) {
        LOG.warn("cannot delete a shipped usage journal segment [segment: {}] [cause: {}]", segment,
            result.cause().getMessage());
      }
    });
  }

  /** Waits before the next attempt; the batches in flight failing together count as one failure. */
  private void backOff(Throwable cause) {
    if (retryTimer >= 0) {
      return;
    }
    failures++;
    long delay = Math.min(MAX_BACKOFF_MS, FIRST_BACKOFF_MS << Math.min(failures - 1, 10));
    if (failures == 1 || delay == MAX_BACKOFF_MS) {
      LOG.warn("usage records cannot be written to the database, they wait in the journal [retry in ms: {}] "
          + "[pending: {}] [cause: {}]", delay, pendingRecords(), cause.getMessage());
    }
    retryTimer = vertx.setTimer(delay, t -> {
      retryTimer = -1;
      pump();
    });
  }

  private static final class Cursor {
    long offset;
    boolean finished;
    boolean deleting;
    int outstanding;
  }

  private record Read(Path segment, JournalReader.Chunk chunk) {
  }

  /** Records read from one or more segments, sent together; identity matters (two batches are never the same). */
  private static final class Batch {
    private final List<Path> segments;
    private final List<UsageRecord> records;
    private final Instant oldest;

    Batch(List<Path> segments, List<UsageRecord> records, Instant oldest) {
      this.segments = segments;
      this.records = records;
      this.oldest = oldest;
    }

    List<Path> segments() {
      return segments;
    }

    List<UsageRecord> records() {
      return records;
    }

    Instant oldest() {
      return oldest;
    }
  }
}
