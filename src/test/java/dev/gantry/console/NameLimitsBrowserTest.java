package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.Api;
import dev.gantry.testing.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Limits & prices page in headless Chromium: an admin prices a provider model per million prompt and
 * completion tokens in the node's currency (the API then answers those prices, and a request's cost shows
 * on the Usage page); a negative price shows the API's own 400 message and saves nothing.
 */
class NameLimitsBrowserTest {

  static TestNodes nodes;
  static Api admin;
  static Vertx standInVertx;
  static HttpServer standIn;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void startNode() {
    Browser.assumeInstalled();
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    standInVertx = Vertx.vertx();
    standIn = standInVertx.createHttpServer().requestHandler(request -> request.body().onSuccess(body ->
        request.response().putHeader("Content-Type", "application/json").end(new JsonObject().put("id", "c1")
            .put("object", "chat.completion").put("choices", new JsonArray().add(new JsonObject().put("index", 0)
                .put("finish_reason", "stop").put("message", new JsonObject().put("role", "assistant").put("content", "ok"))))
            .put("usage", new JsonObject().put("prompt_tokens", 1000).put("completion_tokens", 2000)
                .put("total_tokens", 3000)).encode()))).listen(0, "127.0.0.1").await();
    Api.expect(admin.post("/v2/providers", new JsonObject().put("name", "nlp").put("kind", "openai")
        .put("base_url", "http://127.0.0.1:" + standIn.actualPort() + "/v1")
        .put("credentials", new JsonArray().add("nlp-key")).put("models", new JsonArray().add("m"))), 201);
  }

  @AfterAll
  static void stopNode() {
    if (standInVertx != null) {
      standInVertx.close().await();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void anAdminPricesAProviderModelAndItsCostShowsOnTheUsagePage() {
    Browser browser = browsers.browser();
    browser.go("#/name-limits");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    assertThat(browser.awaitText("[data-test=name-limits-form]", "Prompt / 1M tokens (USD)", Browser.WAIT))
        .contains("Completion / 1M tokens (USD)");
    browser.type("[data-test=name-limits-form] input[name=name]", "nlp/m");
    browser.type("[data-test=name-limits-form] input[name=prompt_per_million]", "0.5");
    browser.type("[data-test=name-limits-form] input[name=completion_per_million]", "1.5");
    browser.click("[data-test=save-name-limits]");
    String prices = browser.awaitText("tr[data-name='nlp/m'] [data-test=prices]", "USD", Browser.WAIT);
    assertThat(prices).isEqualTo("0.50 / 1.50 USD per 1M prompt / completion tokens");
    browser.screenshot("name-limits");

    JsonObject saved = Api.expect(admin.get("/v2/limits/nlp%2Fm"), 200);
    assertThat(saved.getJsonObject("prices").getDouble("prompt_per_million")).isEqualTo(0.5);
    assertThat(saved.getJsonObject("prices").getDouble("completion_per_million")).isEqualTo(1.5);

    String key = admin.createKey("nl-caller", "inference").getString("value");
    Api.expect(admin.withKey(key).post("/v1/chat/completions", new JsonObject().put("model", "nlp/m")
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")))), 200);
    browser.route("#/usage?by=model");
    browser.awaitTrue("return [...document.querySelectorAll('[data-test=usage-table] tbody tr')]"
        + ".some((r) => r.textContent.includes('nlp/m') && r.querySelector('[data-test=cost]').textContent === '0.0035')",
        Duration.ofSeconds(30), () -> browser.js("document.getElementById('usage-range')?.dispatchEvent(new Event('change'))"));
    // read inside a wait: the range change the wait above dispatched may still re-render the table
    browser.awaitTrue("return document.querySelector('[data-test=usage-table] thead')?.textContent"
        + ".includes('Cost (USD)') === true", Browser.WAIT);
  }

  @Test
  void aNegativePriceShowsTheApisMessageAndSavesNothing() {
    Browser browser = browsers.browser();
    browser.go("#/name-limits");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    browser.type("[data-test=name-limits-form] input[name=name]", "nl-negative");
    browser.type("[data-test=name-limits-form] input[name=prompt_per_million]", "-1");
    browser.click("[data-test=save-name-limits]");
    String shown = browser.awaitText("[data-test=name-limits-error]", "prompt_per_million", Browser.WAIT);
    Api.Response refused = admin.send("PUT", "/v2/limits/nl-negative", "application/json", new JsonObject()
        .put("prices", new JsonObject().put("prompt_per_million", -1)).encode().getBytes(StandardCharsets.UTF_8));
    assertThat(refused.status()).isEqualTo(400);
    assertThat(shown).as("the API's own message").contains(refused.json().getString("message"));
    assertThat(admin.get("/v2/limits/nl-negative").status()).as("nothing saved").isEqualTo(404);
    assertThat(browser.all("tr[data-name=nl-negative]")).isEmpty();
  }
}
