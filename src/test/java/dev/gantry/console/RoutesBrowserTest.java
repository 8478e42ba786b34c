package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.TestNodes;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Providers and Routes pages in headless Chromium: an admin adds a provider (its credential is
 * never shown back, only counted) and creates a route over a model with the provider's model as fallback.
 */
class RoutesBrowserTest {

  static TestNodes nodes;
  static Api admin;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void startNode() {
    Browser.assumeInstalled();
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", "rb-model").put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat").put("replicas", 0)), 201);
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void anAdminAddsAProviderAndCreatesARouteWithAFallbackThroughThePages() {
    Browser browser = browsers.browser();
    browser.go("#/providers");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    browser.type("[data-test=provider-form] input[name=name]", "rbp");
    browser.type("[data-test=provider-form] input[name=base_url]", "https://api.example.invalid/v1");
    browser.type("[data-test=provider-form] textarea[name=credentials]", "sk-browser-secret-1");
    browser.type("[data-test=provider-form] input[name=models]", "m1, m2");
    browser.click("[data-test=create-provider]");
    String credentials = browser.awaitText("tr[data-provider=rbp] td[data-label=Credentials]", "1", Browser.WAIT);
    assertThat(browser.text("[data-test=provider-table]")).contains("rbp/m1", "rbp/m2")
        .doesNotContain("sk-browser-secret-1");
    assertThat(credentials).doesNotContain("sk-browser");
    browser.screenshot("providers");

    browser.route("#/routes");
    browser.type("[data-test=route-form] input[name=name]", "rb-route");
    browser.click("[data-test=create-route]");
    assertThat(browser.awaitText("[data-field=targets] .field-error", "at least one target", Browser.WAIT)).isNotEmpty();
    browser.type("[data-test=route-form] input[name=targets]", "rb-model:2");
    browser.type("[data-test=route-form] input[name=fallbacks]", "rbp/m1");
    browser.click("[data-test=create-route]");
    String row = browser.awaitText("tr[data-route=rb-route]", "rbp/m1", Browser.WAIT);
    assertThat(row).contains("rb-model ×2");
    browser.screenshot("routes");

    JsonObject route = Api.expect(admin.get("/v2/routes/rb-route"), 200);
    assertThat(route.getJsonArray("targets").getJsonObject(0).getInteger("weight")).isEqualTo(2);
    assertThat(route.getJsonArray("fallbacks").getJsonObject(0).getJsonObject("model").getString("provider"))
        .isEqualTo("rbp");
  }
}
