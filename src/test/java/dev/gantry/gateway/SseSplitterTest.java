package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SseSplitterTest {

  private static final String STREAM = "data: {\"a\":1}\n\ndata: {\"b\":\"é\"}\n\n: keep-alive\n\ndata: [DONE]\n\n";

  @Test
  void splitsWholeEventsAndKeepsTheirBytes() {
    List<Buffer> events = new SseSplitter().feed(Buffer.buffer(STREAM));

    assertThat(events).extracting(Buffer::toString)
        .containsExactly("data: {\"a\":1}\n\n", "data: {\"b\":\"é\"}\n\n", ": keep-alive\n\n", "data: [DONE]\n\n");
  }

  @Test
  void reassemblesEventsWhateverTheChunkingEvenInsideAMultiByteCharacter() {
    byte[] bytes = Buffer.buffer(STREAM).getBytes();
    for (int size = 1; size <= 7; size++) {
      SseSplitter splitter = new SseSplitter();
      List<String> events = new ArrayList<>();
      for (int i = 0; i < bytes.length; i += size) {
        byte[] chunk = java.util.Arrays.copyOfRange(bytes, i, Math.min(bytes.length, i + size));
        splitter.feed(Buffer.buffer(chunk)).forEach(event -> events.add(event.toString()));
      }
      assertThat(events).as("chunks of %d bytes", size).hasSize(4).contains("data: {\"b\":\"é\"}\n\n");
      assertThat(splitter.pendingBytes()).isZero();
    }
  }

  @Test
  void acceptsCarriageReturnLineEndsAndKeepsAnUnfinishedTail() {
    SseSplitter splitter = new SseSplitter();

    List<Buffer> first = splitter.feed(Buffer.buffer("data: one\r\n\r\ndata: tw"));
    List<Buffer> second = splitter.feed(Buffer.buffer("o\n\n"));

    assertThat(first).extracting(Buffer::toString).containsExactly("data: one\r\n\r\n");
    assertThat(second).extracting(Buffer::toString).containsExactly("data: two\n\n");
  }

  @Test
  void aChunkThatIsOneEventIsAnsweredAsItCameAndStaysUnchangedByLaterChunks() {
    SseSplitter splitter = new SseSplitter();
    Buffer chunk = Buffer.buffer("data: one\n\n");

    List<Buffer> first = splitter.feed(chunk);
    List<Buffer> later = splitter.feed(Buffer.buffer("data: two\n\ndata: thr"));
    List<Buffer> last = splitter.feed(Buffer.buffer("ee\n\n"));

    assertThat(first).containsExactly(chunk);
    assertThat(first.get(0).toString()).isEqualTo("data: one\n\n");
    assertThat(chunk.toString()).as("the engine's chunk is never appended to").isEqualTo("data: one\n\n");
    assertThat(later).extracting(Buffer::toString).containsExactly("data: two\n\n");
    assertThat(last).extracting(Buffer::toString).containsExactly("data: three\n\n");
    assertThat(splitter.pendingBytes()).isZero();
  }

  @Test
  void holdsAnEventUntilItsBlankLineArrives() {
    SseSplitter splitter = new SseSplitter();

    assertThat(splitter.feed(Buffer.buffer("data: {\"x\":1}\n"))).isEmpty();
    assertThat(splitter.pendingBytes()).isEqualTo(14);
    assertThat(splitter.feed(Buffer.buffer("\n"))).extracting(Buffer::toString).containsExactly("data: {\"x\":1}\n\n");
  }
}
