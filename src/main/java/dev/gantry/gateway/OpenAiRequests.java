package dev.gantry.gateway;

import dev.gantry.common.ApiException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Checks the few fields the gateway relies on before it picks a replica; everything else is the
 * engine's to judge. Failures are 400s that name the field.
 */
final class OpenAiRequests {

  static final int MAX_MODEL_NAME = 200;

  /** The body as a JSON object with a valid {@code model} and the operation's own required field. */
  static JsonObject parse(Operation operation, Buffer raw) {
    return validate(operation, object(raw));
  }

  /** The model named by a body, when it names one as a string; for the record of a request that fails validation. */
  static String modelOf(JsonObject body) {
    return body.getValue("model") instanceof String name && name.length() <= MAX_MODEL_NAME ? name : "";
  }

  static JsonObject validate(Operation operation, JsonObject body) {
    Object model = body.getValue("model");
    if (!(model instanceof String name) || name.isBlank() || name.length() > MAX_MODEL_NAME) {
      throw invalid("model", "is required: a string naming a model (GET /v1/models lists them)");
    }
    switch (operation) {
      case CHAT -> requireMessages(body.getValue("messages"));
      case COMPLETIONS -> requirePresent(body.getValue("prompt"), "prompt", "a string or an array of strings");
      case EMBEDDINGS -> requireInput(body.getValue("input"));
      case RERANK -> requireRerank(body);
      case SPEECH -> requireText(body, "input", "the text to speak");
      case IMAGE_GENERATIONS -> requireText(body, "prompt", "a description of the image");
      default -> { }
    }
    Object stream = body.getValue("stream");
    if (stream != null && !(stream instanceof Boolean)) {
      throw invalid("stream", "must be true or false");
    }
    Object options = body.getValue("stream_options");
    if (options != null && !(options instanceof JsonObject)) {
      throw invalid("stream_options", "must be an object such as {\"include_usage\": true}");
    }
    if (options instanceof JsonObject o && o.getValue("include_usage") != null && !(o.getValue("include_usage") instanceof Boolean)) {
      throw invalid("stream_options.include_usage", "must be true or false");
    }
    return body;
  }

  /**
   * Why a model cannot serve the operation, judged by its categories, or null. The builtin and llama.cpp
   * engines serve what the categories say (an {@code embedding} model is started for embeddings only), so
   * the caller hears it from here, in Gantry's words, rather than an engine's message about its own
   * flags; a custom engine is left to answer for itself.
   */
  static String unsupported(Operation operation, String name, JsonObject model) {
    if (model != null && operation.category() != null) {
      return unserved(operation, name, model);
    }
    if (model == null || "custom".equals(model.getString("backend"))) {
      return null;
    }
    JsonArray categories = categories(model);
    boolean embeds = categories.contains("embedding");
    boolean generates = categories.contains("llm");
    if (operation != Operation.EMBEDDINGS && embeds && !generates) {
      return "model '" + name + "' serves embeddings only and cannot answer " + operation.path()
          + "; send its requests to POST /v1/embeddings, or choose a chat model (GET /v1/models lists them)";
    }
    if (operation == Operation.EMBEDDINGS && generates && !embeds) {
      return "model '" + name + "' generates text and serves no embeddings; send its requests to"
          + " POST /v1/chat/completions or /v1/completions, or choose an embedding model such as the bundled"
          + " all-minilm-l6-v2";
    }
    return null;
  }

  /**
   * Why a model is not sent a pass-through operation (rerank, audio, images), or null: its categories must
   * declare it ({@code reranker}, {@code speech_to_text}, {@code text_to_speech}, {@code image}), whatever the
   * backend; the builtin engine reranks with any model that serves embeddings (cosine similarity) and serves
   * no audio or images.
   */
  private static String unserved(Operation operation, String name, JsonObject model) {
    JsonArray categories = categories(model);
    boolean builtin = "builtin".equals(model.getString("backend")) || "builtin".equals(model.getString("source"));
    if (categories.contains(operation.category())
        || builtin && operation == Operation.RERANK && categories.contains("embedding")) {
      return builtin && operation != Operation.RERANK ? builtinCannot(operation, name) : null;
    }
    if (builtin) {
      return builtinCannot(operation, name);
    }
    return "model '" + name + "' does not declare the category '" + operation.category() + "', so it is not sent "
        + operation.path() + "; add it to the model's categories when its engine serves that endpoint ("
        + (operation == Operation.RERANK ? "llama.cpp starts with --reranking then; vLLM serves /v1/rerank" : "vLLM, or a custom engine")
        + "), or choose a model that does (GET /v1/models lists them)";
  }

  private static String builtinCannot(Operation operation, String name) {
    String what = operation == Operation.RERANK ? "reranks only with an embedding model (categories [\"embedding\"])"
        : "serves no audio or images";
    return "model '" + name + "' runs on the builtin engine, which " + what + ", so it cannot answer " + operation.path()
        + "; deploy a model with categories [\"" + operation.category() + "\"] on a backend whose engine serves "
        + operation.path() + " (" + (operation == Operation.RERANK ? "llama.cpp with a reranker model, vLLM" : "vLLM, or a custom engine")
        + ")";
  }

  private static JsonArray categories(JsonObject model) {
    return model.getValue("categories") instanceof JsonArray array ? array : new JsonArray();
  }

  /** Whether the client itself asked for the final usage chunk of a stream. */
  static boolean clientWantsUsage(JsonObject body) {
    JsonObject options = body.getJsonObject("stream_options");
    return options != null && Boolean.TRUE.equals(options.getValue("include_usage"));
  }

  /** The body to send upstream for a stream: the same, with {@code stream_options.include_usage=true}. */
  static Buffer withUsageRequested(JsonObject body) {
    JsonObject copy = body.copy();
    JsonObject options = copy.getJsonObject("stream_options");
    copy.put("stream_options", (options == null ? new JsonObject() : options).put("include_usage", true));
    return copy.toBuffer();
  }

  /** The body when it is a JSON object, otherwise null (then {@link #object} says what is wrong). */
  static JsonObject objectOrNull(Buffer raw) {
    try {
      return raw == null || raw.length() == 0 || !(JsonBody.parse(raw) instanceof JsonObject object) ? null : object;
    } catch (DecodeException e) {
      return null;
    }
  }

  static JsonObject object(Buffer raw) {
    if (raw == null || raw.length() == 0) {
      throw ApiException.badRequest("request body is required: send a JSON object with 'model'");
    }
    Object value;
    try {
      value = JsonBody.parse(raw);
    } catch (DecodeException e) {
      throw new ApiException(400, "invalid_json", "request body is not valid JSON: send a JSON object with 'model'");
    }
    if (!(value instanceof JsonObject object)) {
      throw ApiException.badRequest("request body must be a JSON object");
    }
    return object;
  }

  private static void requireMessages(Object messages) {
    if (!(messages instanceof JsonArray array) || array.isEmpty()) {
      throw invalid("messages", "is required: a non-empty array of {\"role\", \"content\"} objects");
    }
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof JsonObject message) || !(message.getValue("role") instanceof String)) {
        throw invalid("messages[" + i + "]", "must be an object with a string 'role'");
      }
    }
  }

  private static void requireInput(Object input) {
    requirePresent(input, "input", "a string or an array of strings or token ids");
    if (input instanceof JsonArray array && array.isEmpty() || input instanceof String s && s.isEmpty()) {
      throw invalid("input", "must not be empty");
    }
    if (!(input instanceof String) && !(input instanceof JsonArray)) {
      throw invalid("input", "must be a string or an array of strings or token ids");
    }
  }

  private static void requireRerank(JsonObject body) {
    requireText(body, "query", "the text to rank the documents against");
    if (!(body.getValue("documents") instanceof JsonArray documents) || documents.isEmpty()) {
      throw invalid("documents", "is required: a non-empty array of strings (or {\"text\"} objects)");
    }
    for (int i = 0; i < documents.size(); i++) {
      Object document = documents.getValue(i);
      if (!(document instanceof String) && !(document instanceof JsonObject o && o.getValue("text") instanceof String)) {
        throw invalid("documents[" + i + "]", "must be a string or an object with a string 'text'");
      }
    }
    Object topN = body.getValue("top_n");
    if (topN != null && !((topN instanceof Integer || topN instanceof Long) && ((Number) topN).longValue() >= 1)) {
      throw invalid("top_n", "must be a whole number of at least 1");
    }
  }

  private static void requireText(JsonObject body, String field, String what) {
    Object value = body.getValue(field);
    if (!(value instanceof String text) || text.isEmpty()) {
      throw invalid(field, value == null ? "is required: " + what : "must be a non-empty string: " + what);
    }
  }

  private static void requirePresent(Object value, String field, String what) {
    if (value == null) {
      throw invalid(field, "is required: " + what);
    }
  }

  /** A 400 with OpenAI's code ({@code missing_required_parameter} or {@code invalid_value}) and the field as {@code param}. */
  static ApiException invalid(String field, String problem) {
    return new ApiException(400, problem.startsWith("is required") ? "missing_required_parameter" : "invalid_value",
        "invalid request: field '" + field + "' " + problem, field);
  }

  private OpenAiRequests() {
  }
}
