package dev.gantry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Nodes on one host with the default engine ports and embedded database port: two new clusters started
 * together each get a database port of their own, and the README's local cluster (the second node joins
 * with the first one's secret and database) runs engines on both nodes without a port collision.
 */
@DisplayName("Nodes on one host with default engine and database ports never collide")
class OneHostNodesIT {

  private static final String PASSWORD = "one-host-Admin-pw-3";
  private static final Pattern SHARE_LINE = Pattern.compile("share this database with --db-url (\\S+) --db-password-file (\\S+)");

  private static Path workDir;
  private static final List<GantryProcess> processes = new ArrayList<>();

  @BeforeAll
  static void workDir() {
    workDir = TestFiles.tempDir("gantry-one-host-");
  }

  @AfterAll
  static void stopEverything() {
    processes.forEach(GantryProcess::close);
    TestFiles.deleteRecursively(workDir);
  }

  @Test
  @DisplayName("two default nodes each run their own embedded database; the README's second node joins the first, "
      + "and a replica on each node starts and serves with no 'Address already in use'")
  void defaultPortsDoNotCollide() throws Exception {
    Node n1 = Node.start("one-host-1", Map.of());
    Node other = Node.start("one-host-other", Map.of());
    n1.awaitReady(1);
    other.awaitReady(1);
    int dbPort = n1.embeddedDbPort();
    assertThat(other.embeddedDbPort()).as("a database port of its own").isNotEqualTo(dbPort);
    other.process.close();

    Matcher share = SHARE_LINE.matcher(n1.process.output());
    assertThat(share.find()).as("n1 prints how other local nodes share its database:%n%s", n1.process.output()).isTrue();
    assertThat(share.group(1)).isEqualTo("postgresql://postgres@127.0.0.1:" + dbPort + "/postgres");
    String secret = Files.readString(n1.dataDir.resolve("cluster_secret")).strip();
    Node n2 = Node.start("one-host-2", Map.of("GANTRY_CLUSTER_SECRET", secret),
        "--join", "127.0.0.1:" + n1.clusterPort, "--db-url", share.group(1), "--db-password-file", share.group(2));
    n2.awaitReady(2);

    Api admin = new Api(n1.url()).login("admin", PASSWORD);
    String key = admin.createKey("one-host-key", "*").getString("value");
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "minilm-both").put("source", "builtin")
        .put("builtin_model", "all-minilm-l6-v2").put("replicas", 2)), 201);
    Eventually.await(Duration.ofSeconds(120), () -> {
      JsonArray instances = admin.get("/v2/model-instances?model_name=minilm-both").items();
      assertThat(instances).hasSize(2);
      assertThat(instances.stream().map(i -> ((JsonObject) i).getString("state"))).containsOnly("running");
      assertThat(instances.stream().map(i -> ((JsonObject) i).getString("node_name")))
          .containsExactlyInAnyOrder("one-host-1", "one-host-2");
    });
    for (Node entry : List.of(n1, n2)) {
      Api.Response embedded = new Api(entry.url()).withKey(key).post("/v1/embeddings",
          new JsonObject().put("model", "minilm-both").put("input", "A cat sits on the mat."));
      assertThat(embedded.status()).as(embedded.body()).isEqualTo(200);
      assertThat(embedded.json().getJsonArray("data").getJsonObject(0).getJsonArray("embedding")).hasSize(384);
    }

    for (Node node : List.of(n1, other, n2)) {
      assertThat(node.process.output()).doesNotContain("Address already in use");
      assertThat(node.engineLogs()).doesNotContain("Address already in use");
    }
  }

  /** A node with default options but for its data directory, name and public ports. */
  private record Node(GantryProcess process, Path dataDir, int httpPort, int clusterPort) {

    static Node start(String name, Map<String, String> env, String... more) {
      Path dir = workDir.resolve(name);
      int http = Ports.free();
      int cluster = Ports.free();
      List<String> args = new ArrayList<>(List.of("--data-dir", dir.resolve("data").toString(), "--node-name", name,
          "--port", String.valueOf(http), "--cluster-port", String.valueOf(cluster), "--bootstrap-password", PASSWORD));
      args.addAll(List.of(more));
      GantryProcess process = GantryProcess.start(name, dir, args, env);
      processes.add(process);
      return new Node(process, dir.resolve("data"), http, cluster);
    }

    String url() {
      return "http://127.0.0.1:" + httpPort;
    }

    void awaitReady(int members) {
      Eventually.await(Duration.ofSeconds(120), () -> {
        assertThat(process.alive()).as("%s output:%n%s", process.name(), process.output()).isTrue();
        Api.Response ready = new Api(url()).get("/health/ready");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().getJsonObject("checks").getJsonObject("cluster").getInteger("members")).isEqualTo(members);
      });
    }

    int embeddedDbPort() throws IOException {
      return Integer.parseInt(Files.readString(dataDir.resolve("embedded_db_port")).strip());
    }

    /** Everything the node's engines wrote ({@code <data-dir>/logs/<instance>/<restart>.log}). */
    String engineLogs() throws IOException {
      Path logs = dataDir.resolve("logs");
      if (!Files.isDirectory(logs)) {
        return "";
      }
      try (Stream<Path> files = Files.walk(logs)) {
        return String.join("\n", files.filter(Files::isRegularFile).map(file -> {
          try {
            return Files.readString(file);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }).toList());
      }
    }
  }
}
