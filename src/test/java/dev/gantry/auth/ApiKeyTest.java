package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.Api.Response;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("API keys")
class ApiKeyTest {

  private static final String KEY_SHAPE = "gt-[a-z0-9]{12}-[A-Za-z0-9]{40}";

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

  private static Api newUser() {
    String username = unique("keys");
    admin.createUser(username, "user-password", "user");
    return nodes.api(1).login(username, "user-password");
  }

  @Test
  @DisplayName("creating a key answers its full value once; lists and reads show it masked")
  void valueIsShownOnce() {
    Api user = newUser();
    String name = unique("ci");

    JsonObject created = user.createKey(new JsonObject().put("name", name).put("description", "for CI")
        .put("scope", "management"));

    String value = created.getString("value");
    assertThat(value).matches(KEY_SHAPE).startsWith("gt-" + created.getString("id") + "-");
    assertThat(created.fieldNames()).doesNotContain("secret_hash", "secret_hint");
    String masked = "gt-" + created.getString("id") + "-****" + value.substring(value.length() - 4);
    JsonObject listed = user.get("/v2/api-keys").items().stream().map(JsonObject.class::cast)
        .filter(k -> k.getString("id").equals(created.getString("id"))).findFirst().orElseThrow();
    assertThat(listed.getString("value")).isEqualTo(masked);
    assertThat(listed.getString("name")).isEqualTo(name);
    assertThat(listed.getString("scope")).isEqualTo("management");
    assertThat(listed.fieldNames()).doesNotContain("secret_hash", "secret_hint");
    assertThat(user.get("/v2/api-keys/" + created.getString("id")).json().getString("value")).isEqualTo(masked);
    assertThat(user.get("/v2/api-keys").body()).doesNotContain(value.substring(16));
  }

  @Test
  @DisplayName("a key with scope management or * works as a Bearer token on /v2; scope inference gets 403")
  void scopeDecidesManagementAccess() {
    Api user = newUser();
    String me = user.get("/v2/users/me").json().getString("username");
    Api management = nodes.api(1).withKey(user.createKey(unique("m"), "management").getString("value"));
    Api everything = nodes.api(1).withKey(user.createKey(unique("all"), "*").getString("value"));
    Api inference = nodes.api(1).withKey(user.createKey(unique("inf"), "inference").getString("value"));

    assertThat(management.get("/v2/users/me").json().getString("username")).isEqualTo(me);
    assertThat(everything.get("/v2/users/me").json().getString("username")).isEqualTo(me);
    assertThat(everything.get("/v2/nodes").status()).isEqualTo(200);
    Response refused = inference.get("/v2/users/me");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.json().getString("message")).contains("inference").contains("management");
  }

  @Test
  @DisplayName("an unknown or malformed Bearer key is 401")
  void unknownKeyIsRefused() {
    Response madeUp = nodes.api(1).withKey("gt-abcdefghijkm-" + "A".repeat(40)).get("/v2/users/me");
    Response garbage = nodes.api(1).withKey("not-a-key").get("/v2/users/me");

    assertThat(madeUp.status()).isEqualTo(401);
    assertThat(garbage.status()).isEqualTo(401);
    assertThat(madeUp.json().getString("reason")).isEqualTo("Unauthorized");
  }

  @Test
  @DisplayName("DELETE revokes a key: it is refused with 401 afterwards")
  void deleteRevokes() {
    Api user = newUser();
    JsonObject key = user.createKey(unique("short-lived"), "*");
    Api keyClient = nodes.api(1).withKey(key.getString("value"));
    assertThat(keyClient.get("/v2/users/me").status()).isEqualTo(200);

    assertThat(user.delete("/v2/api-keys/" + key.getString("id")).status()).isEqualTo(204);

    assertThat(keyClient.get("/v2/users/me").status()).isEqualTo(401);
    assertThat(user.get("/v2/api-keys/" + key.getString("id")).status()).isEqualTo(404);
    assertThat(user.delete("/v2/api-keys/" + key.getString("id")).status()).isEqualTo(404);
  }

  @Test
  @DisplayName("a key past its expiry is refused with 401")
  void expiredKeyIsRefused() {
    Api user = newUser();
    Instant before = Instant.now();
    JsonObject key = user.createKey(new JsonObject().put("name", unique("expiring")).put("expires_in", 2));
    Instant after = Instant.now();
    Api keyClient = nodes.api(1).withKey(key.getString("value"));
    Instant expiresAt = Instant.parse(key.getString("expires_at"));
    assertThat(expiresAt).isBetween(before.plusSeconds(2).minusMillis(1), after.plusSeconds(2).plusMillis(1));
    assertThat(keyClient.get("/v2/users/me").status()).as("before expiry").isEqualTo(200);

    Eventually.await(Duration.ofSeconds(10), () -> assertThat(keyClient.get("/v2/users/me").status()).isEqualTo(401));

    assertThat(Instant.now()).isAfterOrEqualTo(expiresAt);
  }

  @Test
  @DisplayName("a user neither sees nor deletes another user's key (404); an admin sees and reads all keys")
  void keysBelongToTheirOwner() {
    Api owner = newUser();
    Api stranger = newUser();
    JsonObject key = owner.createKey(unique("private"), "*");
    String id = key.getString("id");

    assertThat(stranger.get("/v2/api-keys/" + id).status()).isEqualTo(404);
    assertThat(stranger.delete("/v2/api-keys/" + id).status()).isEqualTo(404);
    assertThat(stranger.get("/v2/api-keys").items().stream().map(JsonObject.class::cast)
        .map(k -> k.getString("id"))).doesNotContain(id);
    assertThat(nodes.api(1).withKey(key.getString("value")).get("/v2/users/me").status())
        .as("the stranger's delete did not revoke it").isEqualTo(200);

    assertThat(admin.get("/v2/api-keys?perPage=1000").items().stream().map(JsonObject.class::cast)
        .map(k -> k.getString("id"))).contains(id);
    assertThat(admin.get("/v2/api-keys/" + id).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("PostgreSQL stores only a hash of the secret, never the key itself")
  void onlyTheHashIsStored() throws Exception {
    Api user = newUser();
    JsonObject key = user.createKey(unique("stored"), "*");
    String value = key.getString("value");
    String secret = value.substring(value.lastIndexOf('-') + 1);

    List<Map<String, Object>> rows = TestPostgres.shared().query(TestPostgres.databaseOf(nodes.dbUrl()),
        "SELECT row_to_json(k)::text AS row, secret_hash FROM api_keys k WHERE id = ?", key.getString("id"));

    assertThat(rows).hasSize(1);
    assertThat((String) rows.get(0).get("row")).doesNotContain(secret).doesNotContain(value);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(secret.getBytes(StandardCharsets.UTF_8)));
    assertThat(rows.get(0).get("secret_hash")).isEqualTo(sha256);
  }

  private static List<String> keyIds(Api user) {
    return user.get("/v2/api-keys?perPage=1000").items().stream().map(JsonObject.class::cast)
        .map(k -> k.getString("id")).toList();
  }

  @Test
  @DisplayName("a * key restricted to one model creates keys only for that model: an unrestricted one or another model's is 403")
  void aRestrictedKeyCannotMintAWiderKey() {
    Api user = newUser();
    Api restricted = nodes.api(1).withKey(user.createKey(new JsonObject().put("name", unique("one-model")).put("scope", "*")
        .put("allowed_models", new io.vertx.core.json.JsonArray().add("m1"))).getString("value"));
    List<String> before = keyIds(user);

    Response unrestricted = restricted.post("/v2/api-keys", new JsonObject().put("name", unique("wide")));
    Response otherModel = restricted.post("/v2/api-keys", new JsonObject().put("name", unique("other"))
        .put("allowed_models", new io.vertx.core.json.JsonArray().add("m1").add("m2")));

    assertThat(unrestricted.status()).as(unrestricted.toString()).isEqualTo(403);
    assertThat(unrestricted.json().getString("message")).contains("allowed_models");
    assertThat(otherModel.status()).isEqualTo(403);
    assertThat(otherModel.json().getString("message")).contains("[m2]");
    assertThat(keyIds(user)).containsExactlyInAnyOrderElementsOf(before);
    JsonObject narrow = Api.expect(restricted.post("/v2/api-keys", new JsonObject().put("name", unique("narrow"))
        .put("allowed_models", new io.vertx.core.json.JsonArray().add("m1"))), 201);
    assertThat(narrow.getJsonArray("allowed_models").getList()).containsExactly("m1");
  }

  @Test
  @DisplayName("a management key creates only management keys")
  void aManagementKeyCannotMintAStarKey() {
    Api user = newUser();
    Api management = nodes.api(1).withKey(user.createKey(unique("mgmt"), "management").getString("value"));

    Response star = management.post("/v2/api-keys", new JsonObject().put("name", unique("star")).put("scope", "*"));
    Response inference = management.post("/v2/api-keys", new JsonObject().put("name", unique("inf")).put("scope", "inference"));

    assertThat(star.status()).isEqualTo(403);
    assertThat(star.json().getString("message")).contains("scope 'management'");
    assertThat(inference.status()).isEqualTo(403);
    assertThat(management.post("/v2/api-keys", new JsonObject().put("name", unique("same")).put("scope", "management"))
        .status()).isEqualTo(201);
  }

  @Test
  @DisplayName("a key that expires creates only keys that expire no later; a session creates any key")
  void aKeyCannotMintAKeyThatOutlivesIt() {
    Api user = newUser();
    Api expiring = nodes.api(1).withKey(user.createKey(new JsonObject().put("name", unique("hour"))
        .put("expires_in", 3600)).getString("value"));
    List<String> before = keyIds(user);

    Response forever = expiring.post("/v2/api-keys", new JsonObject().put("name", unique("forever")));
    Response longer = expiring.post("/v2/api-keys", new JsonObject().put("name", unique("longer")).put("expires_in", 7200));

    assertThat(forever.status()).isEqualTo(403);
    assertThat(forever.json().getString("message")).contains("expires_in");
    assertThat(longer.status()).isEqualTo(403);
    assertThat(longer.json().getString("message")).contains("outlive");
    assertThat(keyIds(user)).containsExactlyInAnyOrderElementsOf(before);
    assertThat(expiring.post("/v2/api-keys", new JsonObject().put("name", unique("shorter")).put("expires_in", 600))
        .status()).isEqualTo(201);
    assertThat(user.post("/v2/api-keys", new JsonObject().put("name", unique("by-session"))).status()).isEqualTo(201);
  }
}
