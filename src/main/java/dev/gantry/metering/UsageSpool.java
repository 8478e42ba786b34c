package dev.gantry.metering;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Usage records parked on local disk while PostgreSQL cannot take them: {@code <dir>/usage-*.jsonl},
 * one JSON record per line, each file written under a temporary name and then renamed, so a crash
 * never leaves half a file to replay. Every method blocks: call them through {@code executeBlocking}.
 */
final class UsageSpool {

  private static final Logger LOG = LoggerFactory.getLogger(UsageSpool.class);
  private static final String PREFIX = "usage-";
  private static final String SUFFIX = ".jsonl";

  private final Path dir;
  private final AtomicLong sequence = new AtomicLong();

  UsageSpool(Path dir) {
    this.dir = dir;
  }

  Path dir() {
    return dir;
  }

  Path write(List<JsonObject> records) throws IOException {
    Files.createDirectories(dir);
    String name = PREFIX + System.currentTimeMillis() + "-" + sequence.incrementAndGet() + SUFFIX;
    Path temporary = dir.resolve(name + ".tmp");
    StringBuilder lines = new StringBuilder(records.size() * 400);
    records.forEach(record -> lines.append(record.encode()).append('\n'));
    Files.writeString(temporary, lines, StandardCharsets.UTF_8);
    return Files.move(temporary, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
  }

  /** The oldest spooled file, if any. */
  Optional<Path> oldest() throws IOException {
    if (!Files.isDirectory(dir)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(UsageSpool::isSpoolFile).min((a, b) -> a.getFileName().compareTo(b.getFileName()));
    }
  }

  /** The records of a spooled file; a line that does not parse is skipped. */
  List<JsonObject> read(Path file) throws IOException {
    List<JsonObject> records = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      try {
        if (!line.isBlank()) {
          records.add(new JsonObject(line));
        }
      } catch (DecodeException e) {
        LOG.warn("skipping an unreadable usage record [file: {}]", file);
      }
    }
    return records;
  }

  void delete(Path file) throws IOException {
    Files.deleteIfExists(file);
  }

  private static boolean isSpoolFile(Path file) {
    String name = file.getFileName().toString();
    return name.startsWith(PREFIX) && name.endsWith(SUFFIX);
  }
}
