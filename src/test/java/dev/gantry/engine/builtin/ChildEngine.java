package dev.gantry.engine.builtin;

import dev.gantry.testing.TestFiles;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The builtin engine running as a real child JVM on this test's classpath, as the node agent runs it. */
final class ChildEngine implements AutoCloseable {

  private static final Pattern URL = Pattern.compile("url: (http://[^,\\]]+)");

  private final Process process;
  /** The child's {@code java.io.tmpdir}, as the node gives each engine its own: deleted on close. */
  private final Path scratch;
  private final List<String> stdout = Collections.synchronizedList(new ArrayList<>());
  private final List<String> stderr = Collections.synchronizedList(new ArrayList<>());
  private final List<Thread> pumps = new ArrayList<>();
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private String baseUrl;

  private ChildEngine(Process process, Path scratch) {
    this.process = process;
    this.scratch = scratch;
    pumps.add(pump(process.getInputStream(), stdout));
    pumps.add(pump(process.getErrorStream(), stderr));
  }

  /** Starts {@code BuiltinEngineMain} with the given arguments in a new JVM. */
  static ChildEngine start(String... args) throws IOException {
    return startFrom(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), args);
  }

  /** Starts {@code BuiltinEngineMain} from the given classpath (e.g. the shipped jar alone) in a new JVM. */
  static ChildEngine startFrom(String classpath, String... args) throws IOException {
    return startWith(classpath, Map.of(), args);
  }

  /** Starts {@code BuiltinEngineMain} on this test's classpath with extra environment variables, as the node agent passes the key. */
  static ChildEngine startWithEnv(Map<String, String> env, String... args) throws IOException {
    return startWith(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), env, args);
  }

  /** Starts {@code BuiltinEngineMain} on this test's classpath with extra options for its JVM. */
  static ChildEngine startWithJvmOptions(List<String> options, String... args) throws IOException {
    return startWith(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")), Map.of(),
        options, args);
  }

  private static ChildEngine startWith(String classpath, Map<String, String> env, String... args) throws IOException {
    return startWith(classpath, env, List.of(), args);
  }

  private static ChildEngine startWith(String classpath, Map<String, String> env, List<String> jvmOptions,
      String... args) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Path scratch = TestFiles.tempDir("gantry-child-engine-");
    List<String> command = new ArrayList<>(List.of(java, "-Xmx1g", "-Djava.io.tmpdir=" + scratch));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", classpath, BuiltinEngineMain.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return new ChildEngine(builder.start(), scratch);
  }

  /** Waits until the engine prints the address it listens on, then until {@code /health} answers 200. */
  ChildEngine awaitReady(Duration timeout) throws Exception {
    Instant deadline = Instant.now().plus(timeout);
    String line = awaitLine(text -> URL.matcher(text).find(), deadline);
    Matcher matcher = URL.matcher(line);
    matcher.find();
    baseUrl = matcher.group(1);
    while (true) {
      Optional<HttpResponse<String>> health = tryGet("/health");
      if (health.isPresent() && health.get().statusCode() == 200) {
        return this;
      }
      if (health.isPresent() && health.get().statusCode() != 503) {
        throw new AssertionError("/health answered " + health.get().statusCode() + " while loading: " + health.get().body());
      }
      checkAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("engine not healthy within " + timeout + "; stdout " + stdout + " stderr " + stderr);
      }
      Thread.sleep(50);
    }
  }

  /** Waits for a stdout line that matches. */
  String awaitLine(Predicate<String> matches, Instant deadline) throws InterruptedException {
    while (true) {
      synchronized (stdout) {
        for (String line : stdout) {
          if (matches.test(line)) {
            return line;
          }
        }
      }
      checkAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new AssertionError("no such line within the deadline; stdout " + stdout + " stderr " + stderr);
      }
      Thread.sleep(20);
    }
  }

  /** Waits for the process to exit and for its last output to be read; returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("engine still running after " + timeout + "; stdout " + stdout + " stderr " + stderr);
    }
    for (Thread pump : pumps) {
      pump.join(5_000);
    }
    return process.exitValue();
  }

  /**
   * Sends SIGTERM, as the node agent does to stop an engine, and returns the exit code. Goes through
   * the process handle: {@code Process.destroy()} also closes the pipes, losing the last output.
   */
  int terminate(Duration timeout) throws InterruptedException {
    process.toHandle().destroy();
    return awaitExit(timeout);
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), headers);
  }

  HttpResponse<String> post(String path, String body, String... headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(request, headers);
  }

  static JsonObject json(HttpResponse<String> response) {
    return new JsonObject(response.body());
  }

  List<String> stdout() {
    return List.copyOf(stdout);
  }

  List<String> stderr() {
    return List.copyOf(stderr);
  }

  /** Stops the engine with SIGTERM, or kills it when that does not end it in 20 seconds. */
  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    TestFiles.deleteRecursively(scratch);
  }

  private HttpResponse<String> send(HttpRequest.Builder request, String... headers) throws Exception {
    if (headers.length > 0) {
      request.headers(headers);
    }
    return http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private Optional<HttpResponse<String>> tryGet(String path) throws Exception {
    try {
      return Optional.of(get(path));
    } catch (ConnectException e) {
      return Optional.empty();
    }
  }

  private void checkAlive() {
    if (!process.isAlive()) {
      throw new AssertionError("engine exited with " + process.exitValue() + "; stdout " + stdout + " stderr " + stderr);
    }
  }

  private static Thread pump(InputStream stream, List<String> lines) {
    Thread thread = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
        reader.lines().forEach(lines::add);
      } catch (IOException | java.io.UncheckedIOException e) {
        lines.add("<stream closed: " + e.getMessage() + ">");  // the engine was stopped while we read
      }
    }, "child-engine-output");
    thread.setDaemon(true);
    thread.start();
    return thread;
  }
}
