package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.engine.backend.StandInEngine;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A model card's "Metrics over time" panel in Chromium charts the history a vLLM stand-in's readings made. */
class ModelMetricsBrowserTest {

  private static final String MODEL = "charted-model";
  static TestNodes nodes;
  static Path dir;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void startNode() throws Exception {
    Browser.assumeInstalled();
    dir = TestFiles.tempDir("gantry-model-metrics-browser-");
    StandInEngine.install(dir, "vllm", "0.11.2");
    Path weights = Files.createDirectories(dir.resolve("weights"));
    Files.writeString(weights.resolve("config.json"), "{}");
    nodes = TestNodes.startWith(1, "--engines-dir", dir.toString());
    Api.expect(nodes.admin(1).post("/v2/models", new JsonObject().put("name", MODEL).put("backend", "vllm")
        .put("backend_version", "0.11.2").put("local_path", weights.toString())
        .put("estimate_override_bytes", 64L << 20)), 201);
    Eventually.await(Duration.ofSeconds(60), () -> assertThat(Api.expect(nodes.admin(1).get("/v2/metrics/models/" + MODEL),
        200).getJsonObject("series").getJsonArray("kv_cache_usage_ratio", new JsonArray())).isNotEmpty());
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
    TestFiles.deleteRecursively(dir);
  }

  @Test
  void openingThePanelChartsTheEnginesQueueAndKvCache() {
    Browser browser = browsers.browser();
    browser.go("#/models");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    String panel = "article[data-model='" + MODEL + "'] [data-test=model-metrics]";

    browser.click(panel + " summary");

    assertThat(browser.attribute(panel + " [data-chart=queue] svg", "aria-label"))
        .isEqualTo("Engine requests of " + MODEL + ", last 1h");
    assertThat(browser.attribute(panel + " [data-chart=kv-cache] svg", "data-max"))
        .isEqualTo(String.valueOf((int) (StandInEngine.KV_USAGE * 100)));
    browser.awaitText(panel, "KV cache use · KV cache 25 %", Browser.WAIT);
    browser.click(panel + " button[data-range='30d']");
    browser.awaitTrue("return document.querySelector(\"" + panel + " [data-chart=queue] svg\")?.getAttribute('aria-label')"
        + ".endsWith('last 30d')", Browser.WAIT);
    browser.screenshot("model-metrics");
  }
}
