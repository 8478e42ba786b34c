package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.common.ApiException;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link RequestFacts} stands in for the tree and {@link OpenAiRequests#validate} on the gateway's hot path, so
 * it must never accept a body validation refuses, and must read the same model and stream flags as the tree.
 */
class RequestFactsTest {

  private static final String MESSAGES = "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]";

  @Test
  void readsWhatRoutingNeedsFromAValidChatBody() {
    RequestFacts facts = scan(Operation.CHAT, "{\"model\":\"qwen\"," + MESSAGES
        + ",\"stream\":true,\"stream_options\":{\"include_usage\":true},\"tools\":[{\"type\":\"function\",\"function\":"
        + "{\"name\":\"f\",\"parameters\":{\"model\":\"not this one\",\"stream\":false}}}]}");

    assertThat(facts).isEqualTo(new RequestFacts("qwen", true, true, true));
    assertThat(scan(Operation.CHAT, "{\"model\":\"qwen\"," + MESSAGES + "}")).isEqualTo(new RequestFacts("qwen", false, false, false));
    assertThat(scan(Operation.CHAT, "/* a comment */ {\"model\":\"q\\u0077en\"," + MESSAGES + ",\"stream\":null}"))
        .isEqualTo(new RequestFacts("qwen", false, false, false));
    assertThat(scan(Operation.COMPLETIONS, "{\"prompt\":[\"a\",\"b\"],\"model\":\"qwen\",\"stream\":false}"))
        .isEqualTo(new RequestFacts("qwen", false, false, false));
    assertThat(scan(Operation.EMBEDDINGS, "{\"model\":\"minilm\",\"input\":[[1,2],[3]]}"))
        .isEqualTo(new RequestFacts("minilm", false, false, false));
    assertThat(scan(Operation.EMBEDDINGS, "{\"model\":\"minilm\",\"input\":\"text\"}")).isNotNull();    assertThat(scan(Operation.CHAT, "{\"model\":\"qwen\"," + MESSAGES + ",\"stream\":true,\"stream_options\":null}"))
        .as("stream_options present, even null").isEqualTo(new RequestFacts("qwen", true, false, true));
  }

  @Test
  void leavesEverythingElseToTheTreeWhichSaysWhatIsWrong() {
    List<String> chat = List.of(
        "", "[]", "\"text\"", "{", "{\"model\":\"qwen\"," + MESSAGES + "} {}", "{\"model\":\"qwen\"," + MESSAGES + "} x",
        "{\"model\":\"qwen\"}", "{" + MESSAGES + "}", "{\"model\":\"\"," + MESSAGES + "}", "{\"model\":\"  \"," + MESSAGES + "}",
        "{\"model\":\"" + "m".repeat(201) + "\"," + MESSAGES + "}", "{\"model\":7," + MESSAGES + "}",
        "{\"model\":null," + MESSAGES + "}", "{\"model\":\"qwen\",\"messages\":[]}", "{\"model\":\"qwen\",\"messages\":{}}",
        "{\"model\":\"qwen\",\"messages\":[\"hi\"]}", "{\"model\":\"qwen\",\"messages\":[{\"content\":\"hi\"}]}",
        "{\"model\":\"qwen\",\"messages\":[{\"role\":1}]}", "{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\"},3]}",
        "{\"model\":\"qwen\"," + MESSAGES + ",\"stream\":\"yes\"}", "{\"model\":\"qwen\"," + MESSAGES + ",\"stream_options\":true}",
        "{\"model\":\"qwen\"," + MESSAGES + ",\"stream_options\":{\"include_usage\":1}}",
        "{\"model\":\"qwen\"," + MESSAGES + ",\"temperature\":}", "{'model':'qwen'," + MESSAGES + "}");
    for (String body : chat) {
      assertThat(scan(Operation.CHAT, body)).as(body).isNull();
      assertThatThrownBy(() -> OpenAiRequests.parse(Operation.CHAT, Buffer.buffer(body))).as(body)
          .isInstanceOf(ApiException.class);
    }
    assertThat(scan(Operation.COMPLETIONS, "{\"model\":\"qwen\",\"prompt\":null}")).isNull();
    assertThat(scan(Operation.COMPLETIONS, "{\"model\":\"qwen\"}")).isNull();
    assertThat(scan(Operation.EMBEDDINGS, "{\"model\":\"m\",\"input\":\"\"}")).isNull();
    assertThat(scan(Operation.EMBEDDINGS, "{\"model\":\"m\",\"input\":[]}")).isNull();
    assertThat(scan(Operation.EMBEDDINGS, "{\"model\":\"m\",\"input\":5}")).isNull();
    assertThat(scan(Operation.RERANK, "{\"model\":\"m\",\"query\":\"q\",\"documents\":[\"a\"]}"))
        .as("operations other than chat, completions and embeddings always take the tree").isNull();
  }

  @Test
  void aKeyGivenTwiceIsLeftToTheTreeWhichKeepsTheLast() {
    for (String body : List.of("{\"model\":\"cheap\",\"model\":\"dear\"," + MESSAGES + "}",
        "{\"model\":\"qwen\"," + MESSAGES + "," + MESSAGES + "}",
        "{\"model\":\"qwen\"," + MESSAGES + ",\"stream\":false,\"stream\":true}",
        "{\"model\":\"qwen\"," + MESSAGES + ",\"stream_options\":{\"include_usage\":false,\"include_usage\":true}}",
        "{\"model\":\"qwen\",\"messages\":[{\"role\":\"user\",\"role\":\"system\"}]}")) {
      assertThat(scan(Operation.CHAT, body)).as(body).isNull();
    }
  }

  /** Whatever the scan accepts, validation accepts too, with the same model and flags (many shapes, one property). */
  @Test
  void neverAcceptsABodyValidationRefusesAndAgreesWithTheTree() {
    List<String> values = List.of("\"qwen\"", "\"\"", "null", "true", "false", "1", "[]", "{}", "[\"a\"]", "[{\"role\":\"user\"}]",
        "{\"include_usage\":true}", "{\"include_usage\":null}", "{\"include_usage\":\"no\"}", "[[1]]");
    List<String> fields = List.of("model", "messages", "prompt", "input", "stream", "stream_options");
    int accepted = 0;
    for (Operation operation : List.of(Operation.CHAT, Operation.COMPLETIONS, Operation.EMBEDDINGS)) {
      for (String body : bodies(fields, values)) {
        RequestFacts facts = scan(operation, body);
        if (facts == null) {
          continue;
        }
        accepted++;
        JsonObject tree = OpenAiRequests.parse(operation, Buffer.buffer(body));
        ClientBody parsed = ClientBody.of(tree);
        assertThat(facts.model()).as(body).isEqualTo(tree.getString("model"));
        ClientBody scanned = ClientBody.scanned(Buffer.buffer(body), facts);
        assertThat(scanned.streams(operation)).as(body).isEqualTo(parsed.streams(operation));
        assertThat(scanned.includeUsage()).as(body).isEqualTo(parsed.includeUsage());
        assertThat(scanned.tree()).as(body).isEqualTo(tree);
      }
    }
    assertThat(accepted).as("the property was checked on accepted bodies of every operation").isGreaterThan(100);
  }

  /** Bodies with the model plus one or two other fields of every listed value. */
  private static List<String> bodies(List<String> fields, List<String> values) {
    List<String> bodies = new ArrayList<>();
    for (String model : List.of("\"qwen\"", "\"\"", "3")) {
      for (int a = 1; a < fields.size(); a++) {
        for (String first : values) {
          bodies.add("{\"model\":" + model + ",\"" + fields.get(a) + "\":" + first + "}");
          for (int b = a + 1; b < fields.size(); b++) {
            for (String second : values) {
              bodies.add("{\"" + fields.get(b) + "\":" + second + ",\"model\":" + model + ",\"" + fields.get(a) + "\":"
                  + first + "}");
            }
          }
        }
      }
    }
    return bodies;
  }

  private static RequestFacts scan(Operation operation, String body) {
    return RequestFacts.scan(operation, Buffer.buffer(body));
  }
}
