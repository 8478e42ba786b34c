package dev.gantry.bench;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The streaming half of {@code scripts/bench-gateway.sh}, a load process of its own against a running node
 * (never inside the node's JVM): deploys {@link BenchEngine} as the {@code custom} model {@code bench}, then
 * opens 100 and 1,000 concurrent streams straight to the engine and through the gateway and prints time to
 * first token and the gaps between tokens, with the gateway's added TTFT. With {@code -Dbench.stream.nginx=PATH}
 * the same streams also go through nginx {@code proxy_pass} in front of the engine, with
 * {@code -Dbench.stream.bare=true} through the bare Vert.x proxy ({@link StreamProxy}): what a proxy hop that does
 * nothing else adds on the same machine under the same load, and what Gantry's own stack adds at the least.
 *
 * <p>Usage: {@code StreamLoad NODE_URL API_KEY WORK_DIR} (the key may deploy models).
 */
public final class StreamLoad {

  private static final String DIRECT_KEY = "bench-direct";
  private static final Duration WARM_UP = Duration.ofSeconds(Long.getLong("bench.warmup", 10));
  private static final Duration RUN = Duration.ofSeconds(Long.getLong("bench.stream.seconds", 10));
  /**
   * Streams at the measured concurrency just before each target's measured run. Without it the gateway's run
   * began with its engine connections closed (idle for the direct run's duration, longer than the pool keeps
   * them), and the first wave of streams, 1/16 of a 100-stream run, waited for new connections: TTFT p99 +84 ms
   * against +6 ms with them open. That is the cost of a burst after idle, not of steady concurrent streams.
   */
  private static final Duration RAMP = Duration.ofSeconds(Long.getLong("bench.stream.ramp", 3));
  /** The concurrencies measured, in order ({@code -Dbench.stream.counts=1,100,1000}). */
  private static final int[] COUNTS = java.util.Arrays.stream(System.getProperty("bench.stream.counts", "100,1000").split(","))
      .mapToInt(c -> Integer.parseInt(c.trim())).toArray();

  private StreamLoad() {
  }

  public static void main(String[] args) throws Exception {
    URI node = URI.create(args[0]);
    String key = args[1];
    Path work = Path.of(args[2]);
    int enginePort = deploy(node, key, work);
    Vertx vertx = Vertx.vertx();
    List<StreamProxy> proxies = new ArrayList<>();
    List<LoadClient> clients = new ArrayList<>();
    try {
      clients.add(new LoadClient(vertx, new LoadClient.Target("direct", enginePort, "Bearer " + DIRECT_KEY), 1_100));
      String nginx = System.getProperty("bench.stream.nginx", "");
      if (!nginx.isEmpty()) {
        clients.add(proxied(vertx, "nginx", StreamProxy.nginx(nginx, work, enginePort), proxies));
      }
      if (Boolean.getBoolean("bench.stream.bare")) {
        clients.add(proxied(vertx, "vertx", StreamProxy.bareVertx(work, enginePort), proxies));
      }
      clients.add(new LoadClient(vertx, new LoadClient.Target("gateway", node.getPort(), "Bearer " + key), 1_100));
      clients.forEach(c -> c.streams(100, WARM_UP));
      BenchReport report = new BenchReport(clients.stream().map(c -> c.target().name()).toList());
      for (int streams : COUNTS) {
        report.streams(streams + " concurrent streams", clients.stream().map(c -> {
          c.streams(streams, RAMP);
          return c.streams(streams, RUN);
        }).toList());
      }
      report.print(System.out);
    } finally {
      clients.forEach(LoadClient::close);
      proxies.forEach(StreamProxy::close);
      vertx.close().await();
    }
  }

  /** A load client towards a proxy in front of the engine; the proxy is kept to be stopped at the end. */
  private static LoadClient proxied(Vertx vertx, String name, StreamProxy proxy, List<StreamProxy> started) {
    started.add(proxy);
    return new LoadClient(vertx, new LoadClient.Target(name, proxy.port(), "Bearer " + DIRECT_KEY), 1_100);
  }

  /** Deploys the streaming engine and answers its port once its replica runs. */
  private static int deploy(URI node, String key, Path work) throws Exception {
    Path argFile = work.resolve("bench-engine.args");
    Files.writeString(argFile, "-Xmx512m -XX:+UseParallelGC -cp " + System.getProperty("java.class.path") + " "
        + BenchEngine.class.getName() + "\n");
    Path model = Files.writeString(work.resolve("bench-stream.model"), "no weights\n");
    String command = Path.of(System.getProperty("java.home"), "bin", "java") + " @" + argFile
        + " --host {{host}} --port {{port}} --direct-key " + DIRECT_KEY;
    HttpClient http = HttpClient.newHttpClient();
    JsonObject body = new JsonObject().put("name", "bench").put("backend", "custom").put("run_command", command)
        .put("local_path", model.toString()).put("estimate_override_bytes", 256L << 20);
    HttpResponse<String> created = http.send(HttpRequest.newBuilder(node.resolve("/v2/models"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())).build(), HttpResponse.BodyHandlers.ofString());
    if (created.statusCode() != 201) {
      throw new IllegalStateException("deploying the stream engine answered " + created.statusCode() + ": " + created.body());
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = http.send(HttpRequest.newBuilder(node.resolve("/v2/model-instances?model_name=bench"))
          .header("Authorization", "Bearer " + key).build(), HttpResponse.BodyHandlers.ofString());
      JsonObject first = new JsonObject(answer.body()).getJsonArray("items").getJsonObject(0);
      if (first != null && "running".equals(first.getString("state"))) {
        System.out.printf(Locale.ROOT, "stream engine running on port %d%n", first.getInteger("port"));
        return first.getInteger("port");
      }
      Thread.sleep(500);  // polling a separate process's state, not a test
    }
    throw new IllegalStateException("the stream engine did not run within 120 s");
  }
}
