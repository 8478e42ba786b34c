package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.WatchHub.Event;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchHubTest {

  @Test
  void deliversEventsWithIncreasingSequenceNumbers() {
    WatchHub hub = new WatchHub("things", "name");
    List<Event> seen = new ArrayList<>();
    hub.subscribe(seen::add, null);
    hub.emit("CREATED", new JsonObject().put("name", "a"));
    hub.emit("UPDATED", new JsonObject().put("name", "a"));
    assertThat(seen).extracting(Event::type).containsExactly("CREATED", "UPDATED");
    assertThat(seen.get(1).seq()).isGreaterThan(seen.get(0).seq());
    assertThat(seen.get(0).id()).isEqualTo("a");
  }

  @Test
  void replaysOnlyWhatAReconnectingWatcherMissed() {
    WatchHub hub = new WatchHub("things", "name");
    hub.emit("CREATED", new JsonObject().put("name", "a"));
    long seen = hub.currentSeq();
    hub.emit("CREATED", new JsonObject().put("name", "b"));
    hub.emit("DELETED", new JsonObject().put("name", "a"));
    List<Event> missed = hub.subscribe(e -> { }, seen);
    assertThat(missed).extracting(Event::id).containsExactly("b", "a");
    assertThat(missed).extracting(Event::type).containsExactly("CREATED", "DELETED");
  }

  @Test
  void asksForASnapshotWhenTheHistoryNoLongerCoversTheGap() {
    WatchHub hub = new WatchHub("things", "name");
    long start = hub.currentSeq();
    for (int i = 0; i < WatchHub.HISTORY + 5; i++) {
      hub.emit("UPDATED", new JsonObject().put("name", "n" + i));
    }
    assertThat(hub.subscribe(e -> { }, start)).isNull();
    assertThat(hub.subscribe(e -> { }, null)).isNull();
    assertThat(hub.subscribe(e -> { }, hub.currentSeq() + 100)).isNull();
    assertThat(hub.subscribe(e -> { }, hub.currentSeq())).isEmpty();
  }

  @Test
  void snapshotItemsGetIdsOfTheirOwnAndResumingAfterTheLastReplaysWhatChangedSinceTheSnapshot() {
    WatchHub hub = new WatchHub("things", "name");
    hub.emit("CREATED", new JsonObject().put("name", "a"));
    long takenAt = hub.currentSeq();
    hub.emit("UPDATED", new JsonObject().put("name", "a").put("while", "the snapshot was read"));

    long first = hub.snapshotIds(3, takenAt);
    hub.emit("CREATED", new JsonObject().put("name", "b"));

    assertThat(first).isGreaterThan(takenAt + 1);
    assertThat(hub.currentSeq()).isGreaterThan(first + 2);
    assertThat(hub.subscribe(e -> { }, first + 2)).extracting(Event::type, Event::id)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("UPDATED", "a"), org.assertj.core.groups.Tuple.tuple("CREATED", "b"));
    assertThat(hub.subscribe(e -> { }, first)).as("a snapshot cut short is sent again").isNull();
    assertThat(hub.subscribe(e -> { }, first + 1)).isNull();
  }

  @Test
  void anAliasResumesFromTheChangeItStandsFor() {
    WatchHub hub = new WatchHub("things", "name");
    hub.emit("CREATED", new JsonObject().put("name", "a"));
    long late = hub.currentSeq();
    hub.emit("CREATED", new JsonObject().put("name", "b"));

    long alias = hub.alias(late);

    assertThat(alias).isGreaterThan(hub.currentSeq() - 1).isGreaterThan(late);
    assertThat(hub.subscribe(e -> { }, alias)).extracting(Event::id).containsExactly("b");
  }

  @Test
  void anEmptySnapshotTakesNoIds() {
    WatchHub hub = new WatchHub("things", "name");
    long before = hub.currentSeq();

    hub.snapshotIds(0, before);

    assertThat(hub.currentSeq()).isEqualTo(before);
  }

  @Test
  void framesEventsAsServerSentEvents() {
    String frame = SseWatch.frame(new Event(42, "UPDATED", "a", new JsonObject().put("name", "a")));
    assertThat(frame).isEqualTo("event: UPDATED\nid: 42\ndata: {\"name\":\"a\"}\n\n");
  }
}
