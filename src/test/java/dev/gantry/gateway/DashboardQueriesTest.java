package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.engine.backend.StandInEngine;
import dev.gantry.node.device.AcceleratorDetector;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.FakeAccelerators;
import dev.gantry.testing.TestFiles;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * The Grafana dashboards in {@code conf/grafana/dashboards} ask Prometheus for series the code really
 * exports: a node on a fake machine (two NVIDIA devices) serves a chat model, whole and streamed, and a
 * vLLM stand-in whose {@code /metrics} the node re-exports as {@code gantry_engine_*}; every metric name in
 * every panel's and variable's query must appear in that node's scrape.
 */
@DisplayName("Grafana dashboards query only series a running node exports")
class DashboardQueriesTest {

  private static final Path DASHBOARDS = Path.of("conf/grafana/dashboards");
  /** Series Prometheus makes itself rather than scraping them. */
  private static final Set<String> FROM_PROMETHEUS = Set.of("up");
  private static final Set<String> PROMQL_WORDS = Set.of("sum", "min", "max", "avg", "count", "rate", "irate", "increase",
      "histogram_quantile", "label_replace", "label_values", "clamp_min", "clamp_max", "vector", "by", "without", "or",
      "and", "unless", "on", "ignoring", "group_left", "group_right", "topk", "bottomk", "abs", "time", "offset",
      "delta", "deriv", "avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "e", "inf", "nan");
  private static final Pattern STRINGS = Pattern.compile("\"(?:[^\"\\\\]|\\\\.)*\"");
  private static final Pattern MATCHERS = Pattern.compile("\\{[^}]*}");
  private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring)\\s*\\([^)]*\\)");
  private static final Pattern RANGES = Pattern.compile("\\[[^\\]]*]");
  private static final Pattern NAMES = Pattern.compile("(?<![\\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*");

  private static GatewayTestNode gantry;
  private static Path dir;
  private static Set<String> exported;

  @BeforeAll
  static void serveAChatModelOnAFakeMachine() throws Exception {
    dir = TestFiles.tempDir("gantry-dashboards-");
    FakeAccelerators fake = new FakeAccelerators(dir).pci("0000:17:00.0", 0x10de, 0x030200)
        .pci("0000:65:00.0", 0x10de, 0x030200).toolPrinting("nvidia-smi", "nvidia-smi-query-gpu-2x-l40s.csv");
    System.setProperty(AcceleratorDetector.SYSFS_PROPERTY, fake.sysfs().toString());
    System.setProperty(AcceleratorDetector.TOOLS_PROPERTY, fake.tools().toString());
    try {
      StandInEngine.install(dir.resolve("engines"), "vllm", "0.11.2");
      gantry = GatewayTestNode.startWith("--engines-dir", dir.resolve("engines").toString());
    } finally {
      System.clearProperty(AcceleratorDetector.SYSFS_PROPERTY);
      System.clearProperty(AcceleratorDetector.TOOLS_PROPERTY);
    }
    String model = "tiny-chat-" + Ids.random(6);
    gantry.deploy(new JsonObject().put("name", model).put("source", "builtin").put("builtin_model", "gantry-tiny-chat"), 1);
    String key = gantry.apiKey(false, "*", null).getString("value");
    for (boolean stream : new boolean[] {false, true}) {
      HttpResponse<String> answer = gantry.call("POST", "/v1/chat/completions", key, new JsonObject().put("model", model)
          .put("stream", stream).put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")))
          .encode());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    }
    String engineModel = "stand-in-" + Ids.random(6);
    Path weights = Files.createDirectories(dir.resolve("weights"));
    Files.writeString(weights.resolve("config.json"), "{}");
    gantry.deploy(new JsonObject().put("name", engineModel).put("backend", "vllm").put("backend_version", "0.11.2")
        .put("local_path", weights.toString()).put("estimate_override_bytes", 64L << 20), 1);
    HttpResponse<String> engineAnswer = gantry.call("POST", "/v1/chat/completions", key, new JsonObject()
        .put("model", engineModel).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
            .put("content", "hi"))).encode());
    assertThat(engineAnswer.statusCode()).as(engineAnswer.body()).isEqualTo(200);
    Eventually.await(Duration.ofSeconds(30), () -> {
      exported = scrape();
      assertThat(exported).contains("gantry_device_temperature_celsius", "gantry_gateway_ttft_seconds_bucket",
          "gantry_gateway_tokens_total", "gantry_engine_kv_cache_usage_ratio", "gantry_engine_ttft_seconds_count",
          "gantry_engine_time_per_output_token_seconds_sum");
    });
  }

  @AfterAll
  static void stop() {
    if (gantry != null) {
      gantry.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void everyQueryNamesOnlyExportedSeries() throws IOException {
    List<String> missing = new ArrayList<>();
    int queries = 0;
    for (Path file : dashboards()) {
      for (String query : queries(new JsonObject(Files.readString(file)))) {
        queries++;
        for (String name : metricNames(query)) {
          if (!exported.contains(name) && !FROM_PROMETHEUS.contains(name)) {
            missing.add(file.getFileName() + ": " + name + " in " + query);
          }
        }
      }
    }

    assertThat(queries).as("queries found").isGreaterThan(30);
    assertThat(missing).as("series no node exports").isEmpty();
  }

  @Test
  @DisplayName("there are dashboards for the cluster, devices, models and usage, each provisioned with a unique uid")
  void theDashboardsAreThere() throws IOException {
    Set<String> uids = new TreeSet<>();
    for (Path file : dashboards()) {
      uids.add(new JsonObject(Files.readString(file)).getString("uid"));
    }
    assertThat(uids).containsExactly("gantry-devices", "gantry-models", "gantry-overview", "gantry-usage");
  }

  @Test
  void theNameExtractionFindsMetricsAndSkipsLabelsFunctionsAndStrings() {
    assertThat(metricNames("histogram_quantile(0.95, sum by (le, model) (rate(x_bucket{job=\"gantry\",model=~\"$model\"}[5m])))"))
        .containsExactly("x_bucket");
    assertThat(metricNames("label_values(gantry_node_memory_total_bytes{job=\"gantry\"}, node)"))
        .containsExactly("gantry_node_memory_total_bytes");
    assertThat(metricNames("(sum(rate(a_total[5m])) or vector(0)) / clamp_min(sum(b), 1e-9)")).containsExactly("a_total", "b");
  }

  private static List<Path> dashboards() throws IOException {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  /** Every panel target's expression and every templating variable's query. */
  private static List<String> queries(JsonObject dashboard) {
    List<String> queries = new ArrayList<>();
    for (Object panel : dashboard.getJsonArray("panels", new JsonArray())) {
      for (Object target : ((JsonObject) panel).getJsonArray("targets", new JsonArray())) {
        queries.add(((JsonObject) target).getString("expr"));
      }
    }
    for (Object variable : dashboard.getJsonObject("templating").getJsonArray("list", new JsonArray())) {
      Object query = ((JsonObject) variable).getValue("query");
      queries.add(query instanceof JsonObject q ? q.getString("query") : String.valueOf(query));
    }
    return queries;
  }

  static Set<String> metricNames(String query) {
    String bare = RANGES.matcher(GROUPING.matcher(MATCHERS.matcher(STRINGS.matcher(query).replaceAll("\"\""))
        .replaceAll(" ")).replaceAll(" ")).replaceAll(" ");
    Set<String> names = new TreeSet<>();
    Matcher matcher = NAMES.matcher(bare);
    while (matcher.find()) {
      String word = matcher.group();
      int after = matcher.end();
      boolean argumentName = after < bare.length() && bare.substring(after).stripLeading().startsWith(")")
          && bare.substring(0, matcher.start()).stripTrailing().endsWith(",");
      if (!PROMQL_WORDS.contains(word.toLowerCase()) && !argumentName) {
        names.add(word);
      }
    }
    return names;
  }

  private static Set<String> scrape() {
    Set<String> names = new TreeSet<>();
    String body = gantry.admin.get("/metrics").body();
    for (String line : body.split("\n")) {
      if (!line.isEmpty() && !line.startsWith("#")) {
        int end = line.indexOf('{');
        names.add(line.substring(0, end < 0 ? line.indexOf(' ') : end));
      }
    }
    return names;
  }
}
