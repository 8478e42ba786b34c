package dev.gantry.engine.backend;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.engine.MultiNodeLaunch;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The MindIE stand-in ({@link StandInMindie}) as one server of a replica over two nodes, started the way Gantry
 * starts it (config.json and environment from {@link MultiNodeOptions#mindie}), each server on an address of its
 * own (127.0.0.1 and 127.0.0.2: Linux routes all of 127/8 to loopback): it finds its rank by its address, the
 * first server serves only once the other joined from its address, and an address the rank table lacks is refused.
 */
class StandInMindieTest {

  private static final List<String> ADDRESSES = List.of("127.0.0.1", "127.0.0.2");

  private final List<Process> started = new ArrayList<>();
  private Path dir;
  private Path daemon;
  private int rendezvousPort;

  @BeforeEach
  void install() throws Exception {
    dir = TestFiles.tempDir("gantry-standin-mindie-");
    daemon = StandInEngine.install(dir.resolve("engines"), "mindie", "2.3.0");
    rendezvousPort = Ports.free();
  }

  @AfterEach
  void stop() {
    started.forEach(Process::destroyForcibly);
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void theFirstServerServesOnlyOnceTheOtherJoinedItFromItsOwnAddress() throws Exception {
    int leaderPort = Ports.free();
    Process leader = start(0, leaderPort, Map.of());
    Eventually.await(Duration.ofSeconds(30), () -> assertThat(output(0)).contains("server 127.0.0.1 is rank 0 of 2",
        "rank 0 waiting for 1 ranks on 127.0.0.1:" + rendezvousPort));
    assertThatThrownBy(() -> connect(leaderPort)).as("no HTTP before every server joined").isInstanceOf(IOException.class);

    int workerPort = Ports.free();
    Process worker = start(1, workerPort, Map.of());

    Eventually.await(Duration.ofSeconds(30),
        () -> assertThat(new Api("http://127.0.0.1:" + leaderPort).get("/v2/health/ready").status()).isEqualTo(200));
    assertThat(output(0)).contains("rank 1 joined from /127.0.0.2:");
    assertThat(output(1)).contains("server 127.0.0.2 is rank 1 of 2",
        "rank 1 joined the leader at 127.0.0.1:" + rendezvousPort + " from /127.0.0.2:");
    assertThatThrownBy(() -> connect(workerPort)).as("a worker serves nothing").isInstanceOf(IOException.class);

    worker.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    assertThat(leader.waitFor(30, TimeUnit.SECONDS)).as("the leader ends when it loses a rank").isTrue();
    assertThat(leader.exitValue()).isEqualTo(1);
    assertThat(output(0)).contains("lost rank 1; the group cannot go on");
  }

  @Test
  void aServerWhoseAddressIsNotInTheRankTableRefusesToStart() throws Exception {
    Process stranger = start(1, Ports.free(), Map.of("MIES_CONTAINER_IP", "127.0.0.9"));

    assertThat(stranger.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(stranger.exitValue()).isEqualTo(1);
    assertThat(output(1)).contains("MIES_CONTAINER_IP 127.0.0.9 names 0 servers of the rank table",
        "[127.0.0.1, 127.0.0.2]");
  }

  /** Starts server {@code rank} in its own work folder as Gantry would, {@code env} overriding Gantry's. */
  private Process start(int rank, int httpPort, Map<String, String> env) throws IOException {
    Path work = Files.createDirectories(dir.resolve("part" + rank));
    MultiNodeLaunch part = new MultiNodeLaunch(2, rank, ADDRESSES.get(0), rendezvousPort, 0,
        ADDRESSES.stream().map(a -> new MultiNodeLaunch.Host(a, List.of())).toList());
    JsonObject backend = new JsonObject().put("ModelDeployConfig", new JsonObject().put("ModelConfig",
        new JsonArray().add(new JsonObject().put("modelName", "m").put("modelWeightPath", work.toString()))));
    Map<String, String> environment = new HashMap<>(MultiNodeOptions.mindie(part, backend, work));
    JsonObject config = new JsonObject().put("BackendConfig", backend).put("ServerConfig", new JsonObject()
        .put("ipAddress", "127.0.0.1").put("port", httpPort).put("httpsEnabled", false));
    Files.writeString(work.resolve("config.json"), config.encode());
    environment.put("MIES_CONFIG_JSON_PATH", work.resolve("config.json").toString());
    environment.putAll(env);
    ProcessBuilder builder = new ProcessBuilder(daemon.toString()).directory(daemon.getParent().toFile())
        .redirectErrorStream(true).redirectOutput(work.resolve("out.log").toFile());
    builder.environment().putAll(environment);
    Process process = builder.start();
    started.add(process);
    return process;
  }

  private String output(int rank) throws IOException {
    Path log = dir.resolve("part" + rank).resolve("out.log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private static void connect(int port) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
    }
  }
}
