package dev.gantry.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("A node whose database is unreachable at start")
class DatabaseUnreachableAtStartIT {

  private static final String DB_PASSWORD = "unreachable-db-pw-5c1e";

  private static Path workDir;
  private static GantryProcess process;

  @BeforeAll
  static void prepare() {
    workDir = TestFiles.tempDir("gantry-nodb-");
  }

  @AfterAll
  static void cleanUp() {
    if (process != null) {
      process.close();
    }
    TestFiles.deleteRecursively(workDir);
  }

  @Test
  @DisplayName("exits non-zero within 30 s and prints a line naming the database")
  void exitsAndSaysWhy() {
    int closedPort = Ports.free();
    long start = System.nanoTime();
    process = GantryProcess.start("no-database", workDir, List.of("--data-dir", workDir.resolve("data").toString(),
        "--port", String.valueOf(Ports.free()), "--cluster-port", String.valueOf(Ports.free()),
        "--node-name", "no-database", "--bootstrap-password", "whatever-password",
        "--db-url", "postgresql://gantry:" + DB_PASSWORD + "@127.0.0.1:" + closedPort + "/gantry"));

    Integer exit = process.waitFor(30);

    assertThat(exit).as("exited within 30 s; output:%n%s", process.output()).isNotNull();
    System.out.printf("node with an unreachable database exited with %d after %d ms%n", exit,
        (System.nanoTime() - start) / 1_000_000);
    assertThat(exit).isNotZero();
    assertThat(process.output().lines().filter(line -> !line.startsWith("===")))
        .anyMatch(line -> line.contains("database") && line.contains("127.0.0.1:" + closedPort))
        .noneMatch(line -> line.contains(DB_PASSWORD));
  }
}
