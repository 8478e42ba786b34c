package dev.gantry.engine.builtin;

import io.vertx.core.Future;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code POST /v1/rerank} in the Jina/Cohere shape llama-server and vLLM serve ({@code query},
 * {@code documents}, {@code top_n}, {@code return_documents} → {@code results} of {@code index} and
 * {@code relevance_score}, best first, with {@code document: {"text"}} when asked). The builtin engine
 * has no cross-encoder: it scores each document by the cosine similarity of its embedding to the query's
 * (the embedding model's vectors are normalised, so the dot product), which ranks by topic the way a
 * bi-encoder retriever does, though less sharply than a trained reranker.
 */
final class RerankHandler {

  private static final int MAX_DOCUMENTS = 1024;

  private final WorkerExecutor modelWorker;
  private final Supplier<LoadedModel> model;
  private final String modelName;

  RerankHandler(WorkerExecutor modelWorker, Supplier<LoadedModel> model, String modelName) {
    this.modelWorker = modelWorker;
    this.model = model;
    this.modelName = modelName;
  }

  Future<JsonObject> handle(RoutingContext rc) {
    LoadedModel loaded = model.get();
    if (loaded == null) {
      throw OpenAiError.loading();
    }
    EmbeddingModel embeddings = loaded.embeddings().orElseThrow(() -> OpenAiError.badRequest("unsupported_endpoint",
        "model '" + modelName + "' generates text and cannot rerank; the builtin engine reranks with an embedding"
            + " model (deploy it with categories [\"embedding\"]), or use a reranker model on llama.cpp or vLLM"));
    JsonObject body = JsonFields.requestBody(rc);
    JsonFields.checkModel(body, modelName);
    String query = JsonFields.optionalString(body, "query");
    if (query == null || query.isEmpty()) {
      throw OpenAiError.badField("query", "is required: a non-empty string");
    }
    List<String> documents = documents(JsonFields.requiredNonEmptyArray(body, "documents"));
    Integer topN = JsonFields.optionalInt(body, "top_n", 1, Integer.MAX_VALUE);
    boolean returnDocuments = JsonFields.optionalBoolean(body, "return_documents");
    List<String> inputs = new ArrayList<>(documents.size() + 1);
    inputs.add(query);
    inputs.addAll(documents);
    return modelWorker.executeBlocking(() -> embeddings.embed(inputs))
        .map(result -> answer(result, documents, topN == null ? documents.size() : topN, returnDocuments));
  }

  private static List<String> documents(JsonArray given) {
    if (given.size() > MAX_DOCUMENTS) {
      throw OpenAiError.badField("documents", "has " + given.size() + " items; at most " + MAX_DOCUMENTS + " are allowed");
    }
    List<String> texts = new ArrayList<>(given.size());
    for (int i = 0; i < given.size(); i++) {
      Object document = given.getValue(i);
      String text = document instanceof String s ? s
          : document instanceof JsonObject o && o.getValue("text") instanceof String t ? t : null;
      if (text == null || text.isEmpty()) {
        throw OpenAiError.badField("documents[" + i + "]", "must be a non-empty string or {\"text\": \"...\"}");
      }
      texts.add(text);
    }
    return texts;
  }

  private JsonObject answer(EmbeddingModel.Embeddings result, List<String> documents, int topN, boolean returnDocuments) {
    float[] query = result.vectors().get(0);
    List<JsonObject> scored = new ArrayList<>(documents.size());
    for (int i = 0; i < documents.size(); i++) {
      JsonObject entry = new JsonObject().put("index", i).put("relevance_score", dot(query, result.vectors().get(i + 1)));
      if (returnDocuments) {
        entry.put("document", new JsonObject().put("text", documents.get(i)));
      }
      scored.add(entry);
    }
    scored.sort(Comparator.comparingDouble((JsonObject entry) -> entry.getDouble("relevance_score")).reversed());
    JsonArray results = new JsonArray(new ArrayList<>(scored.subList(0, Math.min(topN, scored.size()))));
    return new JsonObject().put("id", "rerank-" + System.nanoTime()).put("object", "list").put("model", modelName)
        .put("results", results)
        .put("usage", new JsonObject().put("prompt_tokens", result.promptTokens()).put("total_tokens", result.promptTokens()));
  }

  private static double dot(float[] a, float[] b) {
    double sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += (double) a[i] * b[i];
    }
    return sum;
  }
}
