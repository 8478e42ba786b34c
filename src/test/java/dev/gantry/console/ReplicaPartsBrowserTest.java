package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.common.Ids;
import dev.gantry.engine.backend.StandInEngine;
import dev.gantry.hub.FakeHub;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A hub model too large for one node of two runs over both, and each part's node downloads it from a stand-in
 * hub that holds the weights' transfer at a different point per node: the models page shows, under the
 * replica's summed bar, each part's node with its own bar at that node's percent, and marks the part behind.
 */
class ReplicaPartsBrowserTest {

  private static final String WEIGHTS = "pytorch_model.bin";
  private static final int WEIGHT_BYTES = 1_000_000;
  /** Held transfers of the weights: 25 % and 60 % of the repo, whether or not the small files are in yet. */
  private static final long HELD_BEHIND = 255_000;
  private static final long HELD_AHEAD = 605_000;

  /** (255,014 + 605,014) of twice the repo's 1,000,014 bytes. */
  private static final int SUMMED_PERCENT = 43;

  static TestNodes nodes;
  static Path engines;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void startNodes() throws Exception {
    Browser.assumeInstalled();
    engines = TestFiles.tempDir("gantry-parts-browser-");
    StandInEngine.install(engines, "vllm", "0.12.0");
    nodes = TestNodes.startWith(2, "--engines-dir", engines.toString());
  }

  @AfterAll
  static void stopNodes() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(engines);
  }

  /** 1.4 times a node's RAM: no node holds it, two halves fit. */
  private static long tooLargeForOneNode(Api admin) {
    long ram = Api.expect(admin.get("/v2/nodes/" + nodes.name(1)), 200).getJsonObject("memory").getLong("total");
    assertThat(ram).as("two halves must fit beside the 2 GiB each node keeps").isGreaterThan(7L << 30);
    return ram * 14 / 10;
  }

  /** Each part's node and its download percent, once both parts' transfers are held. */
  private static Map<String, Integer> heldPercents(Api admin, String model) {
    Map<String, Integer> byNode = new HashMap<>();
    Eventually.await(Duration.ofSeconds(60), () -> {
      JsonArray items = Api.expect(admin.get("/v2/model-instances?model_name=" + model), 200).getJsonArray("items");
      assertThat(items).hasSize(1);
      JsonObject i = items.getJsonObject(0);
      assertThat(i.getString("state")).as("%s", i).isEqualTo("downloading");
      assertThat(i.getJsonObject("download").getInteger("percent")).as("both nodes' bytes summed: %s", i)
          .isEqualTo(SUMMED_PERCENT);
      byNode.clear();
      i.getJsonArray("parts").stream().map(JsonObject.class::cast).forEach(p -> byNode.put(p.getString("node_name"),
          p.getJsonObject("download", new JsonObject()).getInteger("percent", -1)));
      assertThat(byNode.values()).as("%s", i).containsExactlyInAnyOrder(25, 60);
    });
    return byNode;
  }

  @Test
  void eachPartShowsItsNodeAndItsOwnDownloadAndThePartBehindIsMarked() {
    Api admin = nodes.admin(1);
    String repo = "org" + Ids.random(6).toLowerCase(java.util.Locale.ROOT) + "/Split-Model";
    String model = "parts-shown-" + Ids.random(6).toLowerCase(java.util.Locale.ROOT);
    try (FakeHub hub = new FakeHub()) {
      hub.add(repo, "7ae557604adf67be50417f59c2c2f167def9a775", Map.of(
          "config.json", "{}".getBytes(StandardCharsets.UTF_8),
          "tokenizer.json", "{\"model\":{}}".getBytes(StandardCharsets.UTF_8),
          WEIGHTS, new byte[WEIGHT_BYTES]), false);
      hub.holdWholeDownloads(WEIGHTS, HELD_BEHIND, HELD_AHEAD);
      long id = Api.expect(admin.post("/v2/models", new JsonObject().put("name", model).put("source", "huggingface")
          .put("repo", repo).put("hub_endpoint", hub.endpoint()).put("backend", "vllm").put("backend_version", "0.12.0")
          .put("estimate_override_bytes", tooLargeForOneNode(admin))), 201).getLong("id");
      try {
        Map<String, Integer> percents = heldPercents(admin, model);
        String behind = percents.entrySet().stream().filter(e -> e.getValue() == 25).findFirst().orElseThrow().getKey();

        Browser browser = browsers.browser();
        browser.go("#/models");
        browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
        String row = "article[data-model='" + model + "'] tr[data-state=downloading]";
        browser.awaitText(row + " > td[data-label=State] > [data-test=download-progress]", SUMMED_PERCENT + "%", Browser.WAIT);
        percents.forEach((node, percent) -> {
          String part = row + " [data-test=replica-parts] li[data-node='" + node + "']";
          String shown = browser.awaitText(part, percent + "%", Browser.WAIT);
          assertThat(shown).as("part on %s", node).contains(node).containsIgnoringCase("downloading");
          assertThat(browser.attribute(part + " progress", "value")).isEqualTo(String.valueOf(percent));
        });
        assertThat(browser.all(row + " [data-test=slowest]")).hasSize(1);
        assertThat(browser.all(row + " li[data-node='" + behind + "'] [data-test=slowest]")).hasSize(1);
        browser.screenshot("replica-parts-downloading");
      } finally {
        Api.expect(admin.delete("/v2/models/" + id), 204);
        Eventually.await(Duration.ofSeconds(30), () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name="
            + model), 200).getJsonArray("items")).isEmpty());
      }
    }
  }
}
