package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Managing users")
class UserManagementTest {

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

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @Test
  @DisplayName("an admin creates, reads, updates and deletes a user")
  void adminManagesUsers() {
    String username = unique("crud");

    JsonObject created = admin.createUser(username, "first-password", "user");
    long id = created.getLong("id");
    assertThat(created.getString("username")).isEqualTo(username);
    assertThat(created.getBoolean("active")).isTrue();
    assertThat(created.fieldNames()).doesNotContain("password", "password_hash");
    assertThat(admin.get("/v2/users/" + id).json().getString("username")).isEqualTo(username);

    Response duplicate = admin.post("/v2/users", new JsonObject().put("username", username).put("password", "other-password"));
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(duplicate.json().getString("message")).contains(username);

    Response renamed = admin.patch("/v2/users/" + id, new JsonObject().put("full_name", "Renamed Person")
        .put("password", "second-password"));
    assertThat(renamed.status()).isEqualTo(200);
    assertThat(renamed.json().getString("full_name")).isEqualTo("Renamed Person");
    assertThat(nodes.api(1).loginAttempt(username, "first-password").status()).isEqualTo(401);
    assertThat(nodes.api(1).loginAttempt(username, "second-password").status()).isEqualTo(200);

    assertThat(admin.delete("/v2/users/" + id).status()).isEqualTo(204);
    Response gone = admin.get("/v2/users/" + id);
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.json().getString("reason")).isEqualTo("NotFound");
    assertThat(admin.delete("/v2/users/" + id).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("deactivating a user refuses their login and ends their session and API keys; activating restores them")
  void deactivationLocksTheUserOut() {
    String username = unique("inactive");
    long id = admin.createUser(username, "user-password", "user").getLong("id");
    Api session = nodes.api(1).login(username, "user-password");
    String key = session.createKey(unique("key"), "*").getString("value");
    Api keyClient = nodes.api(1).withKey(key);
    assertThat(keyClient.get("/v2/users/me").status()).isEqualTo(200);

    Response deactivated = admin.patch("/v2/users/" + id, new JsonObject().put("active", false));

    assertThat(deactivated.status()).isEqualTo(200);
    assertThat(deactivated.json().getBoolean("active")).isFalse();
    assertThat(nodes.api(1).loginAttempt(username, "user-password").status()).isEqualTo(401);
    assertThat(session.get("/v2/users/me").status()).isEqualTo(401);
    assertThat(keyClient.get("/v2/users/me").status()).isEqualTo(401);

    assertThat(admin.patch("/v2/users/" + id, new JsonObject().put("active", true)).status()).isEqualTo(200);

    assertThat(nodes.api(1).loginAttempt(username, "user-password").status()).isEqualTo(200);
    assertThat(keyClient.get("/v2/users/me").status()).isEqualTo(200);
    assertThat(session.get("/v2/users/me").status()).as("the ended session stays ended").isEqualTo(401);
  }

  @Test
  @DisplayName("a user is refused the admin-only user list with 403 until promoted to admin")
  void rolesDecideAccess() {
    String username = unique("role");
    long id = admin.createUser(username, "user-password", "user").getLong("id");
    Api user = nodes.api(1).login(username, "user-password");

    Response forbidden = user.get("/v2/users");
    assertThat(forbidden.status()).isEqualTo(403);
    assertThat(forbidden.json().getString("reason")).isEqualTo("Forbidden");
    assertThat(forbidden.json().getString("message")).containsIgnoringCase("admin");
    assertThat(user.get("/v2/users/" + id).status()).isEqualTo(403);
    assertThat(user.post("/v2/users", new JsonObject().put("username", unique("x")).put("password", "whatever-1"))
        .status()).isEqualTo(403);
    assertThat(user.patch("/v2/users/" + id, new JsonObject().put("role", "admin")).status())
        .as("a user cannot promote themself").isEqualTo(403);
    assertThat(user.get("/v2/users/me").status()).isEqualTo(200);

    try {
      assertThat(admin.patch("/v2/users/" + id, new JsonObject().put("role", "admin")).json().getString("role"))
          .isEqualTo("admin");
      assertThat(user.get("/v2/users").status()).as("the same session, now as an admin").isEqualTo(200);
    } finally {
      admin.patch("/v2/users/" + id, new JsonObject().put("role", "user"));
    }
    assertThat(user.get("/v2/users").status()).as("a demotion ends the user's sessions").isEqualTo(401);
    assertThat(nodes.api(1).login(username, "user-password").get("/v2/users").status()).isEqualTo(403);
  }

  @Test
  @DisplayName("the last active admin cannot deactivate or demote themself (409)")
  void lastAdminStays() {
    JsonObject me = admin.get("/v2/users/me").json();
    long activeAdmins = admin.get("/v2/users?perPage=1000").items().stream().map(JsonObject.class::cast)
        .filter(u -> "admin".equals(u.getString("role")) && u.getBoolean("active")).count();
    assertThat(activeAdmins).as("precondition: only the bootstrap admin is an active admin").isEqualTo(1);

    Response deactivate = admin.patch("/v2/users/" + me.getLong("id"), new JsonObject().put("active", false));
    Response demote = admin.patch("/v2/users/" + me.getLong("id"), new JsonObject().put("role", "user"));

    assertThat(deactivate.status()).isEqualTo(409);
    assertThat(deactivate.json().getString("reason")).isEqualTo("Conflict");
    assertThat(deactivate.json().getString("message")).contains("last active admin");
    assertThat(demote.status()).isEqualTo(409);
    JsonObject after = admin.get("/v2/users/me").json();
    assertThat(after.getBoolean("active")).isTrue();
    assertThat(after.getString("role")).isEqualTo("admin");
  }

  @Test
  @DisplayName("an admin cannot delete their own user (409)")
  void adminCannotDeleteSelf() {
    long id = admin.get("/v2/users/me").json().getLong("id");

    Response delete = admin.delete("/v2/users/" + id);

    assertThat(delete.status()).isEqualTo(409);
    assertThat(admin.get("/v2/users/me").status()).isEqualTo(200);
  }
}
