package dev.gantry.metering;

import dev.gantry.common.UsageRecord;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The disk spool of earlier versions ({@code <data-dir>/usage-spool/usage-*.jsonl}, one JSON record per
 * line): at start its records move into the journal, each file deleted once copied. A crash between
 * the two copies a file twice, which the idempotent insert absorbs.
 */
final class LegacyUsageSpool {

  private static final Logger LOG = LoggerFactory.getLogger(LegacyUsageSpool.class);

  private LegacyUsageSpool() {
  }

  /** Moves every spooled record into the journal (blocks); answers how many moved. */
  static int moveInto(Path spoolDir, UsageJournal journal) throws IOException {
    if (!Files.isDirectory(spoolDir)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> listed = Files.list(spoolDir)) {
      files = listed.filter(LegacyUsageSpool::isSpoolFile).sorted().toList();
    }
    int moved = 0;
    for (Path file : files) {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        try {
          if (!line.isBlank()) {
            journal.record(UsageRecord.fromJson(new JsonObject(line)));
            moved++;
          }
        } catch (RuntimeException e) {
          LOG.warn("skipping an unreadable spooled usage record [file: {}]", file);
        }
      }
      Files.delete(file);
    }
    if (moved > 0) {
      LOG.info("moved spooled usage records into the journal [records: {}] [files: {}]", moved, files.size());
    }
    return moved;
  }

  private static boolean isSpoolFile(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith("usage-") && name.endsWith(".jsonl");
  }
}
