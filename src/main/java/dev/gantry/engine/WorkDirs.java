package dev.gantry.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** An instance's work folder: removed (it may hold the engine's key) once its engine is gone; its scratch folder emptied. */
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

  /** {@code dir}, created empty: whatever a killed engine left there is deleted first. */
  static Path emptied(Path dir) {
    delete(dir);
    try {
      return Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the engine's temporary folder " + dir + ": " + e.getMessage(), e);
    }
  }

  private WorkDirs() {
  }
}
