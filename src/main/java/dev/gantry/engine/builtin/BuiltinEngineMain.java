package dev.gantry.engine.builtin;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.file.FileSystemOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The {@code builtin} engine: a standalone OpenAI-compatible server the node agent runs as a child
 * JVM from Gantry's own jar. It checks the model, listens at once ({@code /health} answers 503
 * while loading), loads the model, then prints {@code builtin engine ready [...]}. A model that
 * cannot be served ends the process with exit code 2 and one {@code error: ...} line on stderr.
 */
@Command(name = "builtin-engine", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Serves one GGUF (llama.cpp) or ONNX embedding model over an OpenAI-compatible HTTP API.")
public final class BuiltinEngineMain implements Callable<Integer> {

  static final int EXIT_INVALID_MODEL = 2;
  static final int EXIT_USAGE = 2;
  static final int EXIT_FAILURE = 1;

  @Option(names = "--model", required = true,
      description = "a .gguf file, an .onnx file with tokenizer.json beside it, builtin:all-minilm-l6-v2 or builtin:gantry-tiny-chat")
  String model;

  @Option(names = "--port", required = true, description = "port to listen on (0: any free port)")
  int port;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "address to bind (default: ${DEFAULT-VALUE})")
  String host;

  @Option(names = "--model-name", required = true, description = "the model id clients send and /v1/models lists")
  String modelName;

  @Option(names = "--ctx-size", defaultValue = "0", description = "GGUF context length (default: the model's, at most 4096)")
  int ctxSize;

  @Option(names = "--threads", defaultValue = "0", description = "inference threads (default: all cores)")
  int threads;

  /**
   * Read from the environment in {@link #call()}, not through a picocli default value: picocli parses a
   * default like an argument, and refuses one that starts with '-' (a derived key does, 1 time in 64).
   */
  @Option(names = "--api-key",
      description = "require 'Authorization: Bearer <key>' on /v1/* (default: $GANTRY_API_KEY)")
  String apiKey;

  @Option(names = "--embeddings", description = "load a GGUF model for /v1/embeddings instead of generation")
  boolean embeddings;

  @Option(names = "--verbose", description = "keep llama.cpp's own log")
  boolean verbose;

  @Option(names = "--token-delay-ms", defaultValue = "0",
      description = "pause this long before each generated token: a slower engine on purpose (demos, tuning tests)")
  int tokenDelayMs;

  public static void main(String[] args) {
    configureLogging();
    CommandLine commandLine = new CommandLine(new BuiltinEngineMain())
        .setParameterExceptionHandler((e, arguments) -> {
          System.err.println("error: " + e.getMessage() + " (see --help)");
          return EXIT_USAGE;
        });
    int exitCode;
    try {
      exitCode = commandLine.execute(args);
    } catch (Throwable e) { // an Error passes picocli by; the HTTP server's threads would keep a broken engine up
      e.printStackTrace();
      exitCode = EXIT_FAILURE;
    }
    if (exitCode != 0 || commandLine.isUsageHelpRequested() || commandLine.isVersionHelpRequested()) {
      System.exit(exitCode);
    }
  }

  @Override
  public Integer call() {
    String key = apiKey != null ? apiKey : System.getenv("GANTRY_API_KEY");
    EngineConfig config = new EngineConfig(model, host, port, modelName, ctxSize, threads, key, embeddings, verbose,
        Math.max(0, tokenDelayMs));
    ModelSource source;
    try {
      source = ModelSource.resolve(config.model());
    } catch (InvalidModelException e) {
      return fail(EXIT_INVALID_MODEL, e.getMessage());
    }
    AtomicReference<LoadedModel> loaded = new AtomicReference<>();
    Vertx vertx = withoutFileCache();
    BuiltinEngineVerticle verticle = new BuiltinEngineVerticle(config, loaded::get);
    try {
      vertx.deployVerticle(verticle).await();
    } catch (Exception e) { // await() rethrows the bind failure as it is, checked or not
      vertx.close();
      return fail(EXIT_FAILURE, "cannot listen on " + host + ":" + port + ": " + e.getMessage());
    }
    String url = "http://" + host + ":" + verticle.actualPort();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(vertx), "builtin-engine-shutdown"));
    System.out.printf("builtin engine loading [model: %s, source: %s, url: %s]%n", modelName, source.location(), url);
    long started = System.nanoTime();
    try {
      loaded.set(LoadedModel.load(source, config));
    } catch (InvalidModelException e) {
      return fail(EXIT_INVALID_MODEL, e.getMessage());
    } catch (UnsatisfiedLinkError e) {
      return fail(EXIT_FAILURE, unloadable(e));
    }
    System.out.printf("builtin engine ready [model: %s, format: %s, url: %s, load_ms: %d]%n",
        modelName, loaded.get().format(), url, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return 0;
  }

  /**
   * llama.cpp's and ONNX Runtime's native libraries are unpacked into the temporary folder and loaded from there;
   * a folder on a file system mounted {@code noexec} cannot load them (the loader prints "failed to map segment").
   * What to do comes first: the node shows an engine's last line up to 300 characters.
   */
  static String unloadable(UnsatisfiedLinkError e) {
    return "cannot load the engine's native library from " + System.getProperty("java.io.tmpdir")
        + " (is its file system mounted noexec? then give the node a --data-dir on one that allows running programs)"
        + " [cause: " + e.getMessage() + "]";
  }

  /**
   * The engine serves no file from the classpath. Without classpath resolving Vert.x makes no file cache folder,
   * which a hard kill would leave behind.
   */
  public static Vertx withoutFileCache() {
    return Vertx.vertx(new VertxOptions().setFileSystemOptions(new FileSystemOptions().setClassPathResolvingEnabled(false)));
  }

  private static int fail(int exitCode, String message) {
    System.err.println("error: " + message);
    return exitCode;
  }

  /** Engine logging: only warnings from libraries, on stdout, which the node agent keeps as the instance log. */
  private static void configureLogging() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "dev/gantry/engine/builtin/logback-engine.xml");
    }
  }

  /**
   * Stops taking requests and lets the JVM halt. The llama.cpp model is not closed: its native
   * loop thread may be mid-generation, and the process is ending anyway.
   */
  private static void shutdown(Vertx vertx) {
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      System.err.println("builtin engine: HTTP server did not close cleanly: " + e.getMessage());
    }
    System.out.println("builtin engine stopped");
  }
}
