package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventFactsTest {

  private final EventFacts facts = new EventFacts();

  @Test
  void readsATextChunk() {
    EventFacts event = facts.read(Buffer.buffer("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n"));

    assertThat(event.text()).isTrue();
    assertThat(event.usage()).as("usage null is no usage").isNull();
    assertThat(event.choicesEmpty()).isFalse();
    assertThat(event.error()).isFalse();
    assertThat(event.done()).isFalse();
  }

  @Test
  void readsTheUsageOnlyChunk() {
    EventFacts event = facts.read(Buffer.buffer("data: {\"id\":\"c\",\"choices\" : [ ],\"usage\":{\"prompt_tokens\":22,"
        + "\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":0}},\"timings\":{\"n\":1}}\n\n"));

    assertThat(event.usage()).isEqualTo(new Usage(22, 5));
    assertThat(event.choicesEmpty()).isTrue();
    assertThat(event.text()).isFalse();
  }

  @Test
  void keysInsideStringsNeverCount() {
    EventFacts event = facts.read(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"\\\"error\\\": {\\\"usage\\\": {1}\"}}]}\n\n"));

    assertThat(event.error()).isFalse();
    assertThat(event.usage()).isNull();
    assertThat(event.text()).isTrue();
  }

  @Test
  void emptyOrNullTextIsNoText() {
    assertThat(facts.read(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n")).text())
        .isFalse();
    assertThat(facts.read(Buffer.buffer("data: {\"choices\":[{\"text\":\"\",\"index\":0}]}\n\n")).text()).isFalse();
    assertThat(facts.read(Buffer.buffer("data: {\"choices\":[{\"text\":\" a\",\"index\":0}]}\n\n")).text()).isTrue();
  }

  @Test
  void noticesDoneAndErrorEvents() {
    assertThat(facts.read(Buffer.buffer("data: [DONE]\n\n")).done()).isTrue();
    assertThat(facts.read(Buffer.buffer("data: {\"error\":{\"message\":\"boom\"}}\n\n")).error()).isTrue();
    assertThat(facts.read(Buffer.buffer("data: {\"error\":null,\"choices\":[]}\n\n")).error()).isFalse();
    assertThat(facts.read(Buffer.buffer("data: {\"choices\":[{\"delta\":{\"content\":\"[DONE] is a long word\"}}]}\n\n")).done())
        .as("only a short event can be [DONE]").isFalse();
  }

  @Test
  void readsAnEventWhereItLiesInsideALargerBuffer() {
    String first = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\n";
    String second = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\n";
    Buffer chunk = Buffer.buffer("xx" + first + second).slice(2, 2 + first.length() + second.length());
    List<Buffer> events = new SseSplitter().feed(chunk);

    assertThat(events).hasSize(2);
    assertThat(facts.read(events.get(0)).usage()).isNull();
    assertThat(facts.read(events.get(0)).text()).isTrue();
    assertThat(facts.read(events.get(1)).usage()).isEqualTo(new Usage(3, 4));
    assertThat(facts.read(events.get(1)).choicesEmpty()).isTrue();
  }

  @Test
  void aUsageObjectCutOffCountsAsNone() {
    byte[] bytes = "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion".getBytes(StandardCharsets.US_ASCII);

    assertThat(facts.read(bytes, 0, bytes.length).usage()).isNull();
    assertThat(facts.read(bytes, 0, 10).usage()).isNull();
  }
}
