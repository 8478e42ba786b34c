package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An Anthropic provider's Messages event stream as OpenAI chat chunks, one whole event at a time (the
 * other way round from {@link AnthropicStream}): {@code message_start} opens with the assistant role,
 * {@code text_delta}s become {@code content} deltas, a {@code tool_use} block's start and its
 * {@code input_json_delta}s become {@code tool_calls} deltas (the block's tool index, id and name first,
 * then argument pieces), {@code message_delta} gives the finish reason, and {@code message_stop} the usage
 * chunk (empty {@code choices}, as OpenAI's {@code include_usage} sends it) and {@code [DONE]}. An
 * {@code error} event becomes OpenAI's error event; pings and thinking are left out. The chunks then go
 * through the relay as an OpenAI engine's would (its tally, and the client's dialect if any).
 */
final class AnthropicProviderStream {

  private static final Buffer DONE = Buffer.buffer("data: [DONE]\n\n");
  /** Content blocks of one message this stream follows (Anthropic numbers them from 0). */
  static final int MAX_BLOCKS = 1024;

  private final String model;
  private String id = AnthropicProviderAnswers.id(null);
  private final long created = System.currentTimeMillis() / 1000;
  private long inputTokens;
  private long outputTokens;
  private int tools;
  /** The tool index of each content block (by the block's index); -1 for a text block. */
  private int[] toolOfBlock = new int[4];

  AnthropicProviderStream(String model) {
    this.model = model;
  }

  /** The chat chunks for one whole Anthropic event, or null for none. */
  Buffer convert(Buffer event) {
    String data = AnthropicStream.data(event.toString());
    if (data == null || data.isEmpty()) {
      return null;
    }
    JsonObject json;
    try {
      json = new JsonObject(data);
    } catch (DecodeException e) {
      return null;
    }
    return switch (String.valueOf(json.getValue("type"))) {
      case "message_start" -> start(json.getJsonObject("message", new JsonObject()));
      case "content_block_start" -> blockStart(index(json),
          json.getValue("content_block") instanceof JsonObject block ? block : new JsonObject());
      case "content_block_delta" -> delta(index(json), json.getValue("delta") instanceof JsonObject delta ? delta
          : new JsonObject());
      case "message_delta" -> finish(json);
      case "message_stop" -> Buffer.buffer().appendBuffer(event(head().put("choices", new JsonArray())
          .put("usage", AnthropicProviderAnswers.usage(inputTokens, outputTokens)))).appendBuffer(DONE);
      case "error" -> event(AnthropicProviderAnswers.errorBody(json.getValue("error") instanceof JsonObject error
          && error.getValue("message") instanceof String message ? message : "the provider reported an error",
          json.getValue("error") instanceof JsonObject error && error.getValue("type") instanceof String type
              ? type : "server_error"));
      default -> null;
    };
  }

  private Buffer start(JsonObject message) {
    if (message.getValue("id") instanceof String given) {
      id = AnthropicProviderAnswers.id(given);
    }
    JsonObject usage = message.getValue("usage") instanceof JsonObject u ? u : new JsonObject();
    inputTokens = AnthropicProviderAnswers.inputTokens(usage);
    outputTokens = AnthropicProviderAnswers.count(usage.getValue("output_tokens"));
    return chunk(new JsonObject().put("role", "assistant").put("content", ""), null);
  }

  /**
   * The event's content block index; -1 (a block not followed) when it is not a number from 0 to
   * {@link #MAX_BLOCKS}: a provider's odd index must neither throw nor make this stream allocate its size.
   */
  private static int index(JsonObject json) {
    Object index = json.getValue("index", 0);
    return index instanceof Number n && n.longValue() >= 0 && n.longValue() < MAX_BLOCKS ? n.intValue() : -1;
  }

  private Buffer blockStart(int index, JsonObject block) {
    if (index < 0) {
      return null;
    }
    if (index >= toolOfBlock.length) {
      toolOfBlock = java.util.Arrays.copyOf(toolOfBlock, Math.max(index + 1, toolOfBlock.length * 2));
    }
    if (!"tool_use".equals(block.getValue("type"))) {
      toolOfBlock[index] = -1;
      return block.getValue("text") instanceof String text && !text.isEmpty()
          ? chunk(new JsonObject().put("content", text), null) : null;
    }
    int tool = tools++;
    toolOfBlock[index] = tool;
    return chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", tool)
        .put("id", String.valueOf(block.getValue("id"))).put("type", "function")
        .put("function", new JsonObject().put("name", String.valueOf(block.getValue("name"))).put("arguments", "")))),
        null);
  }

  private Buffer delta(int index, JsonObject delta) {
    String type = String.valueOf(delta.getValue("type"));
    if ("text_delta".equals(type) && delta.getValue("text") instanceof String text) {
      return chunk(new JsonObject().put("content", text), null);
    }
    if ("input_json_delta".equals(type) && delta.getValue("partial_json") instanceof String json
        && index >= 0 && index < toolOfBlock.length && toolOfBlock[index] >= 0) {
      return chunk(new JsonObject().put("tool_calls", new JsonArray().add(new JsonObject().put("index", toolOfBlock[index])
          .put("function", new JsonObject().put("arguments", json)))), null);
    }
    return null;
  }

  private Buffer finish(JsonObject json) {
    if (json.getValue("usage") instanceof JsonObject usage) {
      if (usage.containsKey("output_tokens")) {
        outputTokens = AnthropicProviderAnswers.count(usage.getValue("output_tokens"));
      }
      if (usage.containsKey("input_tokens")) {
        inputTokens = AnthropicProviderAnswers.inputTokens(usage);
      }
    }
    Object stopReason = json.getValue("delta") instanceof JsonObject delta ? delta.getValue("stop_reason") : null;
    return chunk(new JsonObject(), AnthropicProviderAnswers.finishReason(stopReason));
  }

  private Buffer chunk(JsonObject delta, String finishReason) {
    return event(head().put("choices", new JsonArray().add(new JsonObject().put("index", 0).put("delta", delta)
        .put("finish_reason", finishReason))));
  }

  private JsonObject head() {
    return new JsonObject().put("id", id).put("object", "chat.completion.chunk").put("created", created)
        .put("model", model);
  }

  private static Buffer event(JsonObject data) {
    return Buffer.buffer("data: " + data.encode() + "\n\n");
  }
}
