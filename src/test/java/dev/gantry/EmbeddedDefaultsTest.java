package dev.gantry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.config.SocketTransport;
import dev.gantry.config.StartCommand;
import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.json.JsonObject;
import io.vertx.core.transport.Transport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

@DisplayName("A single node with embedded defaults: its own PostgreSQL, a generated admin password, health, metrics")
class EmbeddedDefaultsTest {

  private static Path dataDir;
  private static List<String> args;
  private static GantryNode node;
  private static String url;
  /** What the first start left in initial_admin_password, and that file's permissions, before the change. */
  private static String generatedPassword;
  private static String generatedFileMode;
  private static Response firstLogin;
  private static final String CHOSEN_PASSWORD = "chosen-admin-password-1";

  @BeforeAll
  static void startWithDefaults() throws Exception {
    dataDir = TestFiles.tempDir("gantry-embedded-");
    int port = Ports.free();
    url = "http://127.0.0.1:" + port;
    args = List.of("--data-dir", dataDir.toString(), "--port", String.valueOf(port),
        "--cluster-port", String.valueOf(Ports.free()), "--embedded-db-port", String.valueOf(Ports.free()),
        "--node-name", "embedded-" + UUID.randomUUID().toString().substring(0, 6));
    node = start();
    Path file = dataDir.resolve("initial_admin_password");
    generatedFileMode = PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
    generatedPassword = Files.readString(file).strip();
    firstLogin = new Api(url).loginAttempt("admin", generatedPassword);
    Api.expect(new Api(url).withCookie(Api.sessionCookie(firstLogin)).patch("/v2/users/me", new JsonObject()
        .put("current_password", generatedPassword).put("password", CHOSEN_PASSWORD)), 200);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestFiles.deleteRecursively(dataDir);
  }

  private static GantryNode start() throws Exception {
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return GantryNode.start(command.toConfig());
  }

  /** The admin, with the password chosen at the first sign-in (a generated one must be replaced). */
  private static Api admin() {
    return new Api(url).login("admin", CHOSEN_PASSWORD);
  }

  @Test
  @DisplayName("the first start writes a random admin password to initial_admin_password, readable by the owner only, "
      + "until the admin replaces it")
  void writesInitialAdminPassword() throws Exception {
    assertThat(generatedFileMode).isEqualTo("rw-------");
    assertThat(generatedPassword).hasSizeGreaterThanOrEqualTo(16);
    assertThat(firstLogin.status()).isEqualTo(200);
    assertThat(firstLogin.json().getBoolean("password_change_required")).isTrue();
    Eventually.await(Duration.ofSeconds(5), () ->
        assertThat(dataDir.resolve("initial_admin_password")).as("removed once replaced").doesNotExist());
    assertThat(new Api(url).loginAttempt("admin", generatedPassword).status()).isEqualTo(401);
    assertThat(dataDir.resolve("postgres")).as("PostgreSQL keeps its data in the data dir").isDirectory();
  }

  @Test
  @DisplayName("a restart on the same data directory keeps users and the admin password, and clears the file cache a killed node left")
  void restartKeepsData() throws Exception {
    String username = "survivor-" + UUID.randomUUID().toString().substring(0, 6);
    admin().createUser(username, "user-password", "user");

    node.close();
    node = null;
    Path left = Files.createDirectories(dataDir.resolve("file-cache").resolve("vertx-cache-left-by-a-killed-node"));
    Files.writeString(left.resolve("openapi.json"), "{}");
    node = start();

    assertThat(dataDir.resolve("initial_admin_password")).as("no new password is generated").doesNotExist();
    assertThat(left).as("the file cache a killed node left is deleted at the next start").doesNotExist();
    try (var caches = Files.list(dataDir.resolve("file-cache"))) {
      assertThat(caches.map(p -> p.getFileName().toString())).as("Vert.x's file cache is in the data folder")
          .singleElement().satisfies(name -> assertThat(name).startsWith("vertx-cache-"));
    }
    assertThat(new Api(url).loginAttempt(username, "user-password").status()).isEqualTo(200);
    assertThat(admin().get("/v2/users?search=admin").items()).hasSize(1);
  }

  @Test
  @DisplayName("its sockets ride the transport --socket-transport auto picks: io_uring or epoll on Linux")
  void socketsUseTheDefaultTransport() {
    Transport auto = SocketTransport.AUTO.resolve();
    String expected = auto == Transport.IO_URING ? "IoUring" : auto == Transport.EPOLL ? "Epoll" : "Nio";
    assertThat(((VertxInternal) node.vertx()).transport().ioHandlerFactory().getClass().getName()).contains(expected);
    // and that transport carried this class's requests, the database's included: health says the database is UP
    assertThat(new Api(url).get("/health/ready").status()).isEqualTo(200);
  }

  @Test
  @DisplayName("/health/live and /health/ready answer UP with the database, cluster and verticle checks")
  void health() {
    Response live = new Api(url).get("/health/live");
    Response ready = new Api(url).get("/health/ready");

    assertThat(live.status()).isEqualTo(200);
    assertThat(live.json().getString("status")).isEqualTo("UP");
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getJsonObject("checks").fieldNames()).contains("database", "cluster", "verticles");
    assertThat(ready.json().getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("UP");
  }

  @Test
  @DisplayName("/metrics is Prometheus text for admins (401 without sign-in) with JVM metrics and HTTP requests labelled by route")
  void metrics() throws Exception {
    Api admin = admin();
    assertThat(admin.get("/v2/users/987654321").status()).isEqualTo(404);
    assertThat(admin.get("/v2/users/me").status()).isEqualTo(200);

    Response anonymous = new Api(url).get("/metrics");
    Response metrics = admin.get("/metrics");

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.header("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    List<String> lines = metrics.body().lines().toList();
    assertThat(lines).anyMatch(l -> l.startsWith("# TYPE jvm_memory_used_bytes gauge"))
        .anyMatch(l -> l.startsWith("jvm_threads_live_threads"))
        .anyMatch(l -> l.startsWith("# TYPE vertx_http_server_requests_total counter"));
    List<String> requests = lines.stream().filter(l -> l.startsWith("vertx_http_server_requests_total{")).toList();
    assertThat(requests).anyMatch(l -> l.contains("route=\"") && l.contains("/v2/users/:id") && l.contains("code=\"404\""))
        .anyMatch(l -> l.contains("/v2/users/me") && l.contains("code=\"200\""));
    assertThat(metrics.body()).doesNotContain("987654321");
  }

  @Test
  @DisplayName("the node serves its OpenAPI 3.1 description without sign-in")
  void servesOpenApi() {
    Response openApi = new Api(url).get("/v2/openapi.json");

    assertThat(openApi.status()).isEqualTo(200);
    assertThat(openApi.json().getString("openapi")).startsWith("3.1");
    assertThat(openApi.json().getJsonObject("paths").fieldNames()).contains("/auth/login", "/v2/users", "/v2/api-keys", "/v2/nodes");
  }

  @Test
  @DisplayName("every response carries an X-Request-Id, the caller's own when it sends a valid one")
  void requestIds() {
    Response generated = new Api(url).get("/health/live");
    Response echoed = new Api(url).withHeader("X-Request-Id", "trace-1234.abc").get("/v2/users/me");
    Response replaced = new Api(url).withHeader("X-Request-Id", "bad id with spaces").get("/health/live");

    assertThat(generated.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).matches("[a-z0-9]{20}"));
    assertThat(echoed.status()).isEqualTo(401);
    assertThat(echoed.header("X-Request-Id")).contains("trace-1234.abc");
    assertThat(replaced.header("X-Request-Id")).hasValueSatisfying(id -> assertThat(id).isNotEqualTo("bad id with spaces"));
    assertThat(new Api(url).get("/health/live").header("X-Request-Id")).isNotEqualTo(generated.header("X-Request-Id"));
  }
}
