package dev.gantry.engine.builtin;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/chat/completions} and {@code POST /v1/completions} for a GGUF model. Template,
 * tokenizer and generation run on the single model worker (one request at a time, the rest queue);
 * streamed text goes back to the event loop as SSE chunks, and generation stops when the client leaves.
 */
final class CompletionHandler {

  private static final Logger LOG = LoggerFactory.getLogger(CompletionHandler.class);

  private record Prepared(String prompt, int promptTokens, SamplingParams sampling) {}

  private final Vertx vertx;
  private final WorkerExecutor modelWorker;
  private final Supplier<LoadedModel> model;
  private final String modelName;

  CompletionHandler(Vertx vertx, WorkerExecutor modelWorker, Supplier<LoadedModel> model, String modelName) {
    this.vertx = vertx;
    this.modelWorker = modelWorker;
    this.model = model;
    this.modelName = modelName;
  }

  void chat(RoutingContext rc) {
    handle(rc, true).onFailure(rc::fail);
  }

  void text(RoutingContext rc) {
    handle(rc, false).onFailure(rc::fail);
  }

  private Future<Void> handle(RoutingContext rc, boolean chat) {
    LlamaCppModel llama = generator(chat);
    CompletionRequest request = CompletionRequest.parse(JsonFields.requestBody(rc), chat, modelName);
    AtomicBoolean clientGone = new AtomicBoolean();
    rc.response().closeHandler(v -> clientGone.set(true));
    return modelWorker.<Prepared>executeBlocking(() -> prepare(llama, request))
        .compose(prepared -> request.stream()
            ? stream(rc, llama, request, prepared, clientGone)
            : complete(rc, llama, request, prepared, clientGone));
  }

  private LlamaCppModel generator(boolean chat) {
    LoadedModel loaded = model.get();
    if (loaded == null) {
      throw OpenAiError.loading();
    }
    return loaded.generator().orElseThrow(() -> OpenAiError.badRequest("unsupported_endpoint",
        "model '" + modelName + "' serves embeddings only and cannot answer " + (chat ? "/v1/chat/completions"
            : "/v1/completions") + "; send its requests to POST /v1/embeddings, or choose a chat model"
            + " (GET /v1/models lists them)"));
  }

  private static Prepared prepare(LlamaCppModel llama, CompletionRequest request) {
    String prompt = request.chat() ? llama.applyChatTemplate(request.messages()) : request.prompt();
    int promptTokens = llama.countPromptTokens(prompt);
    if (promptTokens == 0) {
      throw OpenAiError.badField("prompt", "is empty");
    }
    return new Prepared(prompt, promptTokens, request.sampling(promptTokens, llama.contextSize()));
  }

  private Future<Void> complete(
      RoutingContext rc, LlamaCppModel llama, CompletionRequest request, Prepared prepared, AtomicBoolean clientGone) {
    return modelWorker.executeBlocking(() -> Generation.run(
            llama.generate(prepared.prompt(), prepared.sampling()), prepared.sampling().maxTokens(),
            piece -> { }, clientGone::get))
        .compose(result -> {
          if (result.cancelled()) {
            return Future.<Void>succeededFuture();
          }
          CompletionResponses responses = new CompletionResponses(request.chat(), modelName, false);
          JsonObject usage = CompletionResponses.usage(prepared.promptTokens(), result.completionTokens());
          return rc.json(responses.complete(result.text(), result.finishReason(), usage));
        });
  }

  private Future<Void> stream(
      RoutingContext rc, LlamaCppModel llama, CompletionRequest request, Prepared prepared, AtomicBoolean clientGone) {
    Context context = vertx.getOrCreateContext();
    SseResponse sse = SseResponse.start(context, rc.response(), clientGone);
    CompletionResponses chunks = new CompletionResponses(request.chat(), modelName, request.includeUsage());
    Future<Void> started = request.chat() ? sse.send(chunks.roleChunk()) : Future.succeededFuture();
    return started
        .compose(v -> modelWorker.executeBlocking(() -> Generation.run(
            llama.generate(prepared.prompt(), prepared.sampling()), prepared.sampling().maxTokens(),
            piece -> sse.sendFromWorker(chunks.textChunk(piece)), sse::isClosed)))
        .compose(result -> finish(sse, chunks, prepared, result))
        .recover(failure -> sse.fail(streamError(failure)));
  }

  private static OpenAiError streamError(Throwable failure) {
    if (failure instanceof OpenAiError error) {
      return error;
    }
    LOG.error("generation failed", failure);
    return OpenAiError.internal("generation failed: " + failure.getMessage());
  }

  private static Future<Void> finish(
      SseResponse sse, CompletionResponses chunks, Prepared prepared, Generation.Result result) {
    if (result.cancelled()) {
      return Future.succeededFuture();
    }
    Future<Void> finished = sse.send(chunks.finishChunk(result.finishReason()));
    if (chunks.includesUsage()) {
      JsonObject usage = CompletionResponses.usage(prepared.promptTokens(), result.completionTokens());
      finished = finished.compose(v -> sse.send(chunks.usageChunk(usage)));
    }
    return finished.compose(v -> sse.done());
  }
}
