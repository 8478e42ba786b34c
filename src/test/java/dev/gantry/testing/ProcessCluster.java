package dev.gantry.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.cluster.ClusterSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.LifecycleMethodExecutionExceptionHandler;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * N real node processes ({@link GantryProcess}, {@code java -jar gantry.jar}) joining each other on
 * 127.0.0.1 over a database of a PostgreSQL of their own ({@link TestPostgres}). Node {@code i} (1..N) is
 * named {@code <prefix>-<i>}, works in {@code <workDir>/n<i>} and logs to
 * {@code target/it-logs/<prefix>-<i>.log}. With {@link #withLoopbackAddresses()} node {@code i} listens on
 * {@code 127.0.0.<i>} instead, so that each node has an address of its own as on separate hosts (Linux routes
 * all of 127.0.0.0/8 to the loopback interface).
 *
 * <p>Kept in a static {@code @RegisterExtension} field: its work folder exists from the start (for the
 * files the nodes are given), {@link #start} goes in {@code @BeforeAll} and {@link #close} in
 * {@code @AfterAll}. When {@code @BeforeAll} or a test fails, the end of every node's log is attached to
 * the failure (as a suppressed exception, so the report shows it).
 */
public final class ProcessCluster implements AutoCloseable, TestExecutionExceptionHandler,
    LifecycleMethodExecutionExceptionHandler {

  private static final int LOG_TAIL_LINES = 40;

  private final String prefix;
  private final int size;
  private final String password;
  private final String secret = ClusterSecret.generate();
  private final Path workDir;
  private final int[] httpPorts;
  private final int[] clusterPorts;
  private final GantryProcess[] processes;
  private final List<IntFunction<List<String>>> extraArgs = new ArrayList<>();
  private IntFunction<List<String>> jvmOptions = i -> List.of();
  private boolean loopbackAddresses;
  private TestPostgres postgres;
  private String dbUrl;

  private ProcessCluster(String prefix, int size, String password) {
    this.prefix = prefix;
    this.size = size;
    this.password = password;
    this.workDir = TestFiles.tempDir("gantry-" + prefix + "-processes-");
    this.httpPorts = new int[size + 1];
    this.clusterPorts = new int[size + 1];
    this.processes = new GantryProcess[size + 1];
    for (int i = 1; i <= size; i++) {
      httpPorts[i] = Ports.free();
      clusterPorts[i] = Ports.free();
    }
  }

  /** {@code size} nodes named {@code <prefix>-<i>}, whose bootstrap admin has {@code password}. */
  public static ProcessCluster of(String prefix, int size, String password) {
    return new ProcessCluster(prefix, size, password);
  }

  /** Options node {@code i} gets after the common ones (evaluated at its start, so they may name files made later). */
  public ProcessCluster withArgs(IntFunction<List<String>> args) {
    extraArgs.add(args);
    return this;
  }

  /** Node {@code i} hands its engines the ports {@code base + 100 i} to {@code base + 100 i + 99}. */
  public ProcessCluster withEnginePorts(int base) {
    return withArgs(i -> List.of("--engine-ports", (base + i * 100) + "-" + (base + i * 100 + 99)));
  }

  /**
   * Node {@code i} listens (HTTP and cluster) on {@code 127.0.0.<i>} and the others join it there, so that
   * whatever a node advertises, and whatever connects to it, is told apart by address.
   */
  public ProcessCluster withLoopbackAddresses() {
    loopbackAddresses = true;
    return this;
  }

  /** JVM options of node {@code i} (before {@code -jar}), e.g. {@code -Dgantry.sysfs=...}. */
  public ProcessCluster withJvmOptions(IntFunction<List<String>> options) {
    jvmOptions = options;
    return this;
  }

  /**
   * Starts the database and every node at once, and waits until each is ready and sees all the members;
   * answers how long that took from the nodes' launch.
   */
  public Duration start(Duration readyTimeout) {
    postgres = TestPostgres.start();
    dbUrl = postgres.newDatabase("gantry_" + prefix);
    long launched = System.nanoTime();
    for (int i = 1; i <= size; i++) {
      restart(i);
    }
    for (int i = 1; i <= size; i++) {
      awaitReady(i, readyTimeout);
    }
    return Duration.ofNanos(System.nanoTime() - launched);
  }

  /** Starts node {@code i} (again: same name, ports, folder and options) without waiting for it. */
  public GantryProcess restart(int i) {
    processes[i] = GantryProcess.start(name(i), workDir.resolve("n" + i), jvmOptions.apply(i), args(i), Map.of());
    return processes[i];
  }

  /** Waits until node {@code i} runs, answers {@code /health/ready} with 200 and counts every node a member. */
  public void awaitReady(int i, Duration timeout) {
    Eventually.await(timeout, () -> {
      assertThat(processes[i].alive()).as("%s is running; its output:%n%s", name(i), processes[i].output()).isTrue();
      Api.Response ready = api(i).get("/health/ready");
      assertThat(ready.status()).isEqualTo(200);
      assertThat(ready.json().getJsonObject("checks").getJsonObject("cluster").getInteger("members")).isEqualTo(size);
    });
  }

  private List<String> args(int i) {
    String peers = IntStream.rangeClosed(1, size).filter(p -> p != i)
        .mapToObj(p -> host(p) + ":" + clusterPorts[p]).collect(Collectors.joining(","));
    List<String> args = new ArrayList<>(List.of("--data-dir", workDir.resolve("n" + i).resolve("data").toString(),
        "--host", host(i), "--port", String.valueOf(httpPorts[i]), "--cluster-port", String.valueOf(clusterPorts[i]),
        "--join", peers, "--node-name", name(i), "--db-url", dbUrl, "--bootstrap-password", password,
        "--cluster-secret-file", secretFile().toString()));
    extraArgs.forEach(extra -> args.addAll(extra.apply(i)));
    return args;
  }

  /** The cluster secret in a file only its owner reads, as an operator would pass it (never on a command line). */
  private Path secretFile() {
    Path file = workDir.resolve("cluster_secret");
    try {
      if (!Files.exists(file)) {
        Files.writeString(file, secret + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return file;
  }

  public int size() {
    return size;
  }

  public String name(int i) {
    return prefix + "-" + i;
  }

  /** The node number in a name made by {@link #name(int)}. */
  public int number(String nodeName) {
    return Integer.parseInt(nodeName.substring(prefix.length() + 1));
  }

  /** The address node {@code i} listens on and advertises: 127.0.0.1, or 127.0.0.{@code i} with loopback addresses. */
  public String host(int i) {
    return loopbackAddresses ? "127.0.0." + i : "127.0.0.1";
  }

  public String url(int i) {
    return "http://" + host(i) + ":" + httpPorts[i];
  }

  /** The process of node {@code i} (the latest started). */
  public GantryProcess node(int i) {
    return processes[i];
  }

  /** An unauthenticated client for node {@code i}. */
  public Api api(int i) {
    return new Api(url(i));
  }

  /** A client for node {@code i} signed in as the bootstrap admin. */
  public Api admin(int i) {
    return api(i).login("admin", password);
  }

  public Path workDir() {
    return workDir;
  }

  public TestPostgres postgres() {
    return postgres;
  }

  public String dbUrl() {
    return dbUrl;
  }

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withLogs(failure);
  }

  @Override
  public void handleBeforeAllMethodExecutionException(ExtensionContext context, Throwable failure) throws Throwable {
    throw withLogs(failure);
  }

  private Throwable withLogs(Throwable failure) {
    if (!(failure instanceof TestAbortedException)) {
      StringBuilder logs = new StringBuilder("the end of each node's log:");
      for (int i = 1; i <= size; i++) {
        logs.append(System.lineSeparator()).append(tail(i));
      }
      failure.addSuppressed(new AssertionError(logs.toString(), null));
    }
    return failure;
  }

  private String tail(int i) {
    if (processes[i] == null) {
      return "=== " + name(i) + ": not started";
    }
    List<String> lines = processes[i].output().lines().toList();
    return "=== " + name(i) + (processes[i].alive() ? " (running)" : " (exited)") + ", " + processes[i].log()
        + System.lineSeparator() + String.join(System.lineSeparator(),
            lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
  }

  /** Stops every node (SIGTERM, then SIGKILL after 15 s), the database, and deletes the work folder. */
  @Override
  public void close() {
    for (int i = 1; i <= size; i++) {
      if (processes[i] != null) {
        processes[i].close();
      }
    }
    if (postgres != null) {
      postgres.close();
    }
    TestFiles.deleteRecursively(workDir);
  }
}
