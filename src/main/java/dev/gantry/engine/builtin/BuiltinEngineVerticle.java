package dev.gantry.engine.builtin;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's OpenAI-compatible HTTP API: {@code /health} (503 until the model is loaded),
 * {@code /v1/models}, {@code /v1/embeddings}, {@code /v1/rerank} (by embedding similarity),
 * {@code /v1/chat/completions} and {@code /v1/completions},
 * with an optional bearer key on {@code /v1/*} and every error in the OpenAI shape.
 */
final class BuiltinEngineVerticle extends VerticleBase {

  private static final Logger LOG = LoggerFactory.getLogger(BuiltinEngineVerticle.class);
  private static final long MAX_BODY_BYTES = 32L << 20;

  private final EngineConfig config;
  private final Supplier<LoadedModel> model;
  private final long created = System.currentTimeMillis() / 1000;
  private WorkerExecutor modelWorker;
  private HttpServer server;

  BuiltinEngineVerticle(EngineConfig config, Supplier<LoadedModel> model) {
    this.config = config;
    this.model = model;
  }

  /** The port the server listens on (the one chosen by the OS when {@code --port 0}). */
  int actualPort() {
    return server.actualPort();
  }

  @Override
  public Future<?> start() {
    modelWorker = vertx.createSharedWorkerExecutor("builtin-engine-model", 1, 1, TimeUnit.HOURS);
    CompletionHandler completions = new CompletionHandler(vertx, modelWorker, model, config.modelName());
    EmbeddingsHandler embeddings = new EmbeddingsHandler(modelWorker, model, config.modelName());
    RerankHandler rerank = new RerankHandler(modelWorker, model, config.modelName());

    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.route("/v1/*").handler(this::authenticate);
    router.get("/v1/models").respond(rc -> Future.succeededFuture(models()));
    router.post("/v1/*").handler(BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES));
    router.post("/v1/embeddings").respond(embeddings::handle);
    router.post("/v1/rerank").respond(rerank::handle);
    router.post("/v1/chat/completions").handler(completions::chat);
    router.post("/v1/completions").handler(completions::text);
    router.route().last().handler(rc -> rc.fail(OpenAiError.notFound(rc.request().path())));
    router.route().failureHandler(this::renderFailure);

    server = vertx.createHttpServer().requestHandler(router);
    return server.listen(config.port(), config.host());
  }

  @Override
  public Future<?> stop() {
    return modelWorker.close();
  }

  private void health(RoutingContext rc) {
    boolean loaded = model.get() != null;
    rc.response().setStatusCode(loaded ? 200 : 503);
    rc.json(new JsonObject().put("status", loaded ? "ok" : "loading"));
  }

  private void authenticate(RoutingContext rc) {
    if (config.apiKey() == null || config.apiKey().isEmpty()) {
      rc.next();
      return;
    }
    String header = rc.request().getHeader("Authorization");
    String presented = header != null && header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
    boolean matches = MessageDigest.isEqual(
        presented.getBytes(StandardCharsets.UTF_8), config.apiKey().getBytes(StandardCharsets.UTF_8));
    if (matches) {
      rc.next();
    } else {
      rc.fail(OpenAiError.unauthorized());
    }
  }

  private JsonObject models() {
    LoadedModel loaded = model.get();
    JsonObject entry = new JsonObject()
        .put("id", config.modelName())
        .put("object", "model")
        .put("created", created)
        .put("owned_by", "gantry");
    if (loaded != null) {
      entry.put("max_model_len", loaded.contextSize());
    }
    return new JsonObject().put("object", "list").put("data", new JsonArray().add(entry));
  }

  private void renderFailure(RoutingContext rc) {
    if (rc.response().closed()) {
      return;
    }
    if (rc.response().headWritten()) {
      rc.response().reset();
      return;
    }
    OpenAiError error = toOpenAiError(rc);
    rc.response().setStatusCode(error.status());
    rc.json(error.toJson());
  }

  private static OpenAiError toOpenAiError(RoutingContext rc) {
    Throwable failure = rc.failure();
    if (failure instanceof OpenAiError error) {
      return error;
    }
    if (rc.statusCode() == 413) {
      return OpenAiError.bodyTooLarge(MAX_BODY_BYTES);
    }
    if (failure == null && rc.statusCode() >= 400 && rc.statusCode() < 500) {
      return OpenAiError.badRequest("bad_request", "the request was rejected with HTTP " + rc.statusCode());
    }
    LOG.error("request failed [path: {}]", rc.request().path(), failure);
    return OpenAiError.internal("the engine failed to answer: " + (failure == null ? "unknown error" : failure.getMessage()));
  }
}
