package dev.gantry.console;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh browser (own profile, no cookies) for every test; skips the test where Chromium is not
 * installed, and keeps a screenshot named {@code <test>-failed.png} of the moment a test failed.
 */
final class BrowserPerTest implements BeforeEachCallback, AfterEachCallback {

  private final Supplier<String> baseUrl;
  private Browser browser;

  BrowserPerTest(Supplier<String> baseUrl) {
    this.baseUrl = baseUrl;
  }

  Browser browser() {
    return browser;
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    Browser.assumeInstalled();
    browser = Browser.open(baseUrl.get());
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (browser == null) {
      return;
    }
    try {
      if (context.getExecutionException().isPresent()) {
        browser.screenshot(context.getRequiredTestMethod().getName() + "-failed");
      }
    } finally {
      browser.close();
      browser = null;
    }
  }
}
