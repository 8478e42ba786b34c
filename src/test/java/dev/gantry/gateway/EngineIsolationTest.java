package dev.gantry.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.GantryNode;
import dev.gantry.cluster.ClusterSecret;
import dev.gantry.common.Ids;
import dev.gantry.config.StartCommand;
import dev.gantry.engine.EngineEnvironment;
import dev.gantry.metering.MeteringVerticle;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.Ports;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testing.TestPostgres;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * Engines are isolated: a two-node cluster where node 1 listens on 127.0.0.1 and node 2 on 127.0.0.2,
 * and the only replica of a model (a real {@link TestEngine} process, backend {@code custom}) runs on
 * node 2. The engine must listen on loopback only, hold a clean environment and no key on its command
 * line, and be reachable from node 1's gateway only through node 2's signed relay route.
 */
class EngineIsolationTest {

  private static final Duration DEADLINE = Duration.ofSeconds(60);
  private static final String FAR_HOST = "127.0.0.2";
  /** What {@code /bin/sh} (the engine's watchdog wrapper) exports to the engine by itself. */
  private static final Set<String> SET_BY_THE_WRAPPER_SHELL = Set.of("PWD", "OLDPWD", "SHLVL", "_");

  private static TestNodes nodes;
  private static GantryNode far;
  private static Path farData;
  private static int farPort;
  private static String farName;
  private static Path engineFiles;
  private static Api admin;
  private static String key;
  private static String model;
  private static JsonObject instance;
  private static String engineKey;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @BeforeAll
  static void start() throws Exception {
    nodes = TestNodes.start(1);
    far = startFarNode();
    admin = nodes.admin(1);
    engineFiles = GatewayTestNode.writeTestEngineFiles();
    model = "far-" + Ids.random(6);
    Eventually.await(DEADLINE, () -> assertThat(admin.get("/v2/nodes/" + farName).json().getString("state"))
        .isEqualTo("ready"));
    Api.expect(admin.post("/v2/models", GatewayTestNode.testEngineSpec(model, engineFiles)
        .put("node_selector", new JsonObject().put("index", "far"))
        .put("categories", new JsonArray().add("llm").add("speech_to_text"))
        .put("env", new JsonObject().put("MODEL_SETTING", "from-model"))), 201);
    Eventually.await(DEADLINE, () -> {
      JsonObject first = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items")
          .getJsonObject(0);
      assertThat(first.getString("state")).as("%s", first).isEqualTo("running");
      instance = first;
    });
    Eventually.await(Duration.ofSeconds(5), () -> assertThat(admin.get("/v1/models").body()).contains(model));
    engineKey = ClusterSecret.of(nodes.clusterSecret).engineKey(instance.getString("id"));
    key = admin.createKey("k-" + Ids.random(6), "inference").getString("value");
  }

  /** Node 2: the same cluster and database, on another loopback address, joining node 1. */
  private static GantryNode startFarNode() throws Exception {
    farData = TestFiles.tempDir("gantry-test-far-");
    farPort = Ports.free();
    farName = nodes.name(1) + "-far";
    List<String> args = new ArrayList<>(nodes.args(1));
    String nearClusterPort = args.get(args.indexOf("--cluster-port") + 1);
    Map<String, String> overrides = Map.of("--host", FAR_HOST, "--port", String.valueOf(farPort),
        "--cluster-port", String.valueOf(Ports.free()), "--data-dir", farData.toString(), "--node-name", farName,
        "--labels", "suite=it,index=far");
    overrides.forEach((option, value) -> args.set(args.indexOf(option) + 1, value));
    args.addAll(List.of("--join", "127.0.0.1:" + nearClusterPort));
    StartCommand command = new StartCommand(config -> 0);
    new CommandLine(command).parseArgs(args.toArray(String[]::new));
    return GantryNode.start(command.toConfig());
  }

  @AfterAll
  static void stop() {
    if (far != null) {
      far.close();
    }
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(farData);
    if (engineFiles != null) {
      TestFiles.deleteRecursively(engineFiles);
    }
  }

  @Test
  @DisplayName("chat (whole and streamed) and embeddings through node 1 reach the engine on node 2, metered once each on node 1")
  void requestsThroughAnotherNodeWorkAndAreMeteredOnce() throws Exception {
    int before = engineRequests();
    String prefix = "iso-" + Ids.random(8) + "-";
    HttpResponse<String> whole = gateway("/v1/chat/completions", chat(false), prefix + "whole");
    HttpResponse<String> streamed = gateway("/v1/chat/completions", chat(true), prefix + "streamed");
    HttpResponse<String> embeddings = gateway("/v1/embeddings",
        new JsonObject().put("model", model).put("input", new JsonArray().add("a").add("b")), prefix + "embeddings");

    assertThat(whole.statusCode()).as(whole.body()).isEqualTo(200);
    assertThat(new JsonObject(whole.body()).getJsonArray("choices").getJsonObject(0).getJsonObject("message")
        .getString("content")).isEqualTo(TestEngine.REPLY);
    assertThat(streamed.statusCode()).as(streamed.body()).isEqualTo(200);
    assertThat(streamed.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
    assertThat(streamed.body()).contains("\"content\":\"Hello\"", "\"content\":\" engine\"").endsWith("data: [DONE]\n\n")
        .doesNotContain("\"usage\"");
    assertThat(embeddings.statusCode()).as(embeddings.body()).isEqualTo(200);
    assertThat(new JsonObject(embeddings.body()).getJsonArray("data")).hasSize(2);
    assertThat(engineRequests() - before).as("each request reached the engine once").isEqualTo(3);

    List<Map<String, Object>> rows = usageRows(prefix, 3);
    assertThat(rows).extracting(r -> r.get("request_id"))
        .containsExactlyInAnyOrder(prefix + "whole", prefix + "streamed", prefix + "embeddings");
    assertThat(rows).extracting(r -> r.get("gateway_node")).containsOnly(nodes.name(1));
    assertThat(rows).extracting(r -> r.get("node_name")).containsOnly(farName);
    assertThat(rows).extracting(r -> r.get("instance_id")).containsOnly(instance.getString("id"));
    assertThat(rows).extracting(r -> ((Number) r.get("status")).intValue()).containsOnly(200);
    assertThat(rows).extracting(r -> ((Number) r.get("prompt_tokens")).intValue())
        .containsExactlyInAnyOrder(TestEngine.PROMPT_TOKENS, TestEngine.PROMPT_TOKENS, 6);
  }

  @Test
  @DisplayName("an engine on node 2 that dies mid-stream ends the stream through node 1 with an error event and [DONE]")
  void anEngineDyingMidStreamBehindTheRelayEndsTheStreamCleanly() throws Exception {
    engineMode("die_mid_stream");
    try {
      String requestId = "iso-" + Ids.random(8) + "-dies";
      HttpResponse<String> response = gateway("/v1/chat/completions", chat(true), requestId);

      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
      List<String> events = List.of(response.body().split("\n\n"));
      assertThat(events.get(0)).contains("\"content\":\"Hello\"");
      assertThat(events.get(events.size() - 2)).startsWith("data: {\"error\":{").contains("\"code\":\"upstream_error\"");
      assertThat(events.get(events.size() - 1)).isEqualTo("data: [DONE]");
      assertThat(usageRows(requestId, 1)).singleElement()
          .satisfies(row -> assertThat(row.get("outcome")).isEqualTo("error"));
    } finally {
      engineMode("normal");
    }
  }

  @Test
  @DisplayName("a client that leaves a stream on node 1 cancels the engine's request on node 2")
  void aClientLeavingAStreamBehindTheRelayCancelsTheEngineRequest() throws Exception {
    engineMode("slow_stream");
    try {
      int closedBefore = engineStats().getInteger("closed_early");
      try (Socket socket = new Socket("127.0.0.1", URI.create(nodes.url(1)).getPort())) {
        String body = chat(true).encode();
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + key
            + "\r\nContent-Type: application/json\r\nContent-Length: " + body.getBytes(StandardCharsets.UTF_8).length
            + "\r\n\r\n" + body).getBytes(StandardCharsets.UTF_8));
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        int events = 0;
        for (String line = in.readLine(); line != null && events < 3; line = in.readLine()) {
          events += line.contains("data: {") ? 1 : 0;
        }
        assertThat(events).isEqualTo(3);
      }

      Eventually.await(Duration.ofSeconds(5),
          () -> assertThat(engineStats().getInteger("closed_early")).isEqualTo(closedBefore + 1));
    } finally {
      engineMode("normal");
    }
  }

  @Test
  @DisplayName("the engine listens on 127.0.0.1 only, while its record keeps the node's address for routing")
  void theEngineListensOnLoopbackOnly() throws Exception {
    int port = instance.getInteger("port");
    assertThat(instance.getString("address")).isEqualTo(FAR_HOST);
    assertThat(listeners(port)).as("127.0.0.1, in /proc/net/tcp or IPv4-mapped in /proc/net/tcp6").isNotEmpty()
        .allMatch(address -> address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F"));
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress(FAR_HOST, port), 2_000);
      }
    }).isInstanceOf(ConnectException.class);
  }

  @Test
  @DisplayName("a request that skips the gateway gets 401 from the engine; the derived engine key is what it requires")
  void theEngineRefusesCallersWithoutItsKey() throws Exception {
    String url = "http://127.0.0.1:" + instance.getInteger("port") + "/v1/chat/completions";
    assertThat(post(url, chat(false), Map.of()).statusCode()).isEqualTo(401);
    assertThat(post(url, chat(false), Map.of("Authorization", "Bearer " + key)).statusCode()).isEqualTo(401);
    assertThat(post(url, chat(false), Map.of("Authorization", "Bearer " + engineKey)).statusCode()).isEqualTo(200);
  }

  @Test
  @DisplayName("the engine's environment holds the model's env and its key, nothing of the node's but the allow-list")
  void theEngineEnvironmentIsClean() throws Exception {
    assertThat(System.getenv()).as("the test JVM (the node) has variables no engine may see (pom.xml)")
        .containsKeys("GANTRY_ISOLATION_CANARY", "NODE_ONLY_CANARY");
    for (long pid : enginePids()) {
      Map<String, String> env = environ(pid);
      assertThat(env).as("pid %d", pid).containsEntry("MODEL_SETTING", "from-model")
          .containsEntry("GANTRY_API_KEY", engineKey).containsEntry("PATH", System.getenv("PATH"))
          .doesNotContainKeys("GANTRY_ISOLATION_CANARY", "NODE_ONLY_CANARY");
      assertThat(env.keySet()).as("pid %d", pid).allMatch(name -> EngineEnvironment.passedOn(name)
          || Set.of("MODEL_SETTING", "GANTRY_API_KEY").contains(name) || SET_BY_THE_WRAPPER_SHELL.contains(name));
      assertThat(env.keySet().stream().filter(name -> name.startsWith("GANTRY_"))).containsExactly("GANTRY_API_KEY");
    }
  }

  @Test
  @DisplayName("no engine key on any command line")
  void noKeyOnTheCommandLine() throws Exception {
    for (long pid : enginePids()) {
      String cmdline = Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8);
      assertThat(cmdline).as("pid %d", pid).isNotEmpty().doesNotContain(engineKey).doesNotContain(nodes.clusterSecret);
    }
  }

  @Test
  @DisplayName("the relay route refuses a request without a signature, signed with another secret, or expired; nothing reaches the engine")
  void theRelayRouteNeedsAFreshClusterSignature() throws Exception {
    String id = instance.getString("id");
    String path = EngineRelay.path(id, Operation.CHAT);
    String url = "http://" + FAR_HOST + ":" + farPort + path;
    RelaySignature ours = new RelaySignature(ClusterSecret.of(nodes.clusterSecret));
    RelaySignature stranger = new RelaySignature(ClusterSecret.of(ClusterSecret.generate()));
    long now = System.currentTimeMillis();
    int before = engineRequests();

    HttpResponse<String> unsigned = post(url, chat(false), Map.of());
    HttpResponse<String> wrongSecret = post(url, chat(false), headers(stranger.sign(new RequestOptions(), "POST", path, id, now)));
    HttpResponse<String> expired = post(url, chat(false),
        headers(ours.sign(new RequestOptions(), "POST", path, id, now - RelaySignature.MAX_SKEW_MS - 5_000)));
    HttpResponse<String> userKey = post(url, chat(false), Map.of("Authorization", "Bearer " + key));
    HttpResponse<String> engineKeyOnly = post(url, chat(false), Map.of("Authorization", "Bearer " + engineKey));
    String otherPath = EngineRelay.path("x" + id, Operation.CHAT);
    HttpResponse<String> notHere = post("http://" + FAR_HOST + ":" + farPort + otherPath, chat(false),
        headers(ours.sign(new RequestOptions(), "POST", otherPath, "x" + id, now)));

    assertThat(List.of(unsigned, wrongSecret, userKey, engineKeyOnly)).allSatisfy(response -> {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(403);
      assertThat(response.body()).contains("only the nodes of this cluster may call");
    });
    // within the route rule's 60 s window, but past the relay signature's 30 s
    assertThat(expired.statusCode()).as(expired.body()).isEqualTo(401);
    assertThat(expired.body()).contains("expired");
    assertThat(notHere.statusCode()).as(notHere.body()).isEqualTo(503);
    assertThat(engineRequests()).as("no refused request reached the engine").isEqualTo(before);

    HttpResponse<String> signed = post(url, chat(false), headers(ours.sign(new RequestOptions(), "POST", path, id, now)));
    assertThat(signed.statusCode()).as(signed.body()).isEqualTo(200);
    assertThat(engineRequests()).isEqualTo(before + 1);
  }

  @Test
  @DisplayName("a multipart form (transcription) through node 1 reaches the engine on node 2 byte for byte, with its boundary")
  void aMultipartFormCrossesTheRelayUnchanged() throws Exception {
    String boundary = "relay-" + Ids.random(8);
    java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
    form.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n")
        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    form.writeBytes(new byte[] {0, (byte) 0xff, (byte) 0x80, 13, 10, 45, 45});
    form.writeBytes(("\r\n--" + boundary + "\r\nContent-Disposition: form-data; name=\"model\"\r\n\r\n" + model
        + "\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    HttpRequest request = HttpRequest.newBuilder(URI.create(nodes.url(1) + "/v1/audio/transcriptions"))
        .header("Content-Type", "multipart/form-data; boundary=" + boundary).header("Authorization", "Bearer " + key)
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build();

    HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonObject received = new JsonObject(response.body()).getJsonObject("received");
    assertThat(received.getString("content_type")).isEqualTo("multipart/form-data; boundary=" + boundary);
    assertThat(received.getString("sha256")).isEqualTo(TestMediaAnswers.sha256(
        io.vertx.core.buffer.Buffer.buffer(form.toByteArray())));
  }

  private static JsonObject chat(boolean stream) {
    return new JsonObject().put("model", model).put("stream", stream)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "hi")));
  }

  private static HttpResponse<String> gateway(String path, JsonObject body, String requestId) throws Exception {
    return post(nodes.url(1) + path, body, Map.of("Authorization", "Bearer " + key, "X-Request-Id", requestId));
  }

  private static HttpResponse<String> post(String url, JsonObject body, Map<String, String> headers) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode()));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private static Map<String, String> headers(RequestOptions options) {
    Map<String, String> out = new HashMap<>();
    options.getHeaders().forEach(e -> out.put(e.getKey(), e.getValue()));
    return out;
  }

  /** Requests the test engine has served (it counts only those that passed its key check). */
  private static int engineRequests() throws Exception {
    return engineStats().getInteger("requests");
  }

  private static JsonObject engineStats() throws Exception {
    return engineControl("GET", "/control/stats");
  }

  private static void engineMode(String mode) throws Exception {
    engineControl("POST", "/control/mode/" + mode);
  }

  private static JsonObject engineControl(String method, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.getInteger("port") + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).build();
    return new JsonObject(HTTP.send(request, HttpResponse.BodyHandlers.ofString()).body());
  }

  /** The engine's wrapper (the pid in the record) and the engine process it runs. */
  private static List<Long> enginePids() {
    long wrapper = instance.getLong("pid");
    List<Long> pids = new ArrayList<>(List.of(wrapper));
    ProcessHandle.of(wrapper).orElseThrow().children().forEach(child -> pids.add(child.pid()));
    assertThat(pids).as("wrapper and engine").hasSizeGreaterThanOrEqualTo(2);
    return pids;
  }

  private static Map<String, String> environ(long pid) throws IOException {
    String raw = Files.readString(Path.of("/proc/" + pid + "/environ"), StandardCharsets.UTF_8);
    return Arrays.stream(raw.split("\0")).filter(entry -> entry.contains("="))
        .collect(Collectors.toMap(entry -> entry.substring(0, entry.indexOf('=')),
            entry -> entry.substring(entry.indexOf('=') + 1), (a, b) -> b));
  }

  /** The local addresses (hex, as in /proc/net/tcp) of the sockets listening on a port. */
  private static List<String> listeners(int port) throws IOException {
    String hexPort = String.format(Locale.ROOT, "%04X", port);
    List<String> out = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      List<String> lines = Files.readAllLines(Path.of(table));
      for (String line : lines.subList(1, lines.size())) {
        String[] fields = line.trim().split("\\s+");
        if (fields[1].endsWith(":" + hexPort) && "0A".equals(fields[3])) {
          out.add(fields[1].substring(0, fields[1].indexOf(':')));
        }
      }
    }
    return out;
  }

  /**
   * The usage rows of the model once there are {@code expected}, read again after the next metering
   * flush of both nodes, so that a second record of a request (from either node) would be seen.
   */
  private static List<Map<String, Object>> usageRows(String requestIdPrefix, int expected) throws InterruptedException {
    String database = TestPostgres.databaseOf(nodes.dbUrl());
    String sql = "SELECT * FROM usage_records WHERE model = ? AND request_id LIKE ?";
    Eventually.await(Duration.ofSeconds(10), () -> assertThat(TestPostgres.shared().query(database, sql, model,
        requestIdPrefix + "%")).hasSizeGreaterThanOrEqualTo(expected));
    Thread.sleep(2 * MeteringVerticle.FLUSH_MS);
    return TestPostgres.shared().query(database, sql, model, requestIdPrefix + "%");
  }
}
