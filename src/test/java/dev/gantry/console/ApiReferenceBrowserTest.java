package dev.gantry.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gantry.testing.TestNodes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API reference page (/docs/api) in a real headless Chromium against a real node: it renders the
 * node's own openapi.json under the console's Content-Security-Policy (no inline script, no CDN), and
 * the console links to it.
 */
class ApiReferenceBrowserTest {

  private static final String CHAT = "[data-operation='POST /v1/chat/completions']";

  static TestNodes nodes;

  @RegisterExtension
  final BrowserPerTest browsers = new BrowserPerTest(() -> nodes.url(1));

  @BeforeAll
  static void startNode() {
    Browser.assumeInstalled();
    nodes = TestNodes.start(1);
  }

  @AfterAll
  static void stopNode() {
    if (nodes != null) {
      nodes.close();
    }
  }

  @Test
  void showsTheChatCompletionsOperationWithItsBodyAndAnExampleWithoutSigningIn() {
    Browser browser = browsers.browser();
    browser.go("docs/api");

    browser.click(CHAT + " > summary");

    String curl = browser.awaitText(CHAT + " [data-test=ref-curl]", "/v1/chat/completions", Browser.WAIT);
    assertThat(curl).startsWith("curl -X POST '" + nodes.url(1) + "/v1/chat/completions'")
        .contains("Authorization: Bearer $GANTRY_API_KEY").contains("\"messages\"");
    assertThat(browser.all(CHAT + " .ref-table td")).extracting(cell -> cell.getText())
        .contains("messages *", "stream", "ChatCompletion, text/event-stream", "OpenAiError");
    assertThat(browser.all("[data-operation]")).extracting(op -> op.getAttribute("data-operation"))
        .contains("GET /v1/models", "POST /v1/embeddings", "POST /v2/models");
    browser.screenshot("api-reference");
  }

  @Test
  void theFilterKeepsOnlyMatchingOperations() {
    Browser browser = browsers.browser();
    browser.go("docs/api");
    browser.await(CHAT);

    browser.type("[data-test=ref-filter]", "embeddings");

    browser.awaitGone(CHAT);
    assertThat(browser.all("[data-operation]")).extracting(op -> op.getAttribute("data-operation"))
        .containsExactly("POST /v1/embeddings");
  }

  @Test
  void theConsoleNavigationLinksToTheReference() {
    Browser browser = browsers.browser();
    browser.go("");
    browser.signIn(TestNodes.ADMIN, TestNodes.ADMIN_PASSWORD);

    browser.click("[data-test=nav-api-reference]");

    browser.await(CHAT);
  }
}
