package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.SseClient;
import dev.gantry.testing.SseClient.Event;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

@DisplayName("Watching lists with ?watch=true (Server-Sent Events)")
class WatchStreamTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

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

  private static List<String> allUsernames() {
    return admin.get("/v2/users?perPage=1000").items().stream().map(JsonObject.class::cast)
        .map(u -> u.getString("username")).toList();
  }

  /** Takes CREATED events until every name was seen; answers the last one. */
  private static Event awaitSnapshot(SseClient watch, String field, List<String> expected) {
    Set<String> missing = new HashSet<>(expected);
    Event last = null;
    while (!missing.isEmpty()) {
      last = watch.awaitEvent(e -> e.event().equals("CREATED") && missing.contains(String.valueOf(e.item(field))), WAIT);
      missing.remove(String.valueOf(last.item(field)));
    }
    return last;
  }

  private static Event await(SseClient watch, String type, String field, Object value) {
    return watch.awaitEvent(e -> e.event().equals(type) && value.equals(e.item(field)), WAIT);
  }

  @Test
  @DisplayName("users: a CREATED per existing user, then CREATED, UPDATED and DELETED as they happen, ids increasing")
  void watchesUsers() {
    admin.createUser(unique("existing"), "user-password", "user");
    List<String> existing = allUsernames();

    try (SseClient watch = SseClient.watch(admin, "/v2/users")) {
      Event snapshotEnd = awaitSnapshot(watch, "username", existing);
      String username = unique("watched");

      long id = admin.createUser(username, "user-password", "user").getLong("id");
      Event created = await(watch, "CREATED", "username", username);
      admin.patch("/v2/users/" + id, new JsonObject().put("full_name", "Changed Name"));
      Event updated = await(watch, "UPDATED", "username", username);
      admin.delete("/v2/users/" + id);
      Event deleted = await(watch, "DELETED", "username", username);

      assertThat(watch.received().subList(0, existing.size())).allMatch(e -> e.event().equals("CREATED"))
          .extracting(e -> (String) e.item("username")).containsExactlyInAnyOrderElementsOf(existing);
      assertThat(created.json().getLong("id")).isEqualTo(id);
      assertThat(updated.json().getString("full_name")).isEqualTo("Changed Name");
      assertThat(created.id()).isGreaterThan(snapshotEnd.id());
      assertThat(updated.id()).isGreaterThan(created.id());
      assertThat(deleted.id()).isGreaterThan(updated.id());
      assertThat(watch.received()).extracting(Event::id).isSorted();
    }
  }

  @Test
  @DisplayName("nodes: a CREATED for the node, then UPDATED when its labels change")
  void watchesNodes() {
    String name = nodes.name(1);
    try (SseClient watch = SseClient.watch(admin, "/v2/nodes")) {
      Event snapshot = await(watch, "CREATED", "name", name);
      assertThat(snapshot.json().getString("state")).isEqualTo("ready");
      String team = unique("team");

      assertThat(admin.patch("/v2/nodes/" + name, new JsonObject().put("labels", new JsonObject().put("team", team)))
          .status()).isEqualTo(200);

      Event updated = watch.awaitEvent(e -> e.event().equals("UPDATED") && name.equals(e.item("name"))
          && team.equals(e.json().getJsonObject("labels").getString("team")), WAIT);
      assertThat(updated.id()).isGreaterThan(snapshot.id());
      assertThat(watch.received()).extracting(Event::id).isSorted();
    }
  }

  @Test
  @DisplayName("every event has an id of its own, each CREATED of a snapshot included (users, api-keys, nodes)")
  void everyEventHasItsOwnId() {
    admin.createUser(unique("one"), "user-password", "user");
    admin.createUser(unique("two"), "user-password", "user");
    admin.createKey(new JsonObject().put("name", unique("k1")));
    admin.createKey(new JsonObject().put("name", unique("k2")));
    List<String> users = allUsernames();
    List<String> keys = admin.get("/v2/api-keys?perPage=1000").items().stream().map(JsonObject.class::cast)
        .map(k -> k.getString("name")).toList();

    try (SseClient userWatch = SseClient.watch(admin, "/v2/users");
        SseClient keyWatch = SseClient.watch(admin, "/v2/api-keys");
        SseClient nodeWatch = SseClient.watch(admin, "/v2/nodes")) {
      awaitSnapshot(userWatch, "username", users);
      awaitSnapshot(keyWatch, "name", keys);
      await(nodeWatch, "CREATED", "name", nodes.name(1));
      String later = unique("later");
      admin.createUser(later, "user-password", "user");
      await(userWatch, "CREATED", "username", later);

      assertThat(users).hasSizeGreaterThanOrEqualTo(3);
      assertThat(keys).hasSizeGreaterThanOrEqualTo(2);
      for (SseClient watch : List.of(userWatch, keyWatch, nodeWatch)) {
        assertThat(watch.received()).extracting(Event::id).doesNotContainNull().doesNotHaveDuplicates().isSorted();
      }
    }
  }

  @Test
  @DisplayName("resuming after a snapshot's last item replays what changed since; after any other item, the snapshot again")
  void resumesAfterASnapshotOnlyFromItsLastItem() {
    admin.createUser(unique("some"), "user-password", "user");
    List<String> existing = allUsernames();
    long lastOfSnapshot;
    long firstOfSnapshot;
    try (SseClient first = SseClient.watch(admin, "/v2/users")) {
      Event last = awaitSnapshot(first, "username", existing);
      lastOfSnapshot = last.id();
      firstOfSnapshot = first.received().get(0).id();
    }
    String missed = unique("missed");
    admin.createUser(missed, "user-password", "user");

    try (SseClient resumed = SseClient.watch(admin, "/v2/users", lastOfSnapshot);
        SseClient cutShort = SseClient.watch(admin, "/v2/users", firstOfSnapshot)) {
      Event replayed = resumed.next(WAIT);
      awaitSnapshot(cutShort, "username", allUsernames());

      assertThat(replayed.event()).isEqualTo("CREATED");
      assertThat(replayed.item("username")).isEqualTo(missed);
      assertThat(replayed.id()).isGreaterThan(lastOfSnapshot);
      assertThat(firstOfSnapshot).isLessThan(lastOfSnapshot);
    }
  }

  @Test
  @DisplayName("nodes: a node's heartbeats send at most one UPDATED per 10 s; a label change arrives at once")
  void quietNodesAreQuiet() {
    String name = nodes.name(1);
    try (SseClient watch = SseClient.watch(admin, "/v2/nodes")) {
      await(watch, "CREATED", "name", name);
      Event beat = watch.awaitEvent(e -> e.event().equals("UPDATED") && name.equals(e.item("name")), Duration.ofSeconds(15));

      String team = unique("quiet");
      assertThat(admin.patch("/v2/nodes/" + name, new JsonObject().put("labels", new JsonObject().put("team", team)))
          .status()).isEqualTo(200);
      // a held-back heartbeat could not leave before 10 s after the last one: 5 s tells the two apart
      Event labelled = watch.awaitEvent(e -> e.event().equals("UPDATED") && name.equals(e.item("name")),
          Duration.ofSeconds(5));

      watch.assertNoEvent(e -> name.equals(e.item("name")), Duration.ofSeconds(8));
      assertThat(labelled.json().getJsonObject("labels").getString("team")).isEqualTo(team);
      assertThat(labelled.id()).isGreaterThan(beat.id());
    }
  }

  @Test
  @DisplayName("reconnecting with Last-Event-ID replays only what was missed, with no second snapshot")
  void resumesAfterLastEventId() {
    List<String> existing = allUsernames();
    String before = unique("before");
    String missedNew = unique("missed");
    String after = unique("after");
    long lastSeen;
    long beforeId;
    try (SseClient first = SseClient.watch(admin, "/v2/users")) {
      awaitSnapshot(first, "username", existing);
      beforeId = admin.createUser(before, "user-password", "user").getLong("id");
      lastSeen = await(first, "CREATED", "username", before).id();
    }
    admin.createUser(missedNew, "user-password", "user");
    admin.patch("/v2/users/" + beforeId, new JsonObject().put("full_name", "Missed Update"));

    try (SseClient resumed = SseClient.watch(admin, "/v2/users", lastSeen)) {
      admin.createUser(after, "user-password", "user");
      await(resumed, "CREATED", "username", after);

      List<Event> received = resumed.received();
      assertThat(received).extracting(Event::event, e -> e.item("username")).containsExactly(
          org.assertj.core.groups.Tuple.tuple("CREATED", missedNew),
          org.assertj.core.groups.Tuple.tuple("UPDATED", before),
          org.assertj.core.groups.Tuple.tuple("CREATED", after));
      assertThat(received.get(1).json().getString("full_name")).isEqualTo("Missed Update");
      assertThat(received).extracting(Event::id).allMatch(id -> id > lastSeen).isSorted().doesNotHaveDuplicates();
    }
  }

  @Test
  @DisplayName("a user watching api-keys sees only their own keys, in the snapshot and live")
  void userWatchesOnlyOwnKeys() {
    String watcherName = unique("watcher");
    String otherName = unique("other");
    admin.createUser(watcherName, "user-password", "user");
    admin.createUser(otherName, "user-password", "user");
    Api watcher = nodes.api(1).login(watcherName, "user-password");
    Api other = nodes.api(1).login(otherName, "user-password");
    String ownOld = watcher.createKey(unique("own-old"), "*").getString("id");
    other.createKey(unique("other-old"), "*");
    admin.createKey(unique("admin-old"), "*");

    try (SseClient watch = SseClient.watch(watcher, "/v2/api-keys")) {
      await(watch, "CREATED", "id", ownOld);
      other.createKey(unique("other-new"), "*");
      admin.createKey(unique("admin-new"), "*");
      String ownNew = watcher.createKey(unique("own-new"), "*").getString("id");
      await(watch, "CREATED", "id", ownNew);
      watcher.delete("/v2/api-keys/" + ownNew);
      Event deleted = await(watch, "DELETED", "id", ownNew);

      assertThat(watch.received()).extracting(e -> e.item("username")).containsOnly(watcherName);
      assertThat(watch.received()).extracting(e -> e.item("id")).containsExactly(ownOld, ownNew, ownNew);
      assertThat(deleted.json().fieldNames()).doesNotContain("secret_hash");
      assertThat(deleted.json().getString("value")).contains("****");
    }
  }

  @Test
  @DisplayName("an admin watching api-keys sees every user's keys")
  void adminWatchesAllKeys() {
    String ownerName = unique("owner");
    admin.createUser(ownerName, "user-password", "user");
    Api owner = nodes.api(1).login(ownerName, "user-password");

    try (SseClient watch = SseClient.watch(admin, "/v2/api-keys")) {
      String id = owner.createKey(unique("seen-by-admin"), "*").getString("id");

      Event created = await(watch, "CREATED", "id", id);

      assertThat(created.json().getString("username")).isEqualTo(ownerName);
    }
  }

  @Test
  @DisplayName("a watch opened while an item keeps changing never goes back: no live event before the snapshot")
  void liveEventsWaitForTheSnapshot() throws Exception {
    long busyId = admin.createUser(unique("busy"), "user-password", "user").getLong("id");
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger writes = new AtomicInteger();
    Thread writer = new Thread(() -> {
      while (!stop.get()) {
        admin.patch("/v2/users/" + busyId, new JsonObject().put("full_name", "version " + writes.incrementAndGet()));
      }
    }, "busy-writer");
    writer.start();
    try {
      for (int round = 0; round < 10; round++) {
        try (SseClient watch = SseClient.watch(admin, "/v2/users")) {
          watch.awaitEvent(e -> e.event().equals("UPDATED"), WAIT);

          List<Event> received = watch.received();
          assertThat(received).as("round %d", round).extracting(Event::id).isSorted();
          assertThat(received.get(0).event()).as("round %d starts with the snapshot", round).isEqualTo("CREATED");
        }
      }
    } finally {
      stop.set(true);
      writer.join();
    }
    assertThat(writes.get()).as("the item really kept changing").isGreaterThan(10);
  }

  @Test
  @DisplayName("a user cannot watch the admin-only user list (403)")
  void userCannotWatchUsers() {
    String username = unique("nosy");
    admin.createUser(username, "user-password", "user");
    Api user = nodes.api(1).login(username, "user-password");

    Api.Response response = user.get("/v2/users?watch=true");

    assertThat(response.status()).isEqualTo(403);
    assertThat(response.json().getString("reason")).isEqualTo("Forbidden");
  }
}
