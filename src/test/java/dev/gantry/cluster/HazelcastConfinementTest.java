package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Features reach the cluster's state only through its owners ({@link LiveInstances}, {@link LiveNodes},
 * {@link SharedMap} …): Hazelcast types appear in {@code dev.gantry.cluster} and the composition root only.
 */
class HazelcastConfinementTest {

  @Test
  void onlyTheClusterPackageAndTheCompositionRootImportHazelcast() throws IOException {
    Path sources = Path.of("src/main/java/dev/gantry");
    try (Stream<Path> files = Files.walk(sources)) {
      List<String> offenders = files.filter(p -> p.toString().endsWith(".java"))
          .filter(p -> !p.startsWith(sources.resolve("cluster")) && !p.endsWith("GantryNode.java"))
          .filter(HazelcastConfinementTest::importsHazelcast)
          .map(p -> sources.relativize(p).toString()).toList();
      assertThat(offenders).as("files outside dev.gantry.cluster that import com.hazelcast").isEmpty();
    }
  }

  private static boolean importsHazelcast(Path file) {
    try {
      return Files.readAllLines(file).stream().anyMatch(line -> line.startsWith("import com.hazelcast."));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
