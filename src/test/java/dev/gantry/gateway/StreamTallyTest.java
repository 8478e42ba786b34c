package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

class StreamTallyTest {

  private static final String ROLE = "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":null}}]}\n\n";
  private static final String TOKEN = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hello\"}}],\"usage\":null}\n\n";
  private static final String ESCAPED = "data: {\"choices\":[{\"delta\":{\"content\":\"say \\\"usage\\\": {1}\"}}]}\n\n";
  private static final String FINISH = "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n";
  private static final String USAGE = "data: {\"id\":\"c1\",\"choices\": [ ],\"usage\":{\"prompt_tokens\":22,"
      + "\"completion_tokens\":5,\"total_tokens\":27,\"prompt_tokens_details\":{\"cached_tokens\":0}},\"timings\":{}}\n\n";
  private static final String DONE = "data: [DONE]\n\n";

  @Test
  void hidesTheUsageOnlyChunkFromAClientThatDidNotAskForItButCountsIt() {
    StreamTally tally = new StreamTally(false);

    assertThat(accept(tally, ROLE, TOKEN, FINISH)).containsExactly(true, true, true);
    assertThat(tally.accept(buffer(USAGE))).isFalse();
    assertThat(tally.accept(buffer(DONE))).isTrue();
    assertThat(tally.usage()).isEqualTo(new Usage(22, 5));
    assertThat(tally.done()).isTrue();
    assertThat(tally.engineError()).isFalse();
  }

  @Test
  void passesTheUsageChunkToAClientThatAskedForIt() {
    StreamTally tally = new StreamTally(true);

    assertThat(tally.accept(buffer(USAGE))).isTrue();
    assertThat(tally.usage()).isEqualTo(new Usage(22, 5));
  }

  @Test
  void countsTextChunksWhenAStreamIsCutBeforeItsUsage() {
    StreamTally tally = new StreamTally(false);

    accept(tally, ROLE, TOKEN, TOKEN, ESCAPED, FINISH);

    assertThat(tally.usage()).isEqualTo(new Usage(0, 3));
    assertThat(tally.done()).isFalse();
  }

  @Test
  void countsCompletionTextChunksAndNoticesEngineErrors() {
    StreamTally tally = new StreamTally(false);

    accept(tally, "data: {\"choices\":[{\"text\":\" a\",\"index\":0}]}\n\n",
        "data: {\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}\n\n");

    assertThat(tally.usage()).isEqualTo(new Usage(0, 1));
    assertThat(tally.engineError()).isTrue();
  }

  @Test
  void findsTheLastUsageInAWholeAnswerWithoutParsingIt() {
    Buffer body = buffer("{\"data\":[{\"embedding\":[0.1,0.2]}],\"model\":\"m\",\"usage\":{\"prompt_tokens\":9,\"total_tokens\":9}}");
    Buffer chat = buffer("{\"choices\":[{\"message\":{\"content\":\"the \\\"usage\\\": {}\"}}],\"usage\" : {\"prompt_tokens\":3,"
        + "\"completion_tokens\":4},\"timings\":{\"x\":1}}");

    assertThat(Usage.find(body)).isEqualTo(new Usage(9, 0));
    assertThat(Usage.find(chat)).isEqualTo(new Usage(3, 4));
    assertThat(Usage.find(buffer("{\"choices\":[],\"usage\":null}"))).isNull();
    assertThat(Usage.find(buffer("{\"usage\":{\"prompt_tokens\":1"))).isNull();
  }

  @Test
  void readsOnlyTheUsageObjectsOwnMembers() {
    Buffer nested = buffer("{\"usage\":{\"prompt_tokens_details\":{\"prompt_tokens\":99,\"cached_tokens\":2},"
        + "\"note\":\"completion_tokens\\\": 7\",\"prompt_tokens\": 12 ,\"completion_tokens\":5,\"total_tokens\":17}}");
    Buffer responsesApi = buffer("{\"output\":[],\"usage\":{\"input_tokens\":8,\"output_tokens\":13,"
        + "\"output_tokens_details\":{\"reasoning_tokens\":0}}}");
    Buffer odd = buffer("{\"usage\":{\"prompt_tokens\":-3,\"completion_tokens\":\"many\",\"input_tokens\":4}}");
    Buffer listed = buffer("{\"usage\":{\"parts\":[{\"prompt_tokens\":50}],\"completion_tokens\":2.0}}");

    assertThat(Usage.find(nested)).isEqualTo(new Usage(12, 5));
    assertThat(Usage.find(responsesApi)).isEqualTo(new Usage(8, 13));
    assertThat(Usage.find(odd)).as("prompt_tokens present wins over input_tokens; a negative or non-number counts 0")
        .isEqualTo(new Usage(0, 0));
    assertThat(Usage.find(listed)).as("keys inside arrays are not members").isEqualTo(new Usage(0, 2));
    assertThat(Usage.find(buffer("{\"usage\":{}}"))).isEqualTo(new Usage(0, 0));
  }

  private static Boolean[] accept(StreamTally tally, String... events) {
    Boolean[] answers = new Boolean[events.length];
    for (int i = 0; i < events.length; i++) {
      answers[i] = tally.accept(buffer(events[i]));
    }
    return answers;
  }

  private static Buffer buffer(String text) {
    return Buffer.buffer(text);
  }
}
