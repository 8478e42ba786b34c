package dev.gantry.scheduler.autoscale;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.ChatLoad;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.GantryProcess;
import dev.gantry.testing.ProcessCluster;
import dev.gantry.testing.SseClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Autoscaling on a cluster of three real node processes, the test JVM being only the load generator and
 * the observer: a {@code custom} model over {@link SlowEngine} (slow answers, so requests pile up in flight)
 * follows the load up and back down, never down-then-up while the load holds, with each decision listed
 * with its reason; and a model with {@code min: 0} leaves no engine process behind when idle and answers the
 * next (streamed) request.
 */
@DisplayName("Autoscaling across three real node processes under a load generator")
class AutoscaleProcessesIT {

  private static final int NODES = 3;
  private static final String PASSWORD = "autoscale-Admin-pw-7";
  private static final int SCALE_UP_DELAY = 2;
  private static final int SCALE_DOWN_DELAY = 8;
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @RegisterExtension
  static final ProcessCluster cluster = ProcessCluster.of("autoscale", NODES, PASSWORD).withEnginePorts(43000);
  private static Path modelFile;
  private static Api admin;
  private static String key;

  @BeforeAll
  static void startCluster() throws Exception {
    modelFile = Files.writeString(cluster.workDir().resolve("slow.bin"), "a custom engine's model file");
    cluster.start(Duration.ofSeconds(120));
    admin = cluster.admin(1);
    key = admin.createKey("autoscale-load", "*").getString("value");
  }

  @AfterAll
  static void stopCluster() {
    cluster.close();
    slowEngines(null).forEach(ProcessHandle::destroyForcibly);
  }

  private static String url(int i) {
    return cluster.url(i);
  }

  /** A custom model served by {@link SlowEngine} from this JVM's test classes. */
  private static JsonObject slowModel(String name, JsonObject autoscale) {
    return new JsonObject().put("name", name).put("backend", "custom").put("local_path", modelFile.toString())
        .put("estimate_override_bytes", 64L << 20).put("autoscale", autoscale)
        .put("run_command", GantryProcess.java() + " -Xmx32m -XX:+UseSerialGC -cp " + testClasses() + " "
            + SlowEngine.class.getName() + " {{host}} {{port}} {{model_name}}");
  }

  private static String testClasses() {
    try {
      return Path.of(SlowEngine.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@link SlowEngine} processes serving {@code model} (or any model: null) on this machine, where every node runs. */
  private static List<ProcessHandle> slowEngines(String model) {
    return ProcessHandle.allProcesses().filter(p -> {
      List<String> words = List.of(p.info().arguments().orElse(new String[0]));
      return words.contains(SlowEngine.class.getName()) && words.contains(testClasses())
          && (model == null || words.get(words.size() - 1).equals(model));
    }).toList();
  }

  private static JsonArray instances(String model) {
    return Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
  }

  private static long running(String model) {
    return instances(model).stream().filter(i -> "running".equals(((JsonObject) i).getString("state"))).count();
  }

  private static boolean replicasOf(SseClient.Event event, String model, java.util.function.IntPredicate test) {
    JsonObject item = event.json();
    return model.equals(item.getString("name")) && item.getInteger("replicas") != null
        && test.test(item.getInteger("replicas"));
  }

  @Test
  @DisplayName("under load the replicas rise to what the target asks, hold while the load holds, and fall back to "
      + "min once scale_down_delay passes without load; each decision is listed with its reason")
  void replicasFollowTheLoadUpAndDownWithoutFlapping() throws Exception {
    String name = "surge";
    Api.expect(admin.post("/v2/models", slowModel(name, new JsonObject().put("min", 1).put("max", 3)
        .put("target_in_flight_per_replica", 2).put("scale_up_delay", SCALE_UP_DELAY)
        .put("scale_down_delay", SCALE_DOWN_DELAY))), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(running(name)).isEqualTo(1));

    try (SseClient watch = SseClient.watch(admin.on(url(3)), "/v2/models")) {
      ChatLoad viaTwo = ChatLoad.start(url(2), key, name, SlowEngine.REPLY, 3);
      ChatLoad viaThree = ChatLoad.start(url(3), key, name, SlowEngine.REPLY, 3);
      viaTwo.awaitServed(2, Duration.ofSeconds(20));
      Duration up = Eventually.await(Duration.ofSeconds(SCALE_UP_DELAY + 40),
          () -> assertThat(Api.expect(admin.get("/v2/models/" + name), 200).getInteger("replicas")).isEqualTo(3));
      Eventually.await(Duration.ofSeconds(60), () -> assertThat(running(name)).isEqualTo(3));

      watch.pending();  // what came so far is judged below, from everything received
      watch.assertNoEvent(e -> replicasOf(e, name, r -> r < 3), Duration.ofSeconds(SCALE_DOWN_DELAY + 3));
      viaTwo.halt();  // both loads end together, so the last window sees the load fall at once
      viaThree.halt();
      List<String> failures = new ArrayList<>(viaTwo.stop());
      failures.addAll(viaThree.stop());
      long stopped = System.nanoTime();
      assertThat(failures).as("requests that failed under load").isEmpty();

      watch.awaitEvent(e -> replicasOf(e, name, r -> r == 1), Duration.ofSeconds(SCALE_DOWN_DELAY + 30));
      long downMs = (System.nanoTime() - stopped) / 1_000_000;
      assertThat(downMs).as("scale-down waits for a window of scale_down_delay without load")
          .isGreaterThanOrEqualTo((SCALE_DOWN_DELAY - 1) * 1000L);
      Eventually.await(Duration.ofSeconds(30), () -> assertThat(instances(name)).hasSize(1));
      System.out.printf("autoscaling: up to 3 replicas %d ms into the load, %d served; down to 1 %d ms after it stopped%n",
          up.toMillis(), viaTwo.served() + viaThree.served(), downMs);

      List<Integer> sequence = new ArrayList<>();
      watch.received().stream().filter(e -> replicasOf(e, name, r -> true)).map(e -> e.json().getInteger("replicas"))
          .forEach(r -> {
            if (sequence.isEmpty() || !sequence.get(sequence.size() - 1).equals(r)) {
              sequence.add(r);
            }
          });
      assertThat(sequence).as("replicas seen by the watch").startsWith(1).endsWith(1).contains(3);
      int peak = sequence.indexOf(3);
      assertThat(sequence.subList(0, peak + 1)).as("only up before the peak").isSorted();
      List<Integer> fall = new ArrayList<>(sequence.subList(peak, sequence.size()));
      java.util.Collections.reverse(fall);
      assertThat(fall).as("only down after the peak").isSorted();

      JsonArray events = Api.expect(admin.get("/v2/models/" + name + "/autoscale-events"), 200).getJsonArray("items");
      assertThat(events).as("one decision per change the watch saw").hasSize(sequence.size() - 1);
      assertThat(events.getJsonObject(0).getString("reason")).as("newest first: the peak of the last window fits one (a decision tick may land while the "
              + "last requests drain, so the fall may pass through 2)")
          .matches("[23] → 1: at most [0-2] in flight over " + SCALE_DOWN_DELAY + " s, target 2 per replica");
      JsonObject last = events.getJsonObject(events.size() - 1);
      assertThat(last.getInteger("from")).isEqualTo(1);
      assertThat(last.getString("reason")).matches("1 → [23]: [0-9.]+ in flight per replica over "
          + SCALE_UP_DELAY + " s, target 2");
    }
    Api.expect(admin.delete("/v2/models/" + name), 204);
  }

  @Test
  @DisplayName("with min 0 an idle model ends with no engine process and no listening port on any node, and the "
      + "next streamed request is answered once a replica is up")
  void anIdleModelScaledToZeroLeavesNoEngineAndStillAnswersAStream() throws Exception {
    String name = "nap";
    Api.expect(admin.post("/v2/models", slowModel(name, new JsonObject().put("min", 0).put("max", 1)
        .put("idle_time", 3).put("scale_up_delay", 1).put("scale_down_delay", 2).put("hold_timeout", 90))), 201);
    assertThat(ChatLoad.chat(url(2), key, name, SlowEngine.REPLY)).as("first request, cold").isNull();
    JsonObject served = instances(name).getJsonObject(0);
    long pid = served.getLong("pid");
    int port = served.getInteger("port");

    Eventually.await(Duration.ofSeconds(40), () -> {
      assertThat(Api.expect(admin.get("/v2/models/" + name), 200).getInteger("replicas")).isZero();
      assertThat(instances(name)).isEmpty();
    });
    Eventually.await(Duration.ofSeconds(20), () -> {
      assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).as("the engine's process").isEmpty();
      assertThat(slowEngines(name)).as("engine processes of any node").isEmpty();
      assertThat(listening(port)).as("the engine's port").isFalse();
    });

    HttpResponse<String> stream = HTTP.send(HttpRequest.newBuilder(URI.create(url(3) + "/v1/chat/completions"))
        .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(90)).POST(HttpRequest.BodyPublishers.ofString(new JsonObject().put("model", name)
            .put("stream", true).put("messages", new JsonArray().add(new JsonObject().put("role", "user")
                .put("content", "Hi"))).encode())).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(stream.statusCode()).as(stream.body()).isEqualTo(200);
    assertThat(stream.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    assertThat(stream.body()).contains(SlowEngine.REPLY).contains("[DONE]");
    JsonArray events = Api.expect(admin.get("/v2/models/" + name + "/autoscale-events"), 200).getJsonArray("items");
    assertThat(events.getJsonObject(0).getString("reason")).startsWith("0 → 1: ").contains("waiting");
    assertThat(events.getJsonObject(1).getString("reason")).isEqualTo("1 → 0: no request for 3 s");
    Api.expect(admin.delete("/v2/models/" + name), 204);
  }

  private static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }
}
