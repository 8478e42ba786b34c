package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.pool.FakeDigitalOcean;
import dev.gantry.testing.Api;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The console's "Worker pools" page: a pool, its droplet still joining, the reconciler's decisions; an admin-only page. */
class WorkerPoolsPageBrowserTest {

  private static TestNodes nodes;
  private static Vertx vertx;
  private static FakeDigitalOcean cloud;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void start() {
    Browser.assumeInstalled();
    System.setProperty("gantry.pool.tick-ms", "300");
    nodes = TestNodes.start(1);
    vertx = Vertx.vertx();
    cloud = FakeDigitalOcean.start(vertx, "page-token", (name, userData) -> { }, name -> { });
  }

  @AfterAll
  static void stop() {
    if (cloud != null) {
      cloud.close();
      vertx.close().await();
    }
    if (nodes != null) {
      nodes.close();
    }
    System.clearProperty("gantry.pool.tick-ms");
  }

  @Test
  void showsThePoolItsJoiningDropletAndTheDecision() {
    Api.expect(nodes.admin(1).post("/v2/worker-pools", new JsonObject().put("name", "page-pool").put("provider", "digitalocean")
        .put("endpoint", cloud.url()).put("credentials", new JsonObject().put("token", "page-token")).put("region", "nyc3")
        .put("image", "img").put("min_nodes", 1).put("max_nodes", 1).put("join_timeout", 3600)
        .put("instance_types", new JsonArray().add(new JsonObject().put("name", "s-2vcpu-4gb").put("memory_gib", 4)))), 201);
    Browser browser = browsers.browser();
    browser.go("#/worker-pools");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);

    String card = "[data-pool='page-pool']";
    assertThat(browser.awaitText(card + " [data-test=pool-instances]", "s-2vcpu-4gb", Browser.WAIT).toLowerCase())
        .as("the droplet's node has not joined").contains("joining");
    assertThat(browser.awaitText(card + " [data-test=pool-events]", "below min_nodes 1", Browser.WAIT)).contains("create");
    assertThat(browser.all("#nav [data-nav=worker-pools]")).hasSize(1);
    browser.screenshot("worker-pools");
  }
}
