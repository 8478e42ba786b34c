package dev.gantry.testing;

import dev.gantry.cluster.ClusterSecret;
import dev.gantry.GantryNode;
import dev.gantry.config.GantryConfig;
import dev.gantry.config.StartCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import picocli.CommandLine;

/**
 * A cluster of in-JVM Gantry nodes on 127.0.0.1: free HTTP and cluster ports, a temp data directory
 * each, every node listing the others as {@code --join} peers, all sharing one database of the JVM's
 * test PostgreSQL (or a given {@code --db-url}). Nodes are numbered from 1. Start it once per test class.
 */
public final class TestNodes implements AutoCloseable {

  /** Shared by the nodes of this cluster (and by processes started with {@link #args}). */
  public final String clusterSecret = ClusterSecret.generate();

  public static final String ADMIN = "admin";
  public static final String ADMIN_PASSWORD = "bootstrap-Secret-42";

  private final String dbUrl;
  private final List<String> extraArgs;
  private final List<Slot> slots = new ArrayList<>();

  private static final class Slot {
    final String name;
    final int httpPort;
    final int clusterPort;
    final Path dataDir;
    volatile GantryNode node;

    Slot(String name) {
      this.name = name;
      this.httpPort = Ports.free();
      this.clusterPort = Ports.free();
      this.dataDir = TestFiles.tempDir("gantry-test-" + name + "-");
    }
  }

  private TestNodes(int count, String dbUrl, String namePrefix, List<String> extraArgs) {
    this.dbUrl = dbUrl;
    this.extraArgs = List.copyOf(extraArgs);
    for (int i = 1; i <= count; i++) {
      slots.add(new Slot(namePrefix + "-" + i));
    }
  }

  /** Starts {@code count} nodes at the same moment on a fresh database of the shared test PostgreSQL. */
  /** Starts {@code count} nodes with extra command-line options, e.g. {@code --reschedule-grace 2}. */
  public static TestNodes startWith(int count, String... extraArgs) {
    String prefix = "n" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    return start(count, TestPostgres.shared().newDatabase("gantry_" + prefix), prefix, List.of(extraArgs));
  }

  public static TestNodes start(int count) {
    String prefix = "n" + Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    return start(count, TestPostgres.shared().newDatabase("gantry_" + prefix), prefix);
  }

  /** Starts {@code count} nodes at the same moment on the given database. */
  public static TestNodes start(int count, String dbUrl, String namePrefix) {
    return start(count, dbUrl, namePrefix, List.of());
  }

  private static TestNodes start(int count, String dbUrl, String namePrefix, List<String> extraArgs) {
    TestNodes nodes = new TestNodes(count, dbUrl, namePrefix, extraArgs);
    ExecutorService starters = Executors.newFixedThreadPool(count);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 1; i <= count; i++) {
        int index = i;
        started.add(starters.submit(() -> nodes.startNode(index)));
      }
      for (Future<?> future : started) {
        future.get();
      }
    } catch (Exception e) {
      nodes.close();
      throw new IllegalStateException("test cluster did not start: " + e.getMessage(), e);
    } finally {
      starters.shutdownNow();
    }
    return nodes;
  }

  /** The command line node {@code index} is started with (also usable with {@code java -jar}). */
  public List<String> args(int index) {
    Slot slot = slot(index);
    List<String> args = new ArrayList<>(List.of(
        "--data-dir", slot.dataDir.toString(),
        "--host", "127.0.0.1",
        "--port", String.valueOf(slot.httpPort),
        "--cluster-port", String.valueOf(slot.clusterPort),
        "--node-name", slot.name,
        "--labels", "suite=it,index=" + index,
        "--db-url", dbUrl,
        "--bootstrap-password", ADMIN_PASSWORD,
        "--http-instances", "1",
        "--cluster-secret", clusterSecret));
    args.addAll(extraArgs);
    String llamaServer = System.getenv("GANTRY_LLAMA_SERVER");
    if (llamaServer != null && !llamaServer.isBlank() && !extraArgs.contains("--llama-server")) {
      args.add("--llama-server");
      args.add(llamaServer);
    }
    String peers = IntStream.rangeClosed(1, slots.size()).filter(i -> i != index)
        .mapToObj(i -> "127.0.0.1:" + slot(i).clusterPort).collect(Collectors.joining(","));
    if (!peers.isEmpty()) {
      args.add("--join");
      args.add(peers);
    }
    return args;
  }

  /** Starts node {@code index} (again, with the same name, ports and data directory); returns when it is ready. */
  public GantryNode startNode(int index) throws Exception {
    Slot slot = slot(index);
    if (slot.node != null) {
      throw new IllegalStateException(slot.name + " is already running");
    }
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).parseArgs(args(index).toArray(String[]::new));
    GantryConfig config = command.toConfig();
    slot.node = GantryNode.start(config);
    return slot.node;
  }

  /** Stops node {@code index} gracefully: its replicas move elsewhere, it leaves the cluster as {@code stopped}. */
  public void stopNode(int index) {
    Slot slot = slot(index);
    GantryNode node = slot.node;
    slot.node = null;
    if (node != null) {
      node.close();
    }
  }

  /** Stops node {@code index} as a crash looks to the cluster: no goodbye, so the others find it unreachable. */
  public void crashNode(int index) {
    Slot slot = slot(index);
    GantryNode node = slot.node;
    slot.node = null;
    if (node != null) {
      node.halt();
    }
  }

  /** The running node {@code index} (null when stopped). */
  public GantryNode node(int index) {
    return slot(index).node;
  }

  public boolean running(int index) {
    return slot(index).node != null;
  }

  public int size() {
    return slots.size();
  }

  public String name(int index) {
    return slot(index).name;
  }

  /** The node's {@code --data-dir} (deleted when the nodes close). */
  public Path dataDir(int index) {
    return slot(index).dataDir;
  }

  public String url(int index) {
    return "http://127.0.0.1:" + slot(index).httpPort;
  }

  /** The Hazelcast member port of node {@code index}. */
  public int clusterPort(int index) {
    return slot(index).clusterPort;
  }

  public String dbUrl() {
    return dbUrl;
  }

  /** An unauthenticated client for node {@code index}. */
  public Api api(int index) {
    return new Api(url(index));
  }

  /** A client for node {@code index} signed in as the bootstrap admin. */
  public Api admin(int index) {
    return api(index).login(ADMIN, ADMIN_PASSWORD);
  }

  private Slot slot(int index) {
    if (index < 1 || index > slots.size()) {
      throw new IllegalArgumentException("nodes are numbered 1.." + slots.size() + ", got " + index);
    }
    return slots.get(index - 1);
  }

  @Override
  public void close() {
    for (int i = slots.size(); i >= 1; i--) {
      try {
        crashNode(i);  // the end of a test: no need to move replicas around
      } catch (RuntimeException e) {
        System.err.println("could not stop " + name(i) + ": " + e.getMessage());
      }
      TestFiles.deleteRecursively(slot(i).dataDir);
    }
  }
}
