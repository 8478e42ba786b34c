package dev.gantry.node.device;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The real captured vendor tool outputs kept beside the project ({@code ../shared/fixtures/accelerators},
 * never copied into it). Found through the system property {@code gantry.accelerator.fixtures}, then
 * {@code ../shared/...} (a checkout beside shared/), then {@code ../../shared/...} (a worktree under
 * {@code wt/}); tests that need them are skipped where none exists.
 */
final class SharedAcceleratorFixtures {

  static final String PROPERTY = "gantry.accelerator.fixtures";

  private SharedAcceleratorFixtures() {
  }

  static Path dir() {
    String configured = System.getProperty(PROPERTY);
    List<Path> candidates = configured != null ? List.of(Path.of(configured))
        : List.of(Path.of("../shared/fixtures/accelerators"), Path.of("../../shared/fixtures/accelerators"));
    Path found = candidates.stream().filter(Files::isDirectory).findFirst().orElse(null);
    assumeTrue(found != null, "accelerator fixtures not found at " + candidates + " (set -D" + PROPERTY + ")");
    return found;
  }

  /** A fixture's text, e.g. {@code read("nvidia/nvidia-smi-L-h100-80gb-hbm3-mig.txt")}. */
  static String read(String file) {
    try {
      return Files.readString(dir().resolve(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every fixture file, as {@code vendor/name}. */
  static List<String> all() {
    Path dir = dir();
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
          .filter(name -> name.contains("/")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
