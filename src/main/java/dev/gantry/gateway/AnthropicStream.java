package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Rewrites one engine's OpenAI chat stream, event by event, as Anthropic's Messages stream:
 * {@code message_start} and {@code ping} first, text as {@code content_block_delta} {@code text_delta}s
 * of a text block, tool calls as {@code tool_use} blocks with {@code input_json_delta}s, and at the
 * engine's {@code [DONE]} (or end) {@code content_block_stop}, {@code message_delta} with the stop reason
 * and the usage, and {@code message_stop}. An engine's error event becomes an {@code error} event.
 */
final class AnthropicStream implements ChatDialect.StreamTranslator {

  private final String model;
  private boolean started;
  private boolean closed;
  private int blocks;
  private boolean blockOpen;
  private int openTool = -1;
  private String stopReason = "end_turn";

  AnthropicStream(String model) {
    this.model = model;
  }

  /** The Anthropic events for one whole engine event (already counted by the tally), or null for none. */
  @Override
  public Buffer translate(Buffer event, StreamTally tally) {
    if (closed) {
      return null;
    }
    String data = data(event.toString());
    if (data == null) {
      return null;
    }
    if (data.equals("[DONE]")) {
      return finish(tally);
    }
    JsonObject chunk;
    try {
      chunk = new JsonObject(data);
    } catch (DecodeException | ClassCastException e) {
      return null;
    }
    if (chunk.getValue("error") instanceof JsonObject error) {
      closed = true;
      return errorEvent(String.valueOf(error.getValue("message")));
    }
    Buffer out = Buffer.buffer();
    start(out, chunk.getValue("id"));
    JsonObject choice = chunk.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject first ? first : null;
    if (choice == null) {
      return out.length() == 0 ? null : out;
    }
    JsonObject delta = choice.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
    if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
      if (!blockOpen || openTool >= 0) {
        open(out, new JsonObject().put("type", "text").put("text", ""), -1);
      }
      emit(out, "content_block_delta", new JsonObject().put("index", blocks - 1)
          .put("delta", new JsonObject().put("type", "text_delta").put("text", text)));
    }
    if (delta.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object value : calls) {
        if (value instanceof JsonObject call) {
          toolCall(out, call);
        }
      }
    }
    if (choice.getValue("finish_reason") instanceof String reason) {
      stopReason = AnthropicAnswers.stopReason(reason);
    }
    return out.length() == 0 ? null : out;
  }

  /** The closing events, once: for {@code [DONE]}, or for an engine that ended its stream without it. */
  @Override
  public Buffer finish(StreamTally tally) {
    if (closed) {
      return null;
    }
    closed = true;
    Buffer out = Buffer.buffer();
    start(out, null);
    close(out);
    emit(out, "message_delta", new JsonObject()
        .put("delta", new JsonObject().put("stop_reason", stopReason).putNull("stop_sequence"))
        .put("usage", AnthropicAnswers.delta(tally.usage())));
    emit(out, "message_stop", new JsonObject());
    return out;
  }

  @Override
  public Buffer error(String problem) {
    return errorEvent(problem);
  }

  /** An {@code error} event (the stream ends after it). */
  static Buffer errorEvent(String message) {
    Buffer out = Buffer.buffer();
    emit(out, "error", AnthropicAnswers.error("api_error", message));
    return out;
  }

  private void toolCall(Buffer out, JsonObject call) {
    int index = call.getValue("index") instanceof Number n ? n.intValue() : 0;
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    if (!blockOpen || openTool != index) {
      String id = call.getValue("id") instanceof String s ? s : "toolu_" + blocks;
      open(out, new JsonObject().put("type", "tool_use").put("id", id)
          .put("name", String.valueOf(function.getValue("name"))).put("input", new JsonObject()), index);
    }
    if (function.getValue("arguments") instanceof String partial && !partial.isEmpty()) {
      emit(out, "content_block_delta", new JsonObject().put("index", blocks - 1)
          .put("delta", new JsonObject().put("type", "input_json_delta").put("partial_json", partial)));
    }
  }

  private void start(Buffer out, Object engineId) {
    if (started) {
      return;
    }
    started = true;
    emit(out, "message_start", new JsonObject().put("message", AnthropicAnswers.start(
        AnthropicAnswers.messageId(engineId), model).put("usage", AnthropicAnswers.usage(Usage.NONE))));
    emit(out, "ping", new JsonObject());
  }

  private void open(Buffer out, JsonObject block, int tool) {
    close(out);
    emit(out, "content_block_start", new JsonObject().put("index", blocks).put("content_block", block));
    blocks++;
    blockOpen = true;
    openTool = tool;
  }

  private void close(Buffer out) {
    if (blockOpen) {
      emit(out, "content_block_stop", new JsonObject().put("index", blocks - 1));
      blockOpen = false;
    }
  }

  private static void emit(Buffer out, String type, JsonObject data) {
    JsonObject typed = new JsonObject().put("type", type).mergeIn(data);
    out.appendString("event: ").appendString(type).appendString("\ndata: ").appendString(typed.encode())
        .appendString("\n\n");
  }

  /** The data of an event (its {@code data:} lines joined), or null when it has none. */
  static String data(String event) {
    StringBuilder data = null;
    for (String line : event.split("\r?\n")) {
      if (line.startsWith("data:")) {
        String value = line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5);
        data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
      }
    }
    return data == null ? null : data.toString().strip();
  }
}
