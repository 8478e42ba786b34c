package dev.gantry.gateway;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Rewrites one engine's OpenAI chat stream, event by event, as a Responses stream: {@code response.created}
 * and {@code response.in_progress} first; text as a {@code message} item ({@code response.output_item.added},
 * {@code response.content_part.added}, {@code response.output_text.delta}s, then {@code .output_text.done},
 * {@code .content_part.done}, {@code .output_item.done}); each tool call as a {@code function_call} item
 * with {@code response.function_call_arguments.delta}s and {@code .done}; and at the engine's
 * {@code [DONE]} (or end) {@code response.completed} (or {@code response.incomplete} when the engine
 * stopped at the token limit) with the whole response and its usage. Every event carries a
 * {@code sequence_number} from 0; an engine's error, or one that breaks off, ends it with an {@code error} event.
 */
final class ResponsesStream implements ChatDialect.StreamTranslator {

  private final JsonObject head;
  private final JsonArray output = new JsonArray();
  private int sequence;
  private boolean started;
  private boolean closed;
  private Object finishReason;
  private JsonObject openItem;
  private int openTool = -1;
  private final StringBuilder openText = new StringBuilder();

  ResponsesStream(JsonObject request, String model) {
    this.head = ResponsesAnswers.head(request, ResponsesAnswers.id("resp_"), model);
  }

  @Override
  public Buffer translate(Buffer event, StreamTally tally) {
    String data = closed ? null : AnthropicStream.data(event.toString());
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
      return error(String.valueOf(error.getValue("message")));
    }
    Buffer out = Buffer.buffer();
    start(out);
    JsonObject choice = chunk.getValue("choices") instanceof JsonArray choices && !choices.isEmpty()
        && choices.getValue(0) instanceof JsonObject first ? first : null;
    JsonObject delta = choice != null && choice.getValue("delta") instanceof JsonObject d ? d : new JsonObject();
    if (delta.getValue("content") instanceof String text && !text.isEmpty()) {
      if (openItem == null || openTool >= 0) {
        open(out, ResponsesAnswers.message(ResponsesAnswers.id("msg_"), null, "in_progress"), -1);
        emit(out, "response.content_part.added", at(0).put("part", ResponsesAnswers.outputText("")));
      }
      openText.append(text);
      emit(out, "response.output_text.delta", at(0).put("delta", text).put("logprobs", new JsonArray()));
    }
    if (delta.getValue("tool_calls") instanceof JsonArray calls) {
      for (Object value : calls) {
        if (value instanceof JsonObject call) {
          toolCall(out, call);
        }
      }
    }
    if (choice != null && choice.getValue("finish_reason") instanceof String reason) {
      finishReason = reason;
    }
    return out.length() == 0 ? null : out;
  }

  @Override
  public Buffer finish(StreamTally tally) {
    if (closed) {
      return null;
    }
    closed = true;
    Buffer out = Buffer.buffer();
    start(out);
    close(out);
    JsonObject response = ResponsesAnswers.finished(head.copy(), finishReason, output.copy(), tally.usage());
    emit(out, "completed".equals(response.getString("status")) ? "response.completed" : "response.incomplete",
        new JsonObject().put("response", response));
    return out;
  }

  @Override
  public Buffer error(String problem) {
    closed = true;
    Buffer out = Buffer.buffer();
    emit(out, "error", new JsonObject().put("code", "upstream_error").put("message", problem).putNull("param"));
    return out;
  }

  private void toolCall(Buffer out, JsonObject call) {
    int index = call.getValue("index") instanceof Number n ? n.intValue() : 0;
    JsonObject function = call.getValue("function") instanceof JsonObject f ? f : new JsonObject();
    if (openItem == null || openTool != index) {
      open(out, ResponsesAnswers.functionCall(ResponsesAnswers.id("fc_"),
          call.getValue("id") instanceof String id ? id : ResponsesAnswers.id("call_"),
          String.valueOf(function.getValue("name")), "", "in_progress"), index);
    }
    if (function.getValue("arguments") instanceof String partial && !partial.isEmpty()) {
      openText.append(partial);
      emit(out, "response.function_call_arguments.delta", item().put("delta", partial));
    }
  }

  private void start(Buffer out) {
    if (!started) {
      started = true;
      emit(out, "response.created", new JsonObject().put("response", head.copy()));
      emit(out, "response.in_progress", new JsonObject().put("response", head.copy()));
    }
  }

  private void open(Buffer out, JsonObject item, int tool) {
    close(out);
    openItem = item;
    openTool = tool;
    openText.setLength(0);
    emit(out, "response.output_item.added", new JsonObject().put("output_index", output.size()).put("item", item.copy()));
  }

  private void close(Buffer out) {
    if (openItem == null) {
      return;
    }
    String text = openText.toString();
    JsonObject done;
    if (openTool < 0) {
      emit(out, "response.output_text.done", at(0).put("text", text).put("logprobs", new JsonArray()));
      emit(out, "response.content_part.done", at(0).put("part", ResponsesAnswers.outputText(text)));
      done = ResponsesAnswers.message(openItem.getString("id"), text, "completed");
    } else {
      emit(out, "response.function_call_arguments.done", item().put("name", openItem.getString("name")).put("arguments", text));
      done = openItem.copy().put("arguments", text).put("status", "completed");
    }
    emit(out, "response.output_item.done", new JsonObject().put("output_index", output.size()).put("item", done));
    output.add(done);
    openItem = null;
    openTool = -1;
  }

  /** The fields that place an event on the open item. */
  private JsonObject item() {
    return new JsonObject().put("item_id", openItem.getString("id")).put("output_index", output.size());
  }

  private JsonObject at(int contentIndex) {
    return item().put("content_index", contentIndex);
  }

  private void emit(Buffer out, String type, JsonObject fields) {
    JsonObject event = new JsonObject().put("type", type).mergeIn(fields).put("sequence_number", sequence++);
    out.appendString("event: ").appendString(type).appendString("\ndata: ").appendString(event.encode())
        .appendString("\n\n");
  }
}
