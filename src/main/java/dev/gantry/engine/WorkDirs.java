package dev.gantry.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Removes an instance's work folder (it may hold the engine's key) once its engine is gone. */
final class WorkDirs {

  private static final Logger LOG = LoggerFactory.getLogger(WorkDirs.class);

  static void delete(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("cannot delete engine work folder {}: {}", dir, e.getMessage());
    }
  }

  private WorkDirs() {
  }
}
