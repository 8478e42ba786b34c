package dev.gantry.metering;

import static dev.gantry.metering.UsageRecords.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.UsageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The journal's file format and life: framing, a torn or damaged line, rotation, a restart, the disk cap. */
class UsageJournalTest {

  @TempDir
  Path dir;

  @Test
  void recordsReadBackExactlyAsWritten() throws IOException {
    UsageJournal journal = UsageJournal.open(dir, 1 << 20);
    List<UsageRecord> written = IntStream.range(0, 50).mapToObj(i -> record("r" + i, "m")).toList();
    written.forEach(journal::record);

    JournalReader.Chunk chunk = JournalReader.read(only(journal), 0, 1_000, false);

    assertThat(chunk.records()).isEqualTo(written);
    assertThat(chunk.skipped()).isZero();
    assertThat(chunk.finished()).as("the segment being written is never finished").isFalse();
    assertThat(chunk.nextOffset()).isEqualTo(written(only(journal)));
    assertThat(journal.appended.sum()).isEqualTo(50);
    journal.close();
    assertThat(Files.size(only(journal))).as("closed, the file ends at its last record").isEqualTo(chunk.nextOffset());
  }

  @Test
  void readingStopsAtTheRequestedNumberOfRecordsAndContinuesFromItsOffset() throws IOException {
    UsageJournal journal = UsageJournal.open(dir, 1 << 20);
    IntStream.range(0, 10).forEach(i -> journal.record(record("r" + i, "m")));

    JournalReader.Chunk first = JournalReader.read(only(journal), 0, 4, false);
    JournalReader.Chunk rest = JournalReader.read(only(journal), first.nextOffset(), 100, false);

    assertThat(first.records()).extracting(UsageRecord::id).containsExactly("r0", "r1", "r2", "r3");
    assertThat(rest.records()).extracting(UsageRecord::id).containsExactly("r4", "r5", "r6", "r7", "r8", "r9");
  }

  @Test
  void aTornLastLineIsSkippedOnceTheSegmentIsClosedButAwaitedWhileItIsWritten() throws IOException {
    UsageJournal journal = UsageJournal.open(dir, 1 << 20);
    IntStream.range(0, 3).forEach(i -> journal.record(record("r" + i, "m")));
    Path segment = only(journal);
    byte[] whole = JournalFrame.encode(record("torn", "m"));
    journal.append(java.util.Arrays.copyOf(whole, whole.length / 2));

    JournalReader.Chunk whileOpen = JournalReader.read(segment, 0, 100, false);
    JournalReader.Chunk closed = JournalReader.read(segment, 0, 100, true);

    assertThat(whileOpen.records()).hasSize(3);
    assertThat(whileOpen.skipped()).isZero();
    assertThat(whileOpen.nextOffset()).isEqualTo(written(segment) - whole.length / 2);
    assertThat(closed.records()).extracting(UsageRecord::id).containsExactly("r0", "r1", "r2");
    assertThat(closed.skipped()).isEqualTo(1);
    assertThat(closed.finished()).isTrue();
    assertThat(closed.nextOffset()).isEqualTo(written(segment));
  }

  @Test
  void aDamagedLineInAClosedSegmentIsSkippedAndTheOthersAreKept() throws IOException {
    UsageJournal journal = UsageJournal.open(dir, 1 << 20);
    IntStream.range(0, 3).forEach(i -> journal.record(record("r" + i, "model-x")));
    journal.close();
    Path segment = only(journal);
    String text = Files.readString(segment, StandardCharsets.UTF_8);
    int second = text.indexOf('\n') + 1;
    int target = text.indexOf("model-x", second);
    Files.writeString(segment, text.substring(0, target) + "model-y" + text.substring(target + 7), StandardCharsets.UTF_8);

    JournalReader.Chunk chunk = JournalReader.read(segment, 0, 100, true);

    assertThat(chunk.records()).extracting(UsageRecord::id).containsExactly("r0", "r2");
    assertThat(chunk.skipped()).isEqualTo(1);
    assertThat(chunk.finished()).isTrue();
  }

  @Test
  void segmentsRotateBySizeAndAgeAndEachHoldsWholeRecords() throws IOException {
    int line = JournalFrame.encode(record("r00", "m")).length;
    UsageJournal journal = UsageJournal.open(dir, 1 << 20, line * 4L);
    IntStream.range(0, 10).forEach(i -> journal.record(record("r" + (10 + i), "m")));
    long beforeAge = journal.segments().size();
    journal.rotateIfOlderThan(0);
    journal.record(record("r99", "m"));

    List<Path> segments = journal.segments();
    List<String> ids = new ArrayList<>();
    for (Path segment : segments) {
      JournalReader.Chunk chunk = JournalReader.read(segment, 0, 100, true);
      assertThat(chunk.skipped()).isZero();
      chunk.records().forEach(r -> ids.add(r.id()));
    }

    assertThat(beforeAge).isEqualTo(3);
    assertThat(segments).hasSize(4);
    assertThat(UsageJournal.sequence(segments.get(3))).isEqualTo(journal.activeSequence());
    assertThat(ids).containsExactly("r10", "r11", "r12", "r13", "r14", "r15", "r16", "r17", "r18", "r19", "r99");
  }

  @Test
  void aNewProcessCountsWhatTheLastOneLeftAndWritesANewSegment() throws IOException {
    UsageJournal before = UsageJournal.open(dir, 1 << 20);
    IntStream.range(0, 7).forEach(i -> before.record(record("r" + i, "m")));
    Path old = only(before);

    UsageJournal after = UsageJournal.open(dir, 1 << 20);
    after.record(record("new", "m"));

    assertThat(Files.size(old)).as("the dead process's mapped zeros are cut off")
        .isEqualTo(7L * JournalFrame.encode(record("r0", "m")).length);
    assertThat(after.recovered()).isEqualTo(7);
    assertThat(after.segments()).hasSize(2).startsWith(old);
    assertThat(after.activeSequence()).isEqualTo(UsageJournal.sequence(old) + 1);
    assertThat(after.diskBytes()).isEqualTo(written(old) + written(after.segments().get(1)));
  }

  @Test
  void pastTheDiskCapRecordsAreDroppedAndCountedUntilSpaceIsFreed() throws IOException {
    int line = JournalFrame.encode(record("r0", "m")).length;
    UsageJournal journal = UsageJournal.open(dir, line * 3L + 1, line * 2L);
    IntStream.range(0, 5).forEach(i -> journal.record(record("r" + i, "m")));

    assertThat(journal.appended.sum()).isEqualTo(3);
    assertThat(journal.dropped.sum()).isEqualTo(2);
    Path first = journal.segments().get(0);
    long bytes = written(first);
    Files.delete(first);
    journal.deleted(first, bytes);
    journal.record(record("r5", "m"));

    assertThat(journal.appended.sum()).isEqualTo(4);
    assertThat(journal.dropped.sum()).isEqualTo(2);
  }

  @Test
  void theTailInMemoryAnswersExactlyWhatTheFileHoldsFromTheSameOffset() throws IOException {
    UsageJournal journal = UsageJournal.open(dir, 1 << 20);
    IntStream.range(0, 10).forEach(i -> journal.record(record("r" + i, "m")));
    long sequence = journal.activeSequence();
    JournalReader.Chunk fromFile = JournalReader.read(only(journal), 0, 4, false);

    JournalReader.Chunk fromMemory = journal.tail(sequence, 0, 4);

    assertThat(fromMemory.records()).isEqualTo(fromFile.records());
    assertThat(fromMemory.nextOffset()).isEqualTo(fromFile.nextOffset());
    assertThat(fromMemory.finished()).isFalse();
    JournalReader.Chunk rest = journal.tail(sequence, fromMemory.nextOffset(), 100);
    assertThat(rest.records()).isEqualTo(JournalReader.read(only(journal), fromFile.nextOffset(), 100, false).records());
    assertThat(rest.nextOffset()).isEqualTo(written(only(journal)));
    JournalReader.Chunk caughtUp = journal.tail(sequence, rest.nextOffset(), 100);
    assertThat(caughtUp.records()).as("nothing appended since: answered without reading the file").isEmpty();
    assertThat(caughtUp.nextOffset()).isEqualTo(rest.nextOffset());
    assertThat(caughtUp.finished()).isFalse();
    journal.rotateIfOlderThan(0);
    assertThat(journal.tail(sequence, rest.nextOffset(), 100))
        .as("closed: only the file can tell the reader that the segment is finished").isNull();
    assertThat(JournalReader.read(only(journal), rest.nextOffset(), 100, true).finished()).isTrue();
  }

  @Test
  void aReadLongerThanItsFirstBlockReturnsEveryRecordUpToTheMaximum() throws IOException {
    UsageJournal journal = UsageJournal.open(dir, 1 << 30);
    int count = 2 * JournalReader.FIRST_BLOCK / JournalFrame.encode(record("r0", "m")).length + 10;
    IntStream.range(0, count).forEach(i -> journal.record(record("r" + i, "m")));

    JournalReader.Chunk all = JournalReader.read(only(journal), 0, count + 100, false);
    JournalReader.Chunk some = JournalReader.read(only(journal), 0, count - 3, false);

    assertThat(all.records()).hasSize(count).last().extracting(UsageRecord::id).isEqualTo("r" + (count - 1));
    assertThat(all.nextOffset()).isEqualTo(written(only(journal)));
    assertThat(some.records()).hasSize(count - 3);
    assertThat(JournalReader.read(only(journal), all.nextOffset(), 100, false).records()).isEmpty();
  }

  @Test
  void theTailAnswersNothingForAnOffsetItDoesNotHoldSoTheReaderFallsBackToTheFile() throws IOException {
    int line = JournalFrame.encode(record("r0", "m")).length;
    UsageJournal journal = UsageJournal.open(dir, 1 << 30);
    IntStream.range(0, UsageJournal.TAIL_RECORDS + 5).forEach(i -> journal.record(record("r" + i, "m")));
    long sequence = journal.activeSequence();

    assertThat(journal.tail(sequence, line + 1, 10)).as("not where a line starts").isNull();
    JournalReader.Chunk latest = journal.tail(sequence, 6L * line, 10);
    assertThat(latest.records()).extracting(UsageRecord::id).startsWith("r6", "r7");
    assertThat(journal.tail(sequence, 0, 10)).as("evicted past TAIL_RECORDS, then passed by the reader").isNull();
    assertThat(journal.tail(sequence + 1, 0, 10)).as("a segment it never wrote").isNull();
    assertThat(JournalReader.read(only(journal), 0, 2, false).records()).extracting(UsageRecord::id)
        .containsExactly("r0", "r1");
  }

  @Test
  void theTailFollowsRotationAndNeverMixesSegments() throws IOException {
    int line = JournalFrame.encode(record("r0", "m")).length;
    UsageJournal journal = UsageJournal.open(dir, 1 << 20, line * 4L);
    IntStream.range(0, 6).forEach(i -> journal.record(record("r" + i, "m")));
    List<Path> segments = journal.segments();
    long first = UsageJournal.sequence(segments.get(0));

    JournalReader.Chunk firstChunk = journal.tail(first, 0, 100);
    JournalReader.Chunk secondChunk = journal.tail(first + 1, 0, 100);

    assertThat(firstChunk.records()).extracting(UsageRecord::id).containsExactly("r0", "r1", "r2", "r3");
    assertThat(firstChunk.nextOffset()).isEqualTo(written(segments.get(0)));
    assertThat(secondChunk.records()).extracting(UsageRecord::id).containsExactly("r4", "r5");
  }

  @Test
  void eachWritingThreadHasASegmentOfItsOwnWithOnlyItsRecords() throws Exception {
    UsageJournal journal = UsageJournal.open(dir, 1 << 20);
    journal.record(record("main-0", "m"));
    Thread other = new Thread(() -> IntStream.range(0, 3).forEach(i -> journal.record(record("other-" + i, "m"))));
    other.start();
    other.join();
    journal.record(record("main-1", "m"));

    List<Path> segments = journal.segments();
    assertThat(segments).hasSize(2);
    assertThat(journal.openSequences()).containsExactlyInAnyOrder(UsageJournal.sequence(segments.get(0)),
        UsageJournal.sequence(segments.get(1)));
    assertThat(JournalReader.read(segments.get(0), 0, 100, false).records()).extracting(UsageRecord::id)
        .containsExactly("main-0", "main-1");
    assertThat(journal.tail(UsageJournal.sequence(segments.get(1)), 0, 100).records()).extracting(UsageRecord::id)
        .containsExactly("other-0", "other-1", "other-2");
    assertThat(journal.diskBytes()).isEqualTo(written(segments.get(0)) + written(segments.get(1)));

    journal.rotateIfOlderThan(0);
    assertThat(journal.openSequences()).isEmpty();
  }

  /** How many bytes of the segment hold records: a segment being written is mapped whole, zeros after its records. */
  private static long written(Path segment) throws IOException {
    byte[] bytes = Files.readAllBytes(segment);
    int end = 0;
    while (end < bytes.length && bytes[end] != 0) {
      end++;
    }
    return end;
  }

  private static Path only(UsageJournal journal) throws IOException {
    List<Path> segments = journal.segments();
    assertThat(segments).hasSize(1);
    return segments.get(0);
  }
}
