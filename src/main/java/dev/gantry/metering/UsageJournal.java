package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import dev.gantry.common.UsageSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's usage records on local disk, appended before each answer's last bytes go out, framed by
 * {@link JournalFrame}, into {@code <dir>/segment-<n>.log}. A segment is a shared memory mapping of the file
 * ({@link #SEGMENT_BYTES} mapped when it opens), so appending a record is a copy into the page cache, not a
 * system call: as durable as the {@code write} it replaced (the page cache survives a {@code kill -9} of
 * the JVM, so no fsync), at a fraction of its cost (the {@code write} took 5 % of a loaded gateway's CPU).
 * Closing a segment cuts the file at its last record; a segment left by a process that died ends in zeros,
 * which {@link #open} cuts off before anything reads it. Each thread that records (an event loop)
 * writes a segment of its own, its <em>lane</em>, so two event loops never wait on each other's write:
 * under load one shared segment's lock held every event loop up for a sixth of its time. Sequence numbers
 * are global, so segments still sort by when they were opened. A segment is closed past
 * {@link #SEGMENT_BYTES} or when {@link #rotateIfOlderThan} finds it old; a new process always starts new
 * segments, so the ones it finds are closed and whole but for a torn last line. The {@link UsageShipper}
 * deletes a closed segment once PostgreSQL has all its records.
 *
 * <p>The records a lane last appended also stay in memory (up to {@link #TAIL_RECORDS} per segment, for
 * its current and its previous segment, with where their lines lie), so that the shipper, which follows
 * the open segments closely, takes them from there ({@link #tail}) instead of reading back and parsing the
 * lines just written; the file stays what counts.
 *
 * <p>Disk use is capped at {@code maxBytes}: past it, records are dropped (counted, logged) rather than
 * held in memory or made to stop inference. Thread-safe.
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
  private final AtomicLong nextSequence;
  private final AtomicLong diskBytes;
  private final AtomicBoolean full = new AtomicBoolean();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final List<Lane> lanes = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Lane> lane = ThreadLocal.withInitial(this::newLane);

  private UsageJournal(Path dir, long maxBytes, long segmentBytes, long nextSequence, long diskBytes, long recovered) {
    this.dir = dir;
    this.maxBytes = maxBytes;
    this.segmentBytes = segmentBytes;
    this.nextSequence = new AtomicLong(nextSequence);
    this.diskBytes = new AtomicLong(diskBytes);
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
        trimPadding(segment);
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
    Lane own = lane.get();
    synchronized (own) {
      store(own, own.frame.frame(record), record);
    }
  }

  /** Appends one framed line with a single write; a line the cap or the disk refuses is counted as dropped. */
  void append(byte[] line) {
    Lane own = lane.get();
    synchronized (own) {
      store(own, ByteBuffer.wrap(line), null);
    }
  }

  private void store(Lane own, ByteBuffer line, UsageRecord record) {
    int length = line.remaining();
    if (diskBytes.addAndGet(length) > maxBytes) {
      diskBytes.addAndGet(-length);
      dropped.increment();
      if (full.compareAndSet(false, true)) {
        LOG.error("usage journal is full, dropping usage records until PostgreSQL takes the backlog "
            + "[max bytes: {}] [dir: {}]", maxBytes, dir);
      }
      return;
    }
    try {
      own.write(line, record);
      appended.increment();
      if (failing.compareAndSet(true, false)) {
        LOG.info("usage journal writes again [dir: {}]", dir);
      }
    } catch (IOException e) {
      diskBytes.addAndGet(-length);
      dropped.increment();
      if (failing.compareAndSet(false, true)) {
        LOG.error("cannot write the usage journal, dropping usage records [dir: {}] [cause: {}]", dir, e.getMessage());
      }
    }
  }

  /**
   * The records whose lines start at {@code offset} of segment {@code sequence}, up to {@code max}, as
   * {@link JournalReader#read} would find them there, when they are still in memory; null when they are not
   * (the reader must read the file). Forgets what lies before that point: the shipper reads in order.
   */
  JournalReader.Chunk tail(long sequence, long offset, int max) {
    for (Lane each : lanes) {
      JournalReader.Chunk chunk = each.tail(sequence, offset, max);
      if (chunk != null) {
        return chunk;
      }
    }
    return null;
  }

  /** Closes every lane's segment that was opened more than {@code nanos} ago, so the shipper may delete it. */
  void rotateIfOlderThan(long nanos) {
    lanes.forEach(each -> each.closeIfOlderThan(nanos));
  }

  /** The sequence numbers of the segments being written (one per lane at most). */
  Set<Long> openSequences() {
    Set<Long> open = new HashSet<>();
    for (Lane each : lanes) {
      long sequence = each.openSequence();
      if (sequence >= 0) {
        open.add(sequence);
      }
    }
    return open;
  }

  /** The sequence number of the segment the calling thread writes, or -1 when it has none open. */
  long activeSequence() {
    return lane.get().openSequence();
  }

  /** A segment the shipper emptied into PostgreSQL is gone; its bytes leave the disk budget. */
  void deleted(Path segment, long bytes) {
    long left = diskBytes.addAndGet(-bytes);
    if (left < maxBytes / 2 && full.compareAndSet(true, false)) {
      LOG.info("usage journal has room again [bytes: {}]", left);
    }
  }

  long diskBytes() {
    return diskBytes.get();
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
  public void close() {
    lanes.forEach(Lane::close);
  }

  private Lane newLane() {
    Lane created = new Lane();
    lanes.add(created);
    return created;
  }

  /** The segment one thread writes, and the records it holds in memory; its monitor is all but uncontended. */
  private final class Lane {
    private final JournalFrame frame = new JournalFrame();
    private FileChannel active;
    private MappedByteBuffer mapped;
    private long activeSequence = -1;
    private long activeBytes;
    private long activeOpenedNanos;
    private SegmentTail current;
    private SegmentTail previous;

    synchronized void write(ByteBuffer line, UsageRecord record) throws IOException {
      int length = line.remaining();
      try {
        if (active == null || activeBytes + length > mapped.capacity()) {
          rotate(length);
        }
        mapped.put((int) activeBytes, line, line.position(), length);
      } catch (IOException e) {
        close();
        throw e;
      } catch (InternalError e) {
        // how the JVM reports a fault on a mapped page: the disk could not back it (full, or gone)
        close();
        throw new IOException("the disk could not take the segment's next page (" + e.getMessage() + ")", e);
      }
      if (record != null) {
        current.add(new Appended(activeBytes, activeBytes + length, record));
      }
      activeBytes += length;
    }

    synchronized JournalReader.Chunk tail(long sequence, long offset, int max) {
      if (current != null && current.sequence == sequence) {
        previous = null; // the shipper reads in order: it is past the previous segment
        // nothing written past the offset of a segment still open: nothing to read, without reading the file
        long writtenEnd = active != null ? activeBytes : -1;
        return current.from(offset, max, writtenEnd);
      }
      return previous != null && previous.sequence == sequence ? previous.from(offset, max, -1) : null;
    }

    synchronized long openSequence() {
      return active == null ? -1 : activeSequence;
    }

    synchronized void closeIfOlderThan(long nanos) {
      if (active != null && System.nanoTime() - activeOpenedNanos > nanos) {
        close();
      }
    }

    /** Cuts the file at its last record (the mapping's unused zeros go) and closes it. */
    synchronized void close() {
      if (active != null) {
        try (FileChannel closing = active) {
          closing.truncate(activeBytes);
        } catch (IOException e) {
          LOG.warn("cannot close a usage journal segment [cause: {}]", e.getMessage());
        }
        active = null;
        mapped = null; // unmapped when collected; nothing touches it past the cut
      }
    }

    private void rotate(int length) throws IOException {
      close();
      activeSequence = nextSequence.getAndIncrement();
      Path segment = dir.resolve(String.format("%s%020d%s", PREFIX, activeSequence, SUFFIX));
      active = FileChannel.open(segment, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
      try {
        mapped = active.map(FileChannel.MapMode.READ_WRITE, 0, Math.max(segmentBytes, length));
      } catch (IOException e) {
        active.close();
        active = null;
        throw e;
      }
      activeBytes = 0;
      activeOpenedNanos = System.nanoTime();
      previous = current;
      current = new SegmentTail(activeSequence);
    }
  }

  /** A lane's last records of one segment, oldest first, each with the bytes {@code [start, end)} its line takes. */
  private static final class SegmentTail {
    private final long sequence;
    private final ArrayDeque<Appended> records = new ArrayDeque<>();

    SegmentTail(long sequence) {
      this.sequence = sequence;
    }

    void add(Appended appended) {
      records.addLast(appended);
      if (records.size() > TAIL_RECORDS) {
        records.pollFirst();
      }
    }

    /** The records from {@code offset} on; an empty chunk when {@code offset} is {@code writtenEnd} (-1: unknown). */
    JournalReader.Chunk from(long offset, int max, long writtenEnd) {
      Appended first;
      while ((first = records.peekFirst()) != null && first.start() < offset) {
        records.pollFirst();
      }
      if (first == null && offset == writtenEnd) {
        return new JournalReader.Chunk(List.of(), offset, 0, false);
      }
      if (first == null || first.start() != offset) {
        return null;
      }
      List<UsageRecord> taken = new ArrayList<>(Math.min(max, records.size()));
      long next = offset;
      while (taken.size() < max && !records.isEmpty()) {
        Appended appended = records.pollFirst(); // handed over: holding it longer would only age it into the old generation
        taken.add(appended.record());
        next = appended.end();
      }
      return new JournalReader.Chunk(taken, next, 0, false);
    }
  }

  private record Appended(long start, long end, UsageRecord record) {
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

  /** Cuts the zeros a segment mapped by a process that died ends in (a closed segment has none). */
  private static void trimPadding(Path segment) throws IOException {
    try (FileChannel channel = FileChannel.open(segment, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      long size = channel.size();
      long end = size;
      ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
      while (end > 0) {
        int length = (int) Math.min(buffer.capacity(), end);
        buffer.clear().limit(length);
        while (buffer.hasRemaining() && channel.read(buffer, end - length + buffer.position()) > 0) {
          // fills the block
        }
        int last = length - 1;
        while (last >= 0 && buffer.get(last) == 0) {
          last--;
        }
        if (last >= 0) {
          end = end - length + last + 1;
          break;
        }
        end -= length;
      }
      if (end < size) {
        channel.truncate(end);
        LOG.info("usage journal segment of a process that stopped cut at its last record [segment: {}] [bytes: {}]",
            segment.getFileName(), end);
      }
    }
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
