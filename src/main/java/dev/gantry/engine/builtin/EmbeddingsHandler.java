package dev.gantry.engine.builtin;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /v1/embeddings}: {@code input} is a string or an array of strings; vectors come back
 * as float arrays or, with {@code encoding_format: base64} (the OpenAI SDKs' default), as base64 of
 * little-endian float32, with {@code usage.prompt_tokens} and {@code usage.total_tokens}.
 */
final class EmbeddingsHandler {

  private static final int MAX_INPUTS = 2048;

  private final WorkerExecutor modelWorker;
  private final Supplier<LoadedModel> model;
  private final String modelName;

  EmbeddingsHandler(WorkerExecutor modelWorker, Supplier<LoadedModel> model, String modelName) {
    this.modelWorker = modelWorker;
    this.model = model;
    this.modelName = modelName;
  }

  Future<JsonObject> handle(RoutingContext rc) {
    EmbeddingModel embeddings = embeddingModel();
    JsonObject body = JsonFields.requestBody(rc);
    JsonFields.checkModel(body, modelName);
    List<String> inputs = inputs(body.getValue("input"));
    boolean base64 = base64(JsonFields.optionalString(body, "encoding_format"));
    Integer dimensions = JsonFields.optionalInt(body, "dimensions", 1, Integer.MAX_VALUE);
    if (dimensions != null && dimensions != embeddings.dimension()) {
      throw OpenAiError.badField("dimensions", "must be " + embeddings.dimension() + " (or absent) for this model");
    }
    return modelWorker.executeBlocking(() -> embeddings.embed(inputs))
        .map(result -> response(result, base64));
  }

  private EmbeddingModel embeddingModel() {
    LoadedModel loaded = model.get();
    if (loaded == null) {
      throw OpenAiError.loading();
    }
    return loaded.embeddings().orElseThrow(() -> OpenAiError.badRequest("unsupported_endpoint",
        "model '" + modelName + "' generates text and serves no embeddings; send its requests to"
            + " POST /v1/chat/completions or /v1/completions, or deploy the model with categories [\"embedding\"]"
            + " to serve /v1/embeddings"));
  }

  private static List<String> inputs(Object input) {
    if (input == null) {
      throw OpenAiError.badField("input", "is required");
    }
    if (input instanceof String text) {
      return List.of(nonEmpty(text, "input"));
    }
    if (!(input instanceof JsonArray array) || array.isEmpty()) {
      throw OpenAiError.badField("input", "must be a non-empty string or a non-empty array of strings");
    }
    if (array.size() > MAX_INPUTS) {
      throw OpenAiError.badField("input", "has " + array.size() + " items; at most " + MAX_INPUTS + " are allowed");
    }
    List<String> texts = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      if (!(array.getValue(i) instanceof String text)) {
        throw OpenAiError.badField("input[" + i + "]", "must be a string (token arrays are not supported)");
      }
      texts.add(nonEmpty(text, "input[" + i + "]"));
    }
    return texts;
  }

  private static String nonEmpty(String text, String field) {
    if (text.isEmpty()) {
      throw OpenAiError.badField(field, "must not be empty");
    }
    return text;
  }

  private static boolean base64(String encodingFormat) {
    if (encodingFormat == null || encodingFormat.equals("float")) {
      return false;
    }
    if (encodingFormat.equals("base64")) {
      return true;
    }
    throw OpenAiError.badField("encoding_format", "must be \"float\" or \"base64\"");
  }

  private JsonObject response(EmbeddingModel.Embeddings result, boolean base64) {
    JsonArray data = new JsonArray();
    for (int i = 0; i < result.vectors().size(); i++) {
      float[] vector = result.vectors().get(i);
      data.add(new JsonObject()
          .put("object", "embedding")
          .put("index", i)
          .put("embedding", base64 ? toBase64(vector) : toJson(vector)));
    }
    return new JsonObject()
        .put("object", "list")
        .put("data", data)
        .put("model", modelName)
        .put("usage", new JsonObject()
            .put("prompt_tokens", result.promptTokens())
            .put("total_tokens", result.promptTokens()));
  }

  private static JsonArray toJson(float[] vector) {
    JsonArray array = new JsonArray(new ArrayList<>(vector.length));
    for (float v : vector) {
      array.add(v);
    }
    return array;
  }

  private static String toBase64(float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return Base64.getEncoder().encodeToString(bytes.array());
  }
}
