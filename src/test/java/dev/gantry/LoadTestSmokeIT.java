package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Gatling simulations in {@code loadtest/} run for real, briefly, against a real node (embedded
 * defaults, the bundled demo chat model): each in its own Maven process (Gatling's Netty must not meet
 * Vert.x's), failing on any failed request, and each must have sent requests.
 */
@DisplayName("Gatling: both simulations run briefly against a real node without a failed request")
class LoadTestSmokeIT {

  private static final String PASSWORD = "gatling-Admin-pw-7";
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(6);
  /** Gatling's summary line; counts over 999 have thousands separators (4,397). */
  private static final Pattern REQUEST_COUNT = Pattern.compile("> request count\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*([\\d,]+)\\s*\\|\\s*(\\S+)");

  private static Path dir;
  private static GantryProcess node;
  private static String baseUrl;
  private static String key;

  @BeforeAll
  static void startANodeWithTheDemoModel() {
    dir = TestFiles.tempDir("gantry-gatling-");
    int port = Ports.free();
    baseUrl = "http://127.0.0.1:" + port;
    node = GantryProcess.start("gatling-node", dir, List.of("--data-dir", dir.resolve("data").toString(),
        "--port", String.valueOf(port), "--cluster-port", String.valueOf(Ports.free()),
        "--embedded-db-port", String.valueOf(Ports.free()), "--bootstrap-password", PASSWORD));
    Eventually.await(Duration.ofSeconds(120), () -> {
      assertThat(node.alive()).as("node output:%n%s", node.output()).isTrue();
      assertThat(new Api(baseUrl).get("/health/ready").status()).isEqualTo(200);
    });
    Api admin = new Api(baseUrl).login("admin", PASSWORD);
    key = admin.createKey("gatling", "*").getString("value");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "smoke-chat").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat")), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(
        Api.expect(admin.get("/v2/model-instances?model_name=smoke-chat"), 200).getJsonArray("items").stream()
            .map(JsonObject.class::cast).map(i -> i.getString("state"))).contains("running"));
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void managementSimulation() throws Exception {
    assertRanWithoutFailures(gatling("dev.gantry.loadtest.ManagementSimulation"));
  }

  @Test
  void gatewaySimulationPlainAndStreamed() throws Exception {
    assertRanWithoutFailures(gatling("dev.gantry.loadtest.GatewaySimulation", "-Dmodel=smoke-chat"));
  }

  private static void assertRanWithoutFailures(Run run) {
    assertThat(run.exitCode()).as("mvn gatling:test exit code; output:%n%s", run.output()).isZero();
    Matcher counts = REQUEST_COUNT.matcher(run.output());
    assertThat(counts.find()).as("Gatling's summary in:%n%s", run.output()).isTrue();
    assertThat(Long.parseLong(counts.group(2).replace(",", ""))).as("requests answered OK").isPositive();
    assertThat(counts.group(3)).as("failed requests").isIn("0", "-");
  }

  private record Run(int exitCode, String output) {
  }

  private static Run gatling(String simulation, String... extra) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("mvn", "-B", "-f", Path.of("loadtest/pom.xml").toAbsolutePath().toString(),
        "gatling:test", "-Dgatling.simulationClass=" + simulation, "-DbaseUrl=" + baseUrl, "-Dusers=2", "-Dramp=1",
        "-Dduration=5"));
    if (gatlingCached()) {
      command.add(1, "-o");
    }
    command.addAll(List.of(extra));
    Path output = dir.resolve(simulation.substring(simulation.lastIndexOf('.') + 1) + ".out");
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().put("GANTRY_API_KEY", key);
    Process process = builder.start();
    if (!process.waitFor(RUN_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly().waitFor();
      return new Run(-1, "timed out after " + RUN_TIMEOUT + "\n" + Files.readString(output));
    }
    return new Run(process.exitValue(), Files.readString(output));
  }

  /** Gatling already in the local repository: run Maven offline (no network needed, and faster). */
  private static boolean gatlingCached() {
    return Files.isDirectory(Path.of(System.getProperty("user.home"), ".m2", "repository", "io", "gatling", "gatling-maven-plugin"));
  }
}
