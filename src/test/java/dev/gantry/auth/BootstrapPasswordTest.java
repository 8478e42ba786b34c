package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.GantryNode;
import dev.gantry.cluster.ClusterSecret;
import dev.gantry.config.StartCommand;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * A node started without {@code --bootstrap-password} generates the admin's password; that admin must
 * choose a new one before doing anything else, and the file with the generated one goes away then.
 */
@DisplayName("The bootstrap admin with a generated password must choose a new one at first sign-in")
class BootstrapPasswordTest {

  private static Path dataDir;
  private static GantryNode node;
  private static Api api;

  @BeforeAll
  static void startWithoutBootstrapPassword() throws Exception {
    dataDir = TestFiles.tempDir("gantry-bootstrap-");
    int port = Ports.free();
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).parseArgs("--data-dir", dataDir.toString(), "--host", "127.0.0.1",
        "--port", String.valueOf(port), "--cluster-port", String.valueOf(Ports.free()), "--node-name", "bootstrap-1",
        "--db-url", TestPostgres.shared().newDatabase("gantry_bootstrap"), "--http-instances", "1",
        "--cluster-secret", ClusterSecret.generate());
    node = GantryNode.start(command.toConfig());
    api = new Api("http://127.0.0.1:" + port);
  }

  @AfterAll
  static void stop() {
    if (node != null) {
      node.close();
    }
    TestFiles.deleteRecursively(dataDir);
  }

  @Test
  void everythingButThePasswordChangeIsRefusedUntilItIsDone() throws Exception {
    Path file = dataDir.resolve(AdminBootstrap.PASSWORD_FILE);
    String generated = Files.readString(file).strip();

    Api.Response login = api.loginAttempt("admin", generated);
    assertThat(login.status()).isEqualTo(200);
    assertThat(login.json().getBoolean("password_change_required")).isTrue();
    Api admin = api.withCookie(Api.sessionCookie(login));
    for (String path : List.of("/v2/models", "/v2/users", "/v2/api-keys", "/v2/nodes")) {
      Api.Response refused = admin.get(path);
      assertThat(refused.status()).as(path).isEqualTo(403);
      assertThat(refused.json().getString("message")).contains("PATCH /v2/users/me", "current_password");
    }
    assertThat(admin.post("/v2/api-keys", new JsonObject().put("name", "sneaky").put("scope", "management")).status())
        .isEqualTo(403);
    assertThat(admin.get("/v2/users/me").json().getBoolean("password_change_required")).isTrue();
    assertThat(Files.exists(file)).isTrue();

    assertThat(admin.patch("/v2/users/me", new JsonObject().put("current_password", generated)
        .put("password", generated)).status()).as("the same password again").isEqualTo(400);
    Api.expect(admin.patch("/v2/users/me", new JsonObject().put("current_password", generated)
        .put("password", "chosen-by-the-admin-1")), 200);

    assertThat(admin.get("/v2/models").status()).as("the same session, now free").isEqualTo(200);
    assertThat(admin.get("/v2/users/me").json().getBoolean("password_change_required")).isFalse();
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(Files.exists(file)).as("the file is removed").isFalse());
    assertThat(api.loginAttempt("admin", generated).status()).isEqualTo(401);
    assertThat(api.loginAttempt("admin", "chosen-by-the-admin-1").json().getBoolean("password_change_required")).isFalse();
  }
}
