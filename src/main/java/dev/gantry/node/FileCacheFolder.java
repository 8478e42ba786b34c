package dev.gantry.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the node's Vert.x unpacks classpath files it serves (the OpenAPI document): a folder in the data
 * folder, not {@code /tmp}. Vert.x deletes its {@code vertx-cache-<uuid>} folder on a clean exit; a node killed
 * hard left one in {@code /tmp} per start. The next start on the same data folder deletes them.
 */
public final class FileCacheFolder {

  private static final Logger LOG = LoggerFactory.getLogger(FileCacheFolder.class);
  static final String NAME = "file-cache";
  /** Vert.x adds {@code -<uuid>} to the name it is given. */
  private static final String VERTX_NAME = "vertx-cache";

  /**
   * What to give {@code FileSystemOptions.setFileCacheDir}: {@code <data dir>/file-cache/vertx-cache}, its folder
   * created and without the {@code vertx-cache-*} folders an earlier process left (blocks).
   */
  public static Path prepared(Path dataDir) {
    Path folder = dataDir.resolve(NAME);
    try {
      Files.createDirectories(folder);
      try (Stream<Path> children = Files.list(folder)) {
        children.filter(c -> c.getFileName().toString().startsWith(VERTX_NAME + "-")).forEach(FileCacheFolder::delete);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare " + folder + " for the node's file cache: " + e.getMessage(), e);
    }
    return folder.resolve(VERTX_NAME);
  }

  private static void delete(Path left) {
    try (Stream<Path> files = Files.walk(left)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      LOG.warn("cannot delete {}, which an earlier node process left: {}", left, e.getMessage());
    }
  }

  private FileCacheFolder() {
  }
}
