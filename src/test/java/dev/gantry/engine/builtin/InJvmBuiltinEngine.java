package dev.gantry.engine.builtin;

import io.vertx.core.Vertx;

/**
 * The builtin engine serving {@code builtin:gantry-tiny-chat} inside the test JVM on a free loopback port
 * (as {@link BuiltinEngineMain} does in its own process): a real engine for stand-ins to delegate to.
 */
public final class InJvmBuiltinEngine implements AutoCloseable {

  public static final String MODEL = "gantry-tiny-chat";
  private final Vertx vertx;
  private final String url;

  private InJvmBuiltinEngine(Vertx vertx, String url) {
    this.vertx = vertx;
    this.url = url;
  }

  /** Loads the model, then listens; answers once it is ready. */
  public static InJvmBuiltinEngine start() throws InvalidModelException {
    EngineConfig config = new EngineConfig("builtin:" + MODEL, "127.0.0.1", 0, MODEL, 0, 1, null, false, false, 0);
    LoadedModel model = LoadedModel.load(ModelSource.resolve(config.model()), config);
    Vertx vertx = Vertx.vertx();
    BuiltinEngineVerticle verticle = new BuiltinEngineVerticle(config, () -> model);
    vertx.deployVerticle(verticle).await();
    return new InJvmBuiltinEngine(vertx, "http://127.0.0.1:" + verticle.actualPort());
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String url() {
    return url;
  }

  @Override
  public void close() {
    vertx.close().await();
  }
}
