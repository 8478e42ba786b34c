package dev.gantry.bench;

import com.sun.management.OperatingSystemMXBean;
import dev.gantry.GantryNode;
import dev.gantry.config.GantryConfig;
import dev.gantry.config.StartCommand;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import picocli.CommandLine;

/**
 * Gateway overhead against calling the engine directly (and nginx {@code proxy_pass}, when installed),
 * all in the same run against the same {@link BenchEngine} process: non-streaming latency and throughput
 * at concurrency 1, 16 and 64 and at a fixed 1,000 requests/s, then time to first token and inter-token
 * gaps at 100 and 1,000 concurrent streams. The gateway is a real node (embedded in this JVM, metering
 * every request into PostgreSQL); the engine is a process the node's supervisor started.
 * Run with {@code scripts/bench-gateway.sh}.
 */
public final class GatewayBench {

  private static final String PASSWORD = "bench-Secret-42";
  private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup", 15));
  private static final Duration RUN = Duration.ofSeconds(Long.getLong("bench.seconds", 5));
  private static final Duration STREAM_RUN = Duration.ofSeconds(Long.getLong("bench.stream.seconds", 10));

  private GatewayBench() {
  }

  public static void main(String[] args) throws Exception {
    Path data = TestFiles.tempDir("gantry-bench-");
    GantryNode node = GantryNode.start(config(data));
    Vertx vertx = Vertx.vertx();
    List<LoadClient> clients = new ArrayList<>();
    NginxBaseline nginx = null;
    try {
      String url = "http://127.0.0.1:" + node.config().port();
      Api admin = new Api(url).login("admin", PASSWORD);
      JsonObject instance = deployEngine(admin, data);
      String secret = node.config().clusterSecret().engineKey(instance.getString("id"));
      String key = Api.expect(admin.post("/v2/api-keys", new JsonObject().put("name", "bench").put("scope", "inference")), 201)
          .getString("value");
      int enginePort = instance.getInteger("port");
      int nginxPort = Ports.free();
      nginx = NginxBaseline.start(nginxPort, enginePort, "Bearer " + secret);
      clients.add(new LoadClient(vertx, new LoadClient.Target("direct", enginePort, "Bearer " + secret), 1_100));
      clients.add(new LoadClient(vertx, new LoadClient.Target("gateway", node.config().port(), "Bearer " + key), 1_100));
      if (nginx != null) {
        clients.add(new LoadClient(vertx, new LoadClient.Target("nginx", nginxPort, "Bearer " + secret), 1_100));
      }
      System.out.printf(Locale.ROOT, "gateway bench: %d cpus, java %s, gateway http event loops %d, targets %s%n",
          Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"), node.config().httpInstances(),
          clients.stream().map(c -> c.target().name()).toList());
      BenchReport report = new BenchReport(clients.stream().map(c -> c.target().name()).toList());
      clients.forEach(c -> c.closedLoop(16, WARM_UP));
      clients.forEach(c -> c.streams(100, WARM_UP));
      NginxBaseline proxy = nginx;
      for (int concurrency : new int[] {1, 16, 64}) {
        report.requests("closed loop, concurrency " + concurrency,
            clients.stream().map(c -> measured(proxy, c, () -> c.closedLoop(concurrency, RUN))).toList());
      }
      report.requests("open loop, 1000 requests/s",
          clients.stream().map(c -> measured(proxy, c, () -> c.openLoop(1_000, RUN))).toList());
      for (int streams : new int[] {100, 1_000}) {
        report.streams(streams + " concurrent streams", clients.stream().map(c -> {
          LoadClient.Samples[] result = new LoadClient.Samples[2];
          result[0] = measured(proxy, c, () -> {
            LoadClient.Samples[] both = c.streams(streams, STREAM_RUN);
            result[1] = both[1];
            return both[0];
          });
          return result;
        }).toList());
      }
      report.print(System.out);
      long records = TestPostgres.shared().query(TestPostgres.databaseOf(node.config().dbUrl()),
          "SELECT count(*) AS n FROM usage_records").get(0).values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
      System.out.printf(Locale.ROOT, "usage records written for the gateway's requests: %d%n", records);
    } finally {
      clients.forEach(LoadClient::close);
      if (nginx != null) {
        nginx.close();
      }
      vertx.close().await();
      node.close();
      TestFiles.deleteRecursively(data);
    }
  }

  /** Runs one scenario and adds the CPU time per request of this JVM and, for the nginx target, of nginx. */
  private static LoadClient.Samples measured(NginxBaseline nginx, LoadClient client, Supplier<LoadClient.Samples> run) {
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    boolean viaNginx = nginx != null && client.target().name().equals("nginx");
    long jvm = os.getProcessCpuTime();
    long proxy = viaNginx ? nginx.cpuNanos() : 0;
    LoadClient.Samples samples = run.get();
    long requests = Math.max(1, samples.sorted().length + samples.failures());
    return samples.withCpu(os.getProcessCpuTime() - jvm, viaNginx ? nginx.cpuNanos() - proxy : 0, requests);
  }

  private static GantryConfig config(Path data) {
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).parseArgs("--data-dir", data.toString(), "--host", "127.0.0.1",
        "--port", String.valueOf(Ports.free()), "--cluster-port", String.valueOf(Ports.free()), "--node-name", "bench-1",
        "--db-url", TestPostgres.shared().newDatabase("gantry_bench"), "--bootstrap-password", PASSWORD);
    return command.toConfig();
  }

  /** Deploys the bench engine as a custom backend with one replica; answers the running instance. */
  private static JsonObject deployEngine(Api admin, Path data) throws Exception {
    Path args = data.resolve("bench-engine.args");
    Files.writeString(args, "-Xmx512m -XX:+UseParallelGC -cp " + System.getProperty("java.class.path") + " " + BenchEngine.class.getName() + "\n");
    Path model = Files.writeString(data.resolve("bench.model"), "no weights\n");
    String command = Path.of(System.getProperty("java.home"), "bin", "java") + " @" + args
        + " --host {{host}} --port {{port}}";
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "bench").put("backend", "custom")
        .put("run_command", command).put("local_path", model.toString()).put("estimate_override_bytes", 256L << 20)), 201);
    JsonObject[] running = new JsonObject[1];
    Eventually.await(Duration.ofSeconds(60), () -> {
      JsonObject item = Api.expect(admin.get("/v2/model-instances?model_name=bench"), 200).getJsonArray("items").getJsonObject(0);
      if (!"running".equals(item.getString("state"))) {
        throw new IllegalStateException("bench engine is " + item.getString("state") + ": " + item.getString("state_message"));
      }
      running[0] = item;
    });
    return running[0];
  }
}
