package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import dev.gantry.common.UsageSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's usage records on local disk, appended before each answer's last bytes go out: one
 * {@code write} per record into {@code <dir>/segment-<n>.log} (the page cache survives a {@code kill -9}
 * of the JVM, so no fsync), framed by {@link JournalFrame}. A segment is closed past
 * {@link #SEGMENT_BYTES} or when {@link #rotateIfOlderThan} finds it old; a new process always starts a
 * new segment, so the ones it finds are closed and whole but for a torn last line. The
 * {@link UsageShipper} deletes a closed segment once PostgreSQL has all its records.
 *
 * <p>The records last appended also stay in memory (up to {@link #TAIL_RECORDS}, with where their lines lie),
 * so that the shipper, which follows the active segment closely, takes them from there ({@link #tail})
 * instead of reading back and parsing the lines just written; the file stays what counts.
 *
 * <p>Disk use is capped at {@code maxBytes}: past it, records are dropped (counted, logged) rather than
 * held in memory or made to stop inference. Thread-safe: every event loop appends to it.
 */
public final class UsageJournal implements UsageSink, AutoCloseable {

  static final long SEGMENT_BYTES = 16L << 20;
  public static final long DEFAULT_MAX_BYTES = 2L << 30;
  static final int TAIL_RECORDS = 8_192;
  private static final Logger LOG = LoggerFactory.getLogger(UsageJournal.class);
  private static final String PREFIX = "segment-";
  private static final String SUFFIX = ".log";

  private final Path dir;
  private final long maxBytes;
  private final long segmentBytes;
  private final long recovered;
  final LongAdder appended = new LongAdder();
  final LongAdder dropped = new LongAdder();
  private long nextSequence;
  private long diskBytes;
  private FileChannel active;
  private long activeSequence = -1;
  private long activeBytes;
  private long activeOpenedNanos;
  private boolean full;
  private boolean failing;
  private final ArrayDeque<Appended> tail = new ArrayDeque<>();

  private UsageJournal(Path dir, long maxBytes, long segmentBytes, long nextSequence, long diskBytes, long recovered) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.nextSequence = nextSequence;
    this.diskBytes = diskBytes;
    this.recovered = recovered;
  }

  /** Opens the journal in {@code dir}, counting the records a previous process left there (blocks). */
  public static UsageJournal open(Path dir, long maxBytes) {
    return open(dir, maxBytes, SEGMENT_BYTES);
  }

  static UsageJournal open(Path dir, long maxBytes, long segmentBytes) {
    long next = 0;
    long bytes = 0;
    long lines = 0;
    try {
      Files.createDirectories(dir);
      for (Path segment : segments(dir)) {
        next = Math.max(next, sequence(segment) + 1);
        bytes += Files.size(segment);
        lines += countLines(segment);
      }
    } catch (IOException | UncheckedIOException e) {
      throw new IllegalStateException("cannot open the usage journal in " + dir + " (" + e.getMessage()
          + "); the data directory must be writable by this process", e);
    }
    if (lines > 0) {
      LOG.info("usage journal holds records of an earlier run to ship [records: {}] [dir: {}]", lines, dir);
    }
    return new UsageJournal(dir, maxBytes, segmentBytes, next, bytes, lines);
  }

  @Override
  public void record(UsageRecord record) {
    append(JournalFrame.encode(record), record);
  }

  /** Appends one framed line with a single write; a line the cap or the disk refuses is counted as dropped. */
  synchronized void append(byte[] line) {
    append(line, null);
  }

  private synchronized void append(byte[] line, UsageRecord record) {
    if (diskBytes + line.length > maxBytes) {
      dropped.increment();
      if (!full) {
        full = true;
        LOG.error("usage journal is full, dropping usage records until PostgreSQL takes the backlog "
            + "[max bytes: {}] [dir: {}]", maxBytes, dir);
      }
      return;
    }
    try {
      if (active == null || activeBytes + line.length > segmentBytes) {
        rotate();
      }
      ByteBuffer buffer = ByteBuffer.wrap(line);
      while (buffer.hasRemaining()) {
        active.write(buffer);
      }
      if (record != null) {
        tail.addLast(new Appended(activeSequence, activeBytes, activeBytes + line.length, record));
        if (tail.size() > TAIL_RECORDS) {
          tail.pollFirst();
        }
      }
      activeBytes += line.length;
      diskBytes += line.length;
      appended.increment();
      if (failing) {
        failing = false;
        LOG.info("usage journal writes again [dir: {}]", dir);
      }
    } catch (IOException e) {
      dropped.increment();
      closeActive();
      if (!failing) {
        failing = true;
        LOG.error("cannot write the usage journal, dropping usage records [dir: {}] [cause: {}]", dir, e.getMessage());
      }
    }
  }

  /**
   * The records whose lines start at {@code offset} of segment {@code sequence}, up to {@code max}, as
   * {@link JournalReader#read} would find them there, when they are still in memory; null when they are not
   * (the reader must read the file). Forgets what lies before that point: the shipper reads in order.
   */
  synchronized JournalReader.Chunk tail(long sequence, long offset, int max) {
    Appended first;
    while ((first = tail.peekFirst()) != null
        && (first.sequence() < sequence || first.sequence() == sequence && first.start() < offset)) {
      tail.pollFirst();
    }
    if (first == null || first.sequence() != sequence || first.start() != offset) {
      return null;
    }
    List<UsageRecord> records = new ArrayList<>(Math.min(max, tail.size()));
    long next = offset;
    for (Appended appended : tail) {
      if (records.size() == max || appended.sequence() != sequence) {
        break;
      }
      records.add(appended.record());
      next = appended.end();
    }
    return new JournalReader.Chunk(records, next, 0, false);
  }

  /** Closes the current segment when it was opened more than {@code nanos} ago, so the shipper may delete it. */
  synchronized void rotateIfOlderThan(long nanos) {
    if (active != null && System.nanoTime() - activeOpenedNanos > nanos) {
      closeActive();
    }
  }

  /** The sequence number of the segment being written, or -1 when none is open. */
  synchronized long activeSequence() {
    return active == null ? -1 : activeSequence;
  }

  /** A segment the shipper emptied into PostgreSQL is gone; its bytes leave the disk budget. */
  synchronized void deleted(Path segment, long bytes) {
    diskBytes -= bytes;
    if (full && diskBytes < maxBytes / 2) {
      full = false;
      LOG.info("usage journal has room again [bytes: {}]", diskBytes);
    }
  }

  synchronized long diskBytes() {
    return diskBytes;
  }

  long recovered() {
    return recovered;
  }

  Path dir() {
    return dir;
  }

  /** The segments on disk, oldest first (blocks). */
  List<Path> segments() throws IOException {
    return segments(dir);
  }

  static long sequence(Path segment) {
    String name = segment.getFileName().toString();
    return Long.parseLong(name.substring(PREFIX.length(), name.length() - SUFFIX.length()));
  }

  @Override
  public synchronized void close() {
    closeActive();
  }

  /** A record in memory and the bytes {@code [start, end)} its line takes in segment {@code sequence}. */
  private record Appended(long sequence, long start, long end, UsageRecord record) {
  }

  private void rotate() throws IOException {
    closeActive();
    activeSequence = nextSequence++;
    Path segment = dir.resolve(String.format("%s%020d%s", PREFIX, activeSequence, SUFFIX));
    active = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    activeBytes = 0;
    activeOpenedNanos = System.nanoTime();
  }

  private void closeActive() {
    if (active != null) {
      try {
        active.close();
      } catch (IOException e) {
        LOG.warn("cannot close a usage journal segment [cause: {}]", e.getMessage());
      }
      active = null;
    }
  }

  private static List<Path> segments(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(UsageJournal::isSegment).sorted().toList();
    }
  }

  private static boolean isSegment(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(PREFIX) && name.endsWith(SUFFIX) && name.length() == PREFIX.length() + 20 + SUFFIX.length();
  }

  private static long countLines(Path segment) {
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      long lines = 0;
      while (channel.read(buffer.clear()) > 0) {
        for (int i = 0; i < buffer.position(); i++) {
          if (buffer.get(i) == '\n') {
            lines++;
          }
        }
      }
      return lines;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
