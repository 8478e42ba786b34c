package dev.gantry.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gantry.cluster.ClusterMaps;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.OpenStream;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Ending access ends everything opened with it, on every node: a watch stream and a log follow opened on
 * node 2 end within 1 s of a logout, deactivation, demotion, password change, "sign out everywhere",
 * deletion or key revocation made on node 1, and the old cookie or key is refused at once.
 */
@DisplayName("Revoked access ends sessions, watches and log follows on every node")
class SessionRevocationTest {

  private static final Duration ONE_SECOND = Duration.ofSeconds(1);
  private static TestNodes nodes;
  private static Api admin;
  private static Path dir;
  private static String logsPath;

  @BeforeAll
  static void startCluster() throws Exception {
    nodes = TestNodes.start(2);
    admin = nodes.admin(1);
    dir = TestFiles.tempDir("gantry-revocation-");
    Path file = Files.writeString(dir.resolve("model.bin"), "not a real model");
    String model = "follow-me-" + UUID.randomUUID().toString().substring(0, 6);
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("backend", "custom")
        .put("run_command", "sh -c 'echo engine-started; exec sleep 3600'").put("local_path", file.toString())
        .put("estimate_override_bytes", 1L << 20).put("replicas", 1)), 201);
    String[] id = {null};
    Eventually.await(Duration.ofSeconds(60), () -> {
      List<Object> items = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200)
          .getJsonArray("items").getList();
      assertThat(items).hasSize(1);
      JsonObject instance = JsonObject.mapFrom(items.get(0));
      assertThat(instance.getString("node_name")).isNotNull();
      id[0] = instance.getString("id");
    });
    logsPath = "/v2/model-instances/" + id[0] + "/logs?follow=true&tail=10";
  }

  @AfterAll
  static void stopCluster() {
    if (nodes != null) {
      nodes.close();
      TestFiles.deleteRecursively(dir);
    }
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A fresh admin (log follows are for admins) and its id. */
  private static long newAdmin(String username) {
    return admin.createUser(username, "first-password-1", "admin").getLong("id");
  }

  /** A watch stream and a log follow on node 2, as the given client (cookie or key). */
  private record Streams(OpenStream watch, OpenStream follow) implements AutoCloseable {

    static Streams openOnNode2(Api caller) {
      Api onNode2 = caller.on(nodes.url(2));
      return new Streams(OpenStream.open(onNode2, "/v2/api-keys?watch=true"), OpenStream.open(onNode2, logsPath));
    }

    void assertEndWithinOneSecond() {
      assertThat(watch.endsWithin(ONE_SECOND)).as("the watch stream ended within 1 s").isTrue();
      assertThat(follow.endsWithin(ONE_SECOND)).as("the log follow ended within 1 s").isTrue();
    }

    void assertStillOpen() {
      assertThat(watch.ended()).as("the watch stream is still open").isFalse();
      assertThat(follow.ended()).as("the log follow is still open").isFalse();
    }

    @Override
    public void close() {
      watch.close();
      follow.close();
    }
  }

  /** Refused on the other node within the second the design promises (its copy of the maps follows the change). */
  private static void assertRefusedOnNode2(Api caller) {
    Eventually.await(Duration.ofSeconds(1), () -> assertThat(caller.on(nodes.url(2)).get("/v2/users/me").status()).isEqualTo(401));
  }

  @Test
  void logoutOnOneNodeEndsTheSessionsStreamsOnAnother() {
    String username = unique("logout");
    newAdmin(username);
    Api user = nodes.api(1).login(username, "first-password-1");
    Api other = nodes.api(1).login(username, "first-password-1");
    try (Streams streams = Streams.openOnNode2(user); Streams untouched = Streams.openOnNode2(other)) {
      assertThat(user.post("/auth/logout", new JsonObject()).status()).isEqualTo(204);
      streams.assertEndWithinOneSecond();
      assertRefusedOnNode2(user);
      untouched.assertStillOpen();
      assertThat(other.on(nodes.url(2)).get("/v2/users/me").status()).as("another session of the user").isEqualTo(200);
    }
  }

  @Test
  void deactivationEndsEverySessionAndKeyStream() {
    String username = unique("deactivated");
    long id = newAdmin(username);
    Api user = nodes.api(1).login(username, "first-password-1");
    Api key = nodes.api(1).withKey(user.createKey(unique("k"), "management").getString("value"));
    try (Streams bySession = Streams.openOnNode2(user); Streams byKey = Streams.openOnNode2(key)) {
      Api.expect(admin.patch("/v2/users/" + id, new JsonObject().put("active", false)), 200);
      bySession.assertEndWithinOneSecond();
      byKey.assertEndWithinOneSecond();
      assertRefusedOnNode2(user);
      assertRefusedOnNode2(key);
    }
    Api.expect(admin.patch("/v2/users/" + id, new JsonObject().put("active", true)), 200);
    assertThat(user.get("/v2/users/me").status()).as("reactivation does not revive an ended session").isEqualTo(401);
  }

  @Test
  void demotionEndsTheSessionsAndStreams() {
    String username = unique("demoted");
    long id = newAdmin(username);
    Api user = nodes.api(1).login(username, "first-password-1");
    try (Streams streams = Streams.openOnNode2(user)) {
      Api.expect(admin.patch("/v2/users/" + id, new JsonObject().put("role", "user")), 200);
      streams.assertEndWithinOneSecond();
      assertRefusedOnNode2(user);
    }
    assertThat(nodes.api(2).login(username, "first-password-1").get("/v2/users/me").json().getString("role"))
        .isEqualTo("user");
  }

  @Test
  void aPasswordChangeEndsTheOtherSessionsButNotTheOneThatChangedIt() {
    String username = unique("changer");
    newAdmin(username);
    Api stays = nodes.api(1).login(username, "first-password-1");
    Api ends = nodes.api(2).login(username, "first-password-1");
    Api key = nodes.api(1).withKey(stays.createKey(unique("k"), "management").getString("value"));
    try (Streams streams = Streams.openOnNode2(ends); Streams byKey = Streams.openOnNode2(key)) {
      Api.expect(stays.patch("/v2/users/me", new JsonObject().put("current_password", "first-password-1")
          .put("password", "second-password-2")), 200);
      streams.assertEndWithinOneSecond();
      assertRefusedOnNode2(ends);
      byKey.assertStillOpen();
    }
    assertThat(stays.on(nodes.url(2)).get("/v2/users/me").status()).as("the changing session continues").isEqualTo(200);
    assertThat(nodes.api(2).loginAttempt(username, "first-password-1").status()).isEqualTo(401);
    assertThat(nodes.api(2).loginAttempt(username, "second-password-2").status()).isEqualTo(200);
  }

  @Test
  void signOutEverywhereEndsEverySessionButKeepsKeys() {
    String username = unique("everywhere");
    long id = newAdmin(username);
    Api first = nodes.api(1).login(username, "first-password-1");
    Api second = nodes.api(2).login(username, "first-password-1");
    Api key = nodes.api(1).withKey(first.createKey(unique("k"), "management").getString("value"));
    try (Streams streams = Streams.openOnNode2(first)) {
      assertThat(admin.post("/v2/users/" + id + "/sign-out", new JsonObject()).status()).isEqualTo(204);
      streams.assertEndWithinOneSecond();
      assertRefusedOnNode2(first);
      assertRefusedOnNode2(second);
    }
    assertThat(key.on(nodes.url(2)).get("/v2/users/me").status()).as("API keys are not sessions").isEqualTo(200);
    assertThat(admin.post("/v2/users/987654321/sign-out", new JsonObject()).status()).isEqualTo(404);
    Api self = nodes.api(1).login(username, "first-password-1");
    assertThat(self.post("/v2/users/me/sign-out", new JsonObject()).status()).isEqualTo(204);
    assertRefusedOnNode2(self);
  }

  @Test
  void deletionEndsTheStreams() {
    String username = unique("deleted");
    long id = newAdmin(username);
    Api user = nodes.api(1).login(username, "first-password-1");
    try (Streams streams = Streams.openOnNode2(user)) {
      assertThat(admin.delete("/v2/users/" + id).status()).isEqualTo(204);
      streams.assertEndWithinOneSecond();
      assertRefusedOnNode2(user);
    }
  }

  @Test
  void keyRevocationEndsTheKeysStreamsOnly() {
    String username = unique("keyed");
    newAdmin(username);
    Api user = nodes.api(1).login(username, "first-password-1");
    JsonObject created = user.createKey(unique("k"), "management");
    Api key = nodes.api(1).withKey(created.getString("value"));
    try (Streams byKey = Streams.openOnNode2(key); Streams bySession = Streams.openOnNode2(user)) {
      assertThat(user.delete("/v2/api-keys/" + created.getString("id")).status()).isEqualTo(204);
      byKey.assertEndWithinOneSecond();
      assertRefusedOnNode2(key);
      bySession.assertStillOpen();
    }
  }

  @Test
  void aKeyThatExpiresEndsItsStreamsWhenItDoes() {
    String username = unique("expiring");
    newAdmin(username);
    Api user = nodes.api(1).login(username, "first-password-1");
    JsonObject created = user.createKey(new JsonObject().put("name", unique("k")).put("scope", "management")
        .put("expires_in", 3));
    Api key = nodes.api(1).withKey(created.getString("value"));
    try (Streams byKey = Streams.openOnNode2(key)) {
      byKey.assertStillOpen();
      assertThat(byKey.watch().endsWithin(Duration.ofSeconds(5))).as("the watch ended when the key expired").isTrue();
      assertThat(byKey.follow().endsWithin(ONE_SECOND)).as("the log follow ended with it").isTrue();
      assertRefusedOnNode2(key);
    }
  }

  @Test
  void theSessionMapHoldsNoCookieValue() {
    Api.Response login = nodes.api(1).loginAttempt(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    String raw = Api.sessionCookie(login).substring((Api.SESSION_COOKIE + "=").length());
    IMap<String, String> sessions = hazelcast(2).getMap(ClusterMaps.SESSIONS);

    assertThat(raw).hasSizeGreaterThanOrEqualTo(43);
    assertThat(sessions.containsKey(ClusterSessions.hash(raw))).as("kept under its hash").isTrue();
    assertThat(sessions.keySet()).noneMatch(key -> key.contains(raw));
    assertThat(sessions.values()).isNotEmpty().noneMatch(value -> value.contains(raw));
  }

  @Test
  void watchersPerUserAreCapped() {
    String username = unique("watcher");
    newAdmin(username);
    Api user = nodes.api(2).login(username, "first-password-1");
    List<OpenStream> open = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < LiveStreams.MAX_WATCHES_PER_USER; i++) {
        open.add(OpenStream.open(user, "/v2/api-keys?watch=true"));
      }
      Api.Response refused = user.get("/v2/api-keys?watch=true");
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.json().getString("message")).contains("watch streams", "at most " + LiveStreams.MAX_WATCHES_PER_USER);
      assertThat(refused.header("Retry-After")).isPresent();
      OpenStream.open(admin.on(nodes.url(2)), "/v2/api-keys?watch=true").close();
    } finally {
      open.forEach(OpenStream::close);
    }
    Eventually.await(Duration.ofSeconds(10), () -> OpenStream.open(user, "/v2/api-keys?watch=true").close());
  }

  private static HazelcastInstance hazelcast(int index) {
    List<String> args = nodes.args(index);
    String port = args.get(args.indexOf("--cluster-port") + 1);
    return Hazelcast.getAllHazelcastInstances().stream()
        .filter(h -> String.valueOf(h.getCluster().getLocalMember().getAddress().getPort()).equals(port))
        .findFirst().orElseThrow();
  }
}
