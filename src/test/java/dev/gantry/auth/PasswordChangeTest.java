package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Changing a password: the current one and a session are needed; other sessions end")
class PasswordChangeTest {

  private static TestNodes nodes;
  private static Api admin;

  @BeforeAll
  static void startNode() {
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  private static String newUser() {
    String username = "pw-" + UUID.randomUUID().toString().substring(0, 8);
    admin.createUser(username, "old-password-1", "user");
    return username;
  }

  private static JsonObject change(String current, String next) {
    JsonObject body = new JsonObject().put("password", next);
    return current == null ? body : body.put("current_password", current);
  }

  @Test
  void needsTheCurrentPassword() {
    String username = newUser();
    Api user = nodes.api(1).login(username, "old-password-1");

    Api.Response missing = user.patch("/v2/users/me", change(null, "new-password-2"));
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getString("message")).contains("current_password");

    Api.Response wrong = user.patch("/v2/users/me", change("not-my-password", "new-password-2"));
    assertThat(wrong.status()).isEqualTo(403);
    assertThat(wrong.json().getString("message")).contains("current_password is wrong");

    assertThat(nodes.api(1).loginAttempt(username, "old-password-1").status()).as("unchanged").isEqualTo(200);
    assertThat(user.patch("/v2/users/me", new JsonObject().put("full_name", "No Password Needed")).status())
        .as("other fields need no password").isEqualTo(200);
  }

  @Test
  void cannotBeDoneWithAnApiKey() {
    String username = newUser();
    Api user = nodes.api(1).login(username, "old-password-1");
    Api key = nodes.api(1).withKey(user.createKey("k", "management").getString("value"));

    Api.Response refused = key.patch("/v2/users/me", change("old-password-1", "new-password-2"));
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("message")).contains("session", "not with an API key");
    assertThat(nodes.api(1).loginAttempt(username, "old-password-1").status()).isEqualTo(200);
  }

  @Test
  void endsTheOtherSessionsAndKeepsThisOne() {
    String username = newUser();
    Api mine = nodes.api(1).login(username, "old-password-1");
    Api other = nodes.api(1).login(username, "old-password-1");

    Api.expect(mine.patch("/v2/users/me", change("old-password-1", "new-password-2")), 200);

    assertThat(mine.get("/v2/users/me").status()).isEqualTo(200);
    assertThat(other.get("/v2/users/me").status()).isEqualTo(401);
    assertThat(other.get("/v2/users/me").json().getString("message")).contains("sign in again");
    assertThat(nodes.api(1).loginAttempt(username, "new-password-2").status()).isEqualTo(200);
  }

  @Test
  void anAdminSettingAPasswordEndsThatUsersSessions() {
    String username = newUser();
    Api user = nodes.api(1).login(username, "old-password-1");
    long id = user.get("/v2/users/me").json().getLong("id");

    Api.expect(admin.patch("/v2/users/" + id, new JsonObject().put("password", "set-by-admin-3")), 200);

    assertThat(user.get("/v2/users/me").status()).isEqualTo(401);
    assertThat(admin.get("/v2/users/me").status()).as("the admin's own session goes on").isEqualTo(200);
    assertThat(nodes.api(1).loginAttempt(username, "set-by-admin-3").status()).isEqualTo(200);
  }
}
