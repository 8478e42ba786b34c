package dev.gantry.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.api.WatchHub.Event;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class CoalescingBufferTest {

  private static Event event(long seq, String type, String id, int version) {
    return new Event(seq, type, id, new JsonObject().put("id", id).put("v", version));
  }

  @Test
  void keepsOnlyTheNewestChangePerItemInFirstSeenOrder() {
    CoalescingBuffer buffer = new CoalescingBuffer(10);
    buffer.add(event(1, "UPDATED", "a", 1));
    buffer.add(event(2, "UPDATED", "b", 1));
    buffer.add(event(3, "UPDATED", "a", 2));
    assertThat(buffer.size()).isEqualTo(2);
    Event first = buffer.poll();
    assertThat(first.id()).isEqualTo("a");
    assertThat(first.seq()).isEqualTo(3);
    assertThat(first.item().getInteger("v")).isEqualTo(2);
    assertThat(buffer.poll().id()).isEqualTo("b");
    assertThat(buffer.poll()).isNull();
  }

  @Test
  void createdThenUpdatedStaysCreatedWithTheNewerItem() {
    CoalescingBuffer buffer = new CoalescingBuffer(10);
    buffer.add(event(1, "CREATED", "a", 1));
    buffer.add(event(2, "UPDATED", "a", 2));
    Event merged = buffer.poll();
    assertThat(merged.type()).isEqualTo("CREATED");
    assertThat(merged.item().getInteger("v")).isEqualTo(2);
  }

  @Test
  void createdThenDeletedCancelsOut() {
    CoalescingBuffer buffer = new CoalescingBuffer(10);
    buffer.add(event(1, "CREATED", "a", 1));
    buffer.add(event(2, "DELETED", "a", 1));
    assertThat(buffer.isEmpty()).isTrue();
  }

  @Test
  void updatedThenDeletedIsDeleted() {
    CoalescingBuffer buffer = new CoalescingBuffer(10);
    buffer.add(event(1, "UPDATED", "a", 1));
    buffer.add(event(2, "DELETED", "a", 1));
    assertThat(buffer.poll().type()).isEqualTo("DELETED");
  }

  @Test
  void reportsOverflowBeyondItsLimitOfDistinctItems() {
    CoalescingBuffer buffer = new CoalescingBuffer(2);
    assertThat(buffer.add(event(1, "UPDATED", "a", 1))).isTrue();
    assertThat(buffer.add(event(2, "UPDATED", "b", 1))).isTrue();
    assertThat(buffer.add(event(3, "UPDATED", "a", 2))).isTrue();
    assertThat(buffer.add(event(4, "UPDATED", "c", 1))).isFalse();
  }
}
