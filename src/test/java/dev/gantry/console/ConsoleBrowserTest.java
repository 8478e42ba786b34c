package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.gantry.common.Ids;
import dev.gantry.testing.Api;
import dev.gantry.testing.Eventually;
import dev.gantry.testing.TestFiles;
import dev.gantry.testing.TestNodes;
import dev.gantry.testmodels.TestModels;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;

/**
 * The web console in a real headless Chromium against a real node: local sign-in, the live
 * dashboard, deploying from the form until the replica runs (llama-server with the deterministic
 * tiny model), a streamed chat, API keys, users, nodes, usage with its CSV, an ended session, and
 * what a non-admin sees. Every test saves a screenshot under {@code target/screenshots/}.
 *
 * <p>Single sign-on in the browser: {@link ConsoleSingleSignOnBrowserTest} (its node needs the OIDC options).
 */
class ConsoleBrowserTest {

  private static final Duration ENGINE_START = Duration.ofSeconds(60);
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  static TestNodes nodes;
  static Api admin;
  static Path models;
  static Path gguf;
  static String chatModel;
  static String embeddingModel;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void startNode() throws Exception {
    Browser.assumeInstalled();
    nodes = TestNodes.start(1);
    admin = nodes.admin(1);
    if (llamaServer()) {
      models = TestFiles.tempDir("gantry-console-models-");
      gguf = TestModels.deterministic(models.resolve("deterministic.gguf"));
      chatModel = "chat-" + Ids.random(5).toLowerCase();
      embeddingModel = "emb-" + Ids.random(5).toLowerCase();
      Api.expect(admin.post("/v2/models", llamaModel(chatModel)), 201);
      Api.expect(admin.post("/v2/models", llamaModel(embeddingModel).put("categories", new JsonArray().add("embedding"))), 201);
      awaitRunning(chatModel);
      awaitRunning(embeddingModel);
    }
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
    if (models != null) {
      TestFiles.deleteRecursively(models);
    }
  }

  @Test
  void signsInWithTheLocalFormAndSeesTheClusterLiveOnTheDashboard() {
    Browser browser = browsers.browser();
    browser.go("?error=" + URLEncoder.encode("The identity provider refused the sign-in.", StandardCharsets.UTF_8));
    assertThat(browser.awaitText("[data-test=login-error]", "identity provider refused", Browser.WAIT)).isNotEmpty();
    assertThat(browser.js("return location.search")).as("the error leaves the address").isEqualTo("");
    browser.go("");
    browser.await("#username");
    browser.screenshot("login");
    browser.type("#username", TestNodes.ADMIN);
    browser.type("#password", "not-the-password");
    browser.click(".login-form button[type=submit]");

    assertThat(browser.awaitText("[data-test=login-error]", "wrong user name or password", Browser.WAIT)).isNotEmpty();
    assertThat(browser.all("[data-test=sso-login]")).as("no SSO button where SSO is not configured").isEmpty();

    browser.type("#password", TestNodes.ADMIN_PASSWORD + Keys.ENTER);
    browser.await("[data-test=sign-out]");

    assertThat(browser.js("return location.hash")).isEqualTo("#/dashboard");
    assertThat(browser.awaitText("[data-test=stat-nodes] .stat-value", "1 / 1", Browser.WAIT)).isEqualTo("1 / 1");
    browser.await("[data-test=chart-cpu] svg path.line", Duration.ofSeconds(20));
    browser.await("[data-test=chart-memory] svg path.line");
    browser.awaitTrue("return document.querySelector('[data-test=chart-cpu] path.line').getAttribute('d').split('L').length > 4",
        Duration.ofSeconds(30), () -> { });
    if (chatModel != null) {
      browser.awaitTrue("return Number(document.querySelector('[data-test=chart-requests] svg')?.getAttribute('data-max')) > 0"
          + " && document.querySelector('[data-test=chart-requests] svg').getAttribute('data-points') >= 3",
          Duration.ofSeconds(40), () -> chat(chatModel));
    }
    assertThat(browser.all("[data-nav=users]")).hasSize(1);
    browser.screenshotWholePage("dashboard");
  }

  @Test
  void theLoginPageOffersSingleSignOnAsAuthConfigSaysWithAHintWhileTheProviderIsUnreachable() {
    Browser browser = browsers.browser();
    browser.answer("/auth/config", 200, new JsonObject().put("local", true).put("oidc", new JsonObject()
        .put("enabled", true).put("available", false).put("login_url", "/auth/oidc/login")).encode());
    browser.go("#/models");

    String href = browser.attribute("[data-test=sso-login]", "href");
    assertThat(href).isEqualTo(nodes.url(1) + "/auth/oidc/login?redirect=" + URLEncoder.encode("/#/models", StandardCharsets.UTF_8));
    assertThat(browser.text(".sso-hint")).contains("has not answered yet");
    assertThat(browser.all("[data-test=login-form]")).hasSize(1);
    browser.screenshot("login-sso-unavailable");
  }

  @Test
  void deploysAModelFromTheFormAndSeesItsReplicaReachRunningWithoutReloading() {
    assumeTrue(llamaServer(), "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    Browser browser = signedInAsAdmin("#/models");
    String name = "form-" + Ids.random(5).toLowerCase();
    browser.await("[data-test=deploy-open]");
    browser.js("window.notReloaded = true");

    browser.click("[data-test=deploy-open]");
    browser.click("[data-test=deploy-submit]");
    assertThat(browser.awaitText("[data-field=name] .field-error", "Give the model a name", Browser.WAIT)).isNotEmpty();
    assertThat(browser.awaitText("[data-field=local_path] .field-error", "absolute path", Browser.WAIT)).isNotEmpty();
    browser.type("input[name=name]", name);
    browser.type("input[name=local_path]", "relative/model.gguf");
    browser.click("[data-test=deploy-submit]");
    assertThat(browser.awaitText("[data-field=local_path] .field-error", "must be absolute", Browser.WAIT)).isNotEmpty();
    browser.type("input[name=local_path]", gguf.toString());
    browser.type("textarea[name=backend_parameters]", "-c 512");
    browser.type("input[name=name]", chatModel);
    browser.click("[data-test=deploy-submit]");
    assertThat(browser.awaitText("[data-test=deploy-error]", "already exists", Browser.WAIT)).contains(chatModel);
    browser.type("input[name=name]", name);
    browser.click("[data-test=deploy-submit]");

    browser.await("[data-model='" + name + "'] tr[data-state=running]", ENGINE_START);
    assertThat(browser.js("return window.notReloaded === true")).as("the page was not reloaded").isEqualTo(true);
    assertThat(browser.awaitText("[data-model='" + name + "'] [data-test=replica-summary]", "1 / 1", Browser.WAIT))
        .contains("running");
    assertThat(Api.expect(admin.get("/v2/models/" + name), 200).getJsonArray("backend_parameters"))
        .isEqualTo(new JsonArray().add("-c").add("512"));
    browser.screenshot("models");

    browser.click("[data-model='" + name + "'] [data-test=logs]");
    assertThat(browser.awaitText("[data-test=log-text]", "listening", Browser.WAIT)).contains("model loaded");
    browser.screenshot("model-logs");
  }

  @Test
  void deploysTheDemoChatModelFromTheCatalogInOneClickAndSeesItRun() {
    Browser browser = signedInAsAdmin("#/catalog");
    String name = "cat-" + Ids.random(5).toLowerCase();
    String family = "[data-family=gantry-tiny-chat]";
    browser.await(family + " [data-test=catalog-deploy]");
    assertThat(browser.all("[data-family='qwen2.5-72b-instruct']")).as("a CPU node sees no 4-GPU spec").isEmpty();
    browser.screenshot("catalog");

    browser.click(family + " [data-test=catalog-deploy]");
    assertThat(browser.attribute(family + " textarea[name=settings]", "value")).contains("\"builtin_model\": \"gantry-tiny-chat\"");
    browser.type(family + " input[name=name]", name);
    browser.click(family + " [data-test=catalog-deploy-submit]");

    browser.await("[data-model='" + name + "'] tr[data-state=running]", ENGINE_START);
    assertThat(Api.expect(admin.get("/v2/models/" + name), 200).getString("builtin_model")).isEqualTo("gantry-tiny-chat");
    browser.click("a[data-nav=catalog]");
    browser.await("[data-test=catalog-all]");
    browser.click("[data-test=catalog-all]");
    assertThat(browser.awaitText("[data-family='qwen2.5-72b-instruct']", "needs 4 nvidia device(s)", Browser.WAIT)).isNotEmpty();
    Api.expect(admin.delete("/v2/models/" + name), 204);
  }

  @Test
  void findsTheBestSpecAndSeesTheWinnerMarked() {
    Browser browser = signedInAsAdmin("#/benchmarks");
    browser.awaitTrue("return [...document.querySelectorAll('select[name=tuning_spec] option')].some(o => o.value === 'tiny-chat-cpu')",
        Browser.WAIT);
    browser.select("select[name=tuning_family]", "gantry-tiny-chat");
    browser.select("select[name=tuning_spec]", "tiny-chat-cpu");
    assertThat(browser.all("textarea[name=tuning_grid]").get(0).getAttribute("value")).isEqualTo("{\"replicas\":[1,2]}");
    browser.type("textarea[name=tuning_grid]", "{\"backend_parameters\": [[\"--token-delay-ms\", \"0\"]]}");
    browser.type("input[name=tuning_requests]", "4");
    browser.click("[data-test=tuning-start]");

    String run = "[data-tuning-run][data-state=completed]";
    browser.await(run, Duration.ofSeconds(120));
    assertThat(browser.awaitText(run + " tr.winner", "--token-delay-ms 0", Browser.WAIT)).containsIgnoringCase("winner");
    assertThat(browser.awaitText(run + " [data-test=tuning-progress]", "won", Browser.WAIT)).contains("measured-tiny-chat-cpu-cpu");
    browser.screenshot("tuning");

    browser.click("a[data-nav=catalog]");
    assertThat(browser.awaitText("[data-family=gantry-tiny-chat] [data-spec=measured-tiny-chat-cpu-cpu] [data-test=catalog-measured]",
        "tokens/s", Browser.WAIT)).startsWith("measured on this cluster").contains("SLA chat");
  }

  @Test
  void runsABenchmarkAndSeesItsPercentilesSlaAndPlot() {
    String name = "bench-" + Ids.random(5).toLowerCase();
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("source", "builtin")
        .put("builtin_model", "gantry-tiny-chat")), 201);
    awaitRunning(name);
    Browser browser = signedInAsAdmin("#/benchmarks");
    browser.awaitTrue("return [...document.querySelectorAll('select[name=model] option')].some(o => o.value === '" + name + "')",
        Browser.WAIT);
    browser.select("select[name=model]", name);
    browser.type("input[name=requests]", "12");
    browser.select("select[name=sla]", "chat");
    browser.click("[data-test=benchmark-start]");

    String row = "[data-test=benchmark-list] tr[data-state=completed]";
    browser.await(row, ENGINE_START);
    assertThat(browser.awaitText(row, "12 ok, 0 failed", Browser.WAIT)).contains(name).containsIgnoringCase("chat:");
    browser.click(row + " a");
    assertThat(browser.awaitText("[data-test=benchmark-result]", "Time to first token", Browser.WAIT))
        .contains("12 of 12 requests answered");
    browser.await("[data-test=benchmark-result] svg.chart");
    browser.screenshot("benchmark");
    Api.expect(admin.delete("/v2/models/" + name), 204);
  }

  @Test
  void anAutoscaledModelShowsItsRangeAndTheAutoscalersDecisionsWithReasons() {
    Browser browser = signedInAsAdmin("#/models");
    String name = "auto-" + Ids.random(5).toLowerCase();
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("backend", "builtin")
        .put("local_path", "/nonexistent/" + name + ".gguf").put("replicas", 2)
        .put("autoscale", new JsonObject().put("min", 0).put("max", 1))), 201);
    String card = "[data-model='" + name + "']";
    assertThat(browser.awaitText(card + " [data-test=autoscale-range]", "autoscaled 0–1", Browser.WAIT)).isNotEmpty();
    browser.click(card + " details.autoscale summary");
    assertThat(browser.awaitText(card + " [data-test=autoscale-events]", "2 → 1: outside autoscale bounds 0..1",
        Browser.WAIT)).isNotEmpty();
    browser.screenshot("model-autoscale-decisions");
    Api.expect(admin.delete("/v2/models/" + name), 204);
  }

  @Test
  void scalesStopsAndDeletesAModelWithConfirmation() {
    Browser browser = signedInAsAdmin("#/models");
    String name = "ops-" + Ids.random(5).toLowerCase();
    Api.expect(admin.post("/v2/models", new JsonObject().put("name", name).put("backend", "llama.cpp")
        .put("local_path", "/nonexistent/" + name + ".gguf").put("replicas", 1)), 201);
    String card = "[data-model='" + name + "']";
    browser.awaitText(card + " .state-message", "does not exist", Browser.WAIT);

    browser.type(card + " input[name=replicas]", "2");
    browser.click(card + " [data-test=scale]");
    Eventually.await(Browser.WAIT, () -> assertThat(model(name).getInteger("replicas")).isEqualTo(2));
    browser.click(card + " [data-test=start-stop]");
    browser.click("dialog.confirm [data-confirm]");
    Eventually.await(Browser.WAIT, () -> assertThat(model(name).getInteger("replicas")).isZero());
    browser.awaitText(card + " [data-test=start-stop]", "Start", Browser.WAIT);
    browser.click(card + " [data-test=start-stop]");
    Eventually.await(Browser.WAIT, () -> assertThat(model(name).getInteger("replicas")).isEqualTo(2));

    browser.click(card + " [data-test=delete]");
    browser.await("dialog.confirm");
    browser.screenshot("model-delete-confirmation");
    browser.await("dialog.confirm [data-confirm]").sendKeys(Keys.ESCAPE);
    browser.awaitGone("dialog.confirm");
    assertThat(admin.get("/v2/models/" + name).status()).isEqualTo(200);
    browser.click(card + " [data-test=delete]");
    browser.click("dialog.confirm [data-confirm]");
    browser.awaitGone(card);
    assertThat(admin.get("/v2/models/" + name).status()).isEqualTo(404);
  }

  @Test
  void chatsInThePlaygroundWithTheReplyStreamingIn() {
    assumeTrue(llamaServer(), "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    Browser browser = signedInAsAdmin("#/playground");
    browser.select("select[name=model]", chatModel);
    browser.type("textarea[name=system]", "You are terse.");
    browser.type("input[name=temperature]", "0");
    browser.type("textarea[name=prompt]", "Hi");
    browser.await("textarea[name=prompt]").sendKeys(Keys.ENTER);

    browser.await(".bubble.assistant[data-done]", Browser.WAIT);
    assertThat(browser.text(".bubble.assistant .text")).isEqualTo(TestModels.REPLY);
    assertThat(browser.js("return document.querySelector('.bubble.assistant').dataset.chunks"))
        .as("the reply arrived as streamed pieces").isEqualTo(String.valueOf(TestModels.REPLY_PIECES.size()));
    assertThat(browser.awaitText(".reply-stats", "completion tokens", Browser.WAIT))
        .contains(TestModels.COMPLETION_TOKENS + " completion tokens");
    browser.screenshot("playground");
  }

  @Test
  void comparesTextsByTheirEmbeddingsInThePlayground() {
    assumeTrue(llamaServer(), "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    Browser browser = signedInAsAdmin("#/playground?tab=embeddings");
    browser.select("select[name=model]", embeddingModel);
    browser.type("textarea[name=texts]", "A cat sits on the mat.\nA kitten rests on a rug.\nThe stock market fell.");
    browser.click("[data-test=embed]");

    browser.await("[data-test=similarity] table");
    assertThat(browser.all("[data-test=similarity] tbody tr")).hasSize(3);
    assertThat(browser.all("[data-test=similarity] td.cell")).hasSize(9)
        .allSatisfy(cell -> assertThat(Double.parseDouble(cell.getText())).isBetween(-1.0, 1.0));
    assertThat(browser.all("[data-test=similarity] tbody tr").get(1).findElements(By.cssSelector("td.cell"))
        .get(1).getText()).isEqualTo("1.000");
    assertThat(browser.awaitText("[data-test=similarity]", "64 dimensions", Browser.WAIT)).isNotEmpty();
    browser.screenshot("playground-embeddings");
  }

  @Test
  void createsAnApiKeyWhoseOnceShownSecretCallsV1Models() throws Exception {
    Browser browser = signedInAsAdmin("#/keys");
    String name = "laptop-" + Ids.random(4);
    browser.type("[data-test=key-form] input[name=name]", name);
    browser.select("[data-test=key-form] select[name=scope]", "inference");
    browser.click("[data-test=create-key]");

    String secret = browser.attribute("[data-test=secret]", "value");
    assertThat(secret).startsWith("gt-");
    HttpResponse<String> models = HTTP.send(HttpRequest.newBuilder(URI.create(nodes.url(1) + "/v1/models"))
        .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(models.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(models.body()).getString("object")).isEqualTo("list");
    if (chatModel != null) {
      assertThat(models.body()).contains("\"" + chatModel + "\"");
    }
    String masked = browser.awaitText("tr[data-key='" + name + "'] [data-test=masked]", "gt-", Browser.WAIT);
    assertThat(masked).isNotEqualTo(secret).doesNotContain(secret.substring(secret.lastIndexOf('-') + 1));
    browser.screenshot("api-keys");

    browser.click("tr[data-key='" + name + "'] [data-test=revoke]");
    browser.click("dialog.confirm [data-confirm]");
    browser.awaitGone("tr[data-key='" + name + "']");
    Eventually.await(Browser.WAIT, () -> assertThat(HTTP.send(HttpRequest.newBuilder(URI.create(nodes.url(1) + "/v1/models"))
        .header("Authorization", "Bearer " + secret).build(), HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401));
  }

  @Test
  void aNonAdminSeesNoUsersPageAndCannotOpenIt() {
    String username = "viewer-" + Ids.random(5).toLowerCase();
    admin.createUser(username, "viewer-Secret-9", "user");
    Browser browser = browsers.browser();
    browser.go("#/users");
    browser.signIn(username, "viewer-Secret-9");

    browser.await("[data-test=forbidden]");
    assertThat(browser.text("[data-test=forbidden]")).contains("Only administrators");
    assertThat(browser.all("[data-nav=users]")).isEmpty();
    assertThat(browser.all("[data-test=user-table]")).isEmpty();
    assertThat(browser.all("[data-nav=models]")).hasSize(1);
    browser.screenshot("non-admin-users");

    browser.route("#/nodes");
    browser.await("[data-node]");
    assertThat(browser.all("[data-test=edit-labels]")).as("labels are not editable by a non-admin").isEmpty();
    assertThat(browser.all("[data-test=maintenance]")).isEmpty();

    browser.route("#/models");
    browser.await("[data-test=model-list]");
    assertThat(browser.all("[data-test=deploy-open]")).as("models are deployed by admins only").isEmpty();
  }

  @Test
  void anAdminCreatesAUserChangesTheirRoleAndDeactivatesThem() {
    Browser browser = signedInAsAdmin("#/users");
    String username = "new-" + Ids.random(5).toLowerCase();
    browser.type("[data-test=user-form] input[name=username]", username);
    browser.type("[data-test=user-form] input[name=password]", "short");
    browser.click("[data-test=create-user]");
    browser.awaitText("[data-field=password] .field-error", "At least 8 characters", Browser.WAIT);
    browser.type("[data-test=user-form] input[name=password]", "long-enough-1");
    browser.type("[data-test=user-form] input[name=full_name]", "New Person");
    browser.click("[data-test=create-user]");

    String row = "tr[data-user='" + username + "']";
    browser.await(row);
    browser.click(row + " [data-test=unlock]");
    browser.awaitText("#toasts", username + " can sign in again at once", Browser.WAIT);
    browser.select(row + " [data-test=role]", "admin");
    Eventually.await(Browser.WAIT, () -> assertThat(user(username).getString("role")).isEqualTo("admin"));
    browser.click(row + " [data-test=toggle-active]");
    browser.click("dialog.confirm [data-confirm]");
    Eventually.await(Browser.WAIT, () -> assertThat(user(username).getBoolean("active")).isFalse());
    browser.awaitText(row, "Inactive", Browser.WAIT);
    browser.screenshot("users");
  }

  @Test
  void anAdminCreatesAGroupAndGivesAUserLimitsWhoseQuotaShows() {
    Browser browser = signedInAsAdmin("#/groups");
    String group = "team-" + Ids.random(5).toLowerCase();
    browser.type("[data-test=group-form] input[name=name]", group);
    browser.type("[data-test=group-form] input[name=allowed_models]", "alpha, beta");
    browser.click("[data-test=create-group]");
    browser.awaitText("tr[data-group='" + group + "']", "Limits: none", Browser.WAIT);
    browser.awaitText("tr[data-group='" + group + "'] [data-test=group-models]", "alpha, beta", Browser.WAIT);
    browser.screenshot("groups");

    String username = "lim-" + Ids.random(5).toLowerCase();
    admin.createUser(username, "password-" + username, "user");
    browser.go("#/users");
    String editor = "tr[data-user='" + username + "'] [data-test=limits]";
    browser.click(editor + " summary");
    browser.awaitText(editor + " [data-test=quota]", "No quota set", Browser.WAIT);
    browser.type(editor + " input[name=window_seconds]", "0");
    browser.click(editor + " [data-test=save-limits]");
    browser.awaitText(editor + " [data-field=window_seconds] .field-error", "at least 1", Browser.WAIT);
    browser.type(editor + " input[name=window_seconds]", "");
    browser.type(editor + " input[name=tokens_per_day]", "5000");
    browser.click(editor + " [data-test=save-limits]");
    Eventually.await(Browser.WAIT, () -> assertThat(user(username).getJsonObject("limits"))
        .isEqualTo(new JsonObject().put("tokens_per_day", 5000)));
    browser.awaitText(editor + " summary", "5,000 tokens/day", Browser.WAIT);
  }

  @Test
  void anAdminEditsNodeLabelsAndSwitchesMaintenance() {
    Browser browser = signedInAsAdmin("#/nodes");
    String card = "[data-node='" + nodes.name(1) + "']";
    browser.click(card + " [data-test=edit-labels]");
    browser.type(card + " textarea", "suite=it\nindex=1\nzone=eu-1");
    browser.click(card + " [data-test=save-labels]");
    Eventually.await(Browser.WAIT, () -> assertThat(node().getJsonObject("labels").getString("zone")).isEqualTo("eu-1"));
    browser.awaitText(card + " [data-test=labels]", "zone=eu-1", Browser.WAIT);

    browser.click(card + " [data-test=maintenance]");
    browser.click("dialog.confirm [data-confirm]");
    Eventually.await(Browser.WAIT, () -> assertThat(node().getBoolean("maintenance")).isTrue());
    browser.awaitText(card + " [data-test=maintenance]", "End maintenance", Browser.WAIT);
    browser.screenshot("nodes-maintenance");
    browser.click(card + " [data-test=maintenance]");
    Eventually.await(Browser.WAIT, () -> assertThat(node().getBoolean("maintenance")).isFalse());
    browser.awaitText(card + " [data-test=maintenance]", "Maintenance", Browser.WAIT);
    browser.screenshot("nodes");

    browser.click(card + " [data-test=drain]");
    browser.click("dialog.confirm [data-confirm]");
    Eventually.await(Browser.WAIT, () -> assertThat(node().getBoolean("drain")).isTrue());
    assertThat(node().getBoolean("maintenance")).isTrue();
    browser.awaitTrue("return document.querySelector(\"" + card + " [data-test=drain]\").hidden", Browser.WAIT);
    browser.click(card + " [data-test=maintenance]");
    Eventually.await(Browser.WAIT, () -> assertThat(node().getBoolean("maintenance")).isFalse());
    assertThat(node().getBoolean("drain")).isFalse();
  }

  @Test
  void theNodesPageChartsEachNodesHistoryAndSwitchesItsRange() {
    Browser browser = signedInAsAdmin("#/nodes");
    String history = "[data-node='" + nodes.name(1) + "'] [data-test=node-history]";
    String lines = "document.querySelectorAll(\"" + history + " [data-test=history-node] svg path.line\").length";

    browser.awaitTrue("return " + lines + " === 2", Browser.WAIT);
    assertThat(browser.attribute(history + " [data-test=history-node] svg", "aria-label"))
        .isEqualTo("CPU and memory of " + nodes.name(1) + ", percent, last 1h");
    browser.click(history + " button[data-range='30d']");
    browser.awaitTrue("return document.querySelector(\"" + history + " [data-test=history-node] svg\")"
        + ".getAttribute('aria-label').endsWith('last 30d')", Browser.WAIT);
    assertThat(browser.attribute(history + " button[data-range='30d']", "aria-pressed")).isEqualTo("true");
    assertThat(browser.attribute(history + " button[data-range='1h']", "aria-pressed")).isEqualTo("false");
    assertThat(browser.js("return " + lines)).isEqualTo(2L);
    browser.screenshot("nodes-history");
  }

  @Test
  void theUsagePageShowsRequestsByModelAndDownloadsThemAsCsv() throws Exception {
    assumeTrue(llamaServer(), "GANTRY_LLAMA_SERVER is not set (scripts/test.sh sets it)");
    chat(chatModel);
    Browser browser = signedInAsAdmin("#/usage");

    browser.awaitText("[data-test=usage-table]", chatModel, Browser.WAIT);
    browser.await(".chart rect.bar");
    browser.screenshotWholePage("usage");
    browser.click("[data-test=csv]");

    String today = LocalDate.now(ZoneOffset.UTC).toString();
    Path csv = browser.awaitDownload("gantry-usage-by-model-"
        + LocalDate.now(ZoneOffset.UTC).minusDays(29) + "-" + today + ".csv");
    Eventually.await(Browser.WAIT, () -> assertThat(Files.readString(csv)).contains("\r\n" + chatModel + ","));
    assertThat(Files.readString(csv)).startsWith("model,requests,succeeded,failed,cancelled,status_2xx,status_4xx,status_5xx,"
        + "prompt_tokens,completion_tokens,total_tokens,cost_usd\r\n");
  }

  @Test
  void anEndedSessionSendsTheUserBackToSignInAndThenToWhereTheyWere() throws Exception {
    Browser browser = signedInAsAdmin("#/dashboard");
    browser.await("[data-test=stat-nodes]");
    String cookie = browser.sessionCookie();
    assertThat(cookie).isNotNull();
    HttpResponse<String> logout = HTTP.send(HttpRequest.newBuilder(URI.create(nodes.url(1) + "/auth/logout"))
        .header("Cookie", cookie).header("Origin", nodes.url(1)).POST(HttpRequest.BodyPublishers.noBody()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(logout.statusCode()).as(logout.body()).isEqualTo(204);

    // the dashboard's live streams end with the session, so the console notices without a click
    assertThat(browser.awaitText("[data-test=login-notice]", "session has ended", Browser.WAIT)).isNotEmpty();
    browser.screenshot("session-ended");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    assertThat(browser.js("return location.hash")).isEqualTo("#/dashboard");
    browser.click("[data-test=sign-out]");
    browser.awaitText("[data-test=login-notice]", "signed out", Browser.WAIT);
  }

  @Test
  void worksOnANarrowScreenWithTheMenuFolded() {
    Browser browser = browsers.browser();
    browser.resize(390, 844);
    browser.go("#/models");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    browser.await("[data-test=deploy-open]");
    assertThat(browser.await(".menu-toggle").isDisplayed()).isTrue();
    assertThat(browser.all("#nav a")).allSatisfy(link -> assertThat(link.isDisplayed()).isFalse());
    browser.screenshot("narrow-models");
    browser.click(".menu-toggle");
    browser.await("#nav [data-nav=usage]");
    browser.screenshot("narrow-menu");
    browser.click("#nav [data-nav=usage]");
    browser.await("[data-test=usage-table]");
    assertThat(browser.js("return document.documentElement.scrollWidth <= window.innerWidth")).as("no sideways scrolling")
        .isEqualTo(true);
  }

  private Browser signedInAsAdmin(String route) {
    Browser browser = browsers.browser();
    browser.go(route);
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);
    return browser;
  }

  private static boolean llamaServer() {
    String path = System.getenv("GANTRY_LLAMA_SERVER");
    return path != null && !path.isBlank();
  }

  private static void chat(String model) {
    Api.expect(admin.post("/v1/chat/completions", new JsonObject().put("model", model)
        .put("messages", new JsonArray().add(new JsonObject().put("role", "user").put("content", "Hi")))), 200);
  }

  private static JsonObject llamaModel(String name) {
    return new JsonObject().put("name", name).put("backend", "llama.cpp").put("local_path", gguf.toString())
        .put("backend_parameters", new JsonArray().add("-c").add("512"));
  }

  private static void awaitRunning(String name) {
    Eventually.await(ENGINE_START, () -> assertThat(Api.expect(admin.get("/v2/model-instances?model_name=" + name), 200)
        .getJsonArray("items").stream().map(JsonObject.class::cast).map(i -> i.getString("state"))).contains("running"));
  }

  private static JsonObject model(String name) {
    return Api.expect(admin.get("/v2/models/" + name), 200);
  }

  private static JsonObject user(String username) {
    return Api.expect(admin.get("/v2/users?search=" + username), 200).getJsonArray("items").stream()
        .map(JsonObject.class::cast).filter(u -> username.equals(u.getString("username"))).findFirst().orElseThrow();
  }

  private static JsonObject node() {
    return Api.expect(admin.get("/v2/nodes/" + nodes.name(1)), 200);
  }
}
